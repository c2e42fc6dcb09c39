import { isLeft, left } from 'fp-ts/Either';
import type { EventStore } from '@duban/engine';
import type { MigrationResult } from '@duban/postgres';
import { CliError, usageError } from './io';
import { inline } from './terminal';

/**
 * `postgres://user:password@host:5432/db?schema=duban` (or `postgresql://…`) as a SOURCE or STORE.
 * `schema` is Duban's own parameter (the PostgreSQL schema holding the tables, default `duban`): it is
 * taken out before the string reaches the driver, which would not know it. Everything else is
 * node-postgres's (sslmode, application_name, …).
 *
 * The connection string's password never appears in what the CLI prints: the label masks it, and every
 * message from the adapter or the driver is scrubbed of it (as typed, percent-encoded and decoded).
 *
 * The adapter (@duban/postgres, with node-postgres) is loaded only when a location names PostgreSQL,
 * so parsing leaves the schema name to it: the adapter's rule, checked by `loadPostgres` when the store
 * is opened or its SQL printed, before anything is read or written.
 */
export interface PostgresLocation {
  readonly kind: 'postgres';
  /** The connection string handed to the driver: the one given, less `schema`. */
  readonly url: string;
  /** The schema `?schema=` names, as given (checked when the store is opened); absent: `duban`. */
  readonly schema?: string;
  /** The connection string as printed: the password shown as `***`. */
  readonly label: string;
  /** Removes every form of the password from a text. */
  readonly redact: (text: string) => string;
}

export const POSTGRES_SCHEME = /^postgres(ql)?:\/\//i;

const decoded = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray % is taken as it is
  }
};

/** The password between `user:` and the last `@` of the authority, exactly as it was typed. */
const typedPassword = (spec: string): string | undefined => {
  const rest = spec.slice(spec.indexOf('://') + 3);
  const authority = rest.slice(0, rest.search(/[/?#]|$/));
  const at = authority.lastIndexOf('@');
  if (at < 0) return undefined;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  return colon < 0 ? undefined : userinfo.slice(colon + 1);
};

export const parsePostgresLocation = (spec: string): PostgresLocation => {
  const scheme = spec.slice(0, spec.indexOf('://')).toLowerCase();
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    // Not echoed: the string may hold a password.
    throw usageError(
      `${scheme}://… is not a valid connection string (not shown: it may hold a password); percent-encode / ? # in the user name and password (e.g. %2F for /)`,
    );
  }
  const secrets = new Set<string>();
  const addSecret = (text: string | undefined) => {
    if (!text) return;
    for (const form of [text, decoded(text), encodeURIComponent(decoded(text))]) secrets.add(form);
  };
  addSecret(typedPassword(spec));
  addSecret(url.password);
  for (const p of url.searchParams.getAll('password')) addSecret(p);
  addSecret(process.env.PGPASSWORD); // node-postgres's default when the string has none
  const list = [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  const redact = (text: string): string => list.reduce((out, s) => out.split(s).join('***'), text);

  const shown = new URL(url.toString());
  if (shown.password) shown.password = '***';
  if (shown.searchParams.has('password')) shown.searchParams.set('password', '***');
  // Built without the password, so not scrubbed again (a short password would mangle the host's name).
  const label = inline(shown.toString());

  const schemas = url.searchParams.getAll('schema');
  if (schemas.length > 1) throw usageError(`${label}: schema is given ${schemas.length} times; give it once`);
  if (schemas.length === 1) url.searchParams.delete('schema');
  return {
    kind: 'postgres',
    url: schemas.length === 1 ? url.toString() : spec,
    ...(schemas.length === 1 ? { schema: schemas[0]! } : {}),
    label,
    redact,
  };
};

/**
 * Loads the adapter, and checks the location's schema name by its rule (`checkSchemaName`): a name
 * that is not a plain identifier is a usage error naming it, before anything connects or is written.
 */
export const loadPostgres = async (location: PostgresLocation) => {
  const adapter = await import('@duban/postgres');
  try {
    return { adapter, schema: adapter.checkSchemaName(location.schema ?? adapter.DEFAULT_SCHEMA) };
  } catch (error) {
    throw usageError(
      `${location.label}: ${location.redact(error instanceof Error ? error.message : String(error))}`,
    );
  }
};

/** The adapter names the server as `PostgreSQL at …: `; the CLI names it by its own label instead. */
const ADAPTER_PREFIX = /^PostgreSQL (?:at \S+|\(connection string not shown\)): /;
const ADAPTER_MIGRATE_HINT = /apply the migrations with migrate\(\) \(or print them with migrationSql\(\)\)/;

/** A message of the adapter or the driver as the CLI prints it: its label first, no password. */
export const postgresMessage = (location: PostgresLocation, message: string): string => {
  const text = location.redact(message.replace(ADAPTER_PREFIX, ''));
  return `${location.label}: ${text.replace(
    ADAPTER_MIGRATE_HINT,
    `create or upgrade it with \`duban migrate ${location.label}\` (or print the SQL for a DBA with --print)`,
  )}`;
};

/** node-postgres's words when the server asks for a password and the connection string gave none. */
const NO_PASSWORD = /client password must be a (non-empty )?string/;

/**
 * A failure of the store as the CLI reports it, in one line (exit 1): the adapter's typed errors, and
 * what the driver throws that the adapter does not classify (TLS certificates, a missing password).
 */
export const postgresFailure = (location: PostgresLocation, error: unknown): CliError => {
  const message = error instanceof Error ? error.message : String(error);
  // By name, not instanceof: this module does not load the adapter.
  const fromAdapter = error instanceof Error && error.name === 'PostgresStoreError';
  if (!fromAdapter && NO_PASSWORD.test(message))
    return new CliError(
      `${location.label}: the server asks for a password and none was given (put it in the connection string, percent-encoded, or in PGPASSWORD)`,
    );
  return new CliError(postgresMessage(location, message));
};

async function* translated<T>(location: PostgresLocation, source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    throw postgresFailure(location, error);
  }
}

export interface CliPostgresStore extends EventStore {
  /** The schema holding the tables: the location's, or the adapter's default. */
  readonly schema: string;
  migrate(): Promise<MigrationResult>;
}

/**
 * The PostgreSQL store behind a location, its failures in the CLI's words. Nothing is connected until
 * the first read or write; an unmigrated schema is refused then, naming `duban migrate`.
 */
export const openPostgresStore = async (location: PostgresLocation): Promise<CliPostgresStore> => {
  const { adapter, schema } = await loadPostgres(location);
  let store: ReturnType<typeof adapter.createPostgresEventStore>;
  try {
    store = adapter.createPostgresEventStore(location.url, { schema, applicationName: 'duban cli' });
  } catch (error) {
    throw usageError(postgresMessage(location, error instanceof Error ? error.message : String(error)));
  }
  return {
    schema,
    appendToStream: async (streamId, events, options) => {
      const result = await store.appendToStream(streamId, events, options).catch((error: unknown) => {
        throw postgresFailure(location, error);
      });
      return isLeft(result)
        ? left({ ...result.left, message: postgresMessage(location, result.left.message) })
        : result;
    },
    readStream: (streamId, options) => translated(location, store.readStream(streamId, options)),
    readAll: (options) => translated(location, store.readAll(options)),
    // The CLI does not subscribe; passed through for embedders of openStore.
    subscribeToAll: (options) => store.subscribeToAll(options),
    close: () => store.close(),
    migrate: () =>
      store.migrate().catch((error: unknown) => {
        throw postgresFailure(location, error);
      }),
  };
};
