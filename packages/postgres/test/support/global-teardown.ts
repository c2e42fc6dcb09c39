/** Jest global teardown: stops the run's embedded PostgreSQL server and removes its data. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__dubanEmbeddedPostgres?.stop();
  globalThis.__dubanEmbeddedPostgres = undefined;
}
