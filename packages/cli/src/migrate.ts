import { EXIT, usageError, writeAll, writeLine, type CliIO } from './io';
import { loadPostgres, openPostgresStore } from './postgres';
import { parseLocation } from './source';

/**
 * `duban migrate postgres://…[?schema=S] [--print]`: creates or upgrades Duban's tables in schema S
 * (default `duban`), each missing migration in its own transaction; safe to run again or concurrently.
 * With `--print` it writes the same migrations as one SQL script for a DBA who applies schema changes
 * by hand, and connects to nothing (only the schema is read from the connection string).
 */
export const migrateCommand = async (
  io: CliIO,
  spec: string,
  options: { print?: boolean } = {},
): Promise<number> => {
  const location = parseLocation(io, spec);
  if (location.kind !== 'postgres')
    throw usageError(
      `${location.label}: duban migrate is for PostgreSQL (postgres://user:password@host:5432/db?schema=duban); files, memory: and EventStoreDB need no schema`,
    );
  const { adapter, schema } = await loadPostgres(location);
  if (options.print) {
    await writeAll(io.stdout, adapter.migrationSql({ schema }));
    return EXIT.ok;
  }
  const store = await openPostgresStore(location);
  try {
    const { applied, version } = await store.migrate();
    const names = applied.map((v) =>
      `${v} ${adapter.MIGRATIONS.find((m) => m.version === v)?.name ?? ''}`.trim(),
    );
    writeLine(
      io.stdout,
      applied.length === 0
        ? `${location.label}: schema "${schema}" is at version ${version}, the latest; nothing to apply`
        : `${location.label}: schema "${schema}" migrated to version ${version} (applied ${names.join(', ')})`,
    );
  } finally {
    await store.close();
  }
  return EXIT.ok;
};
