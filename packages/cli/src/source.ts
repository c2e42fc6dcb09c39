import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  DOMAIN_STREAM_PREFIXES,
  createInMemoryEventStore,
  type EventStore,
  type RecordedEvent,
} from '@duban/engine';
import { CliError, EXIT, resolvePath, usageError, type CliIO } from './io';
import { depthProblem, parseStrictJson } from './json';
import { inline } from './terminal';
import { looksTruncated, readLines, type ReadLinesOptions } from './ndjson';
import { openPostgresStore, parsePostgresLocation, POSTGRES_SCHEME, type PostgresLocation } from './postgres';

/**
 * Where history comes from (SOURCE) or goes to (STORE): an NDJSON file, `memory:` (the embedded
 * store, empty at start and gone at exit), `esdb://…` / `esdb+discover://…` (EventStoreDB), and
 * `postgres://…` / `postgresql://…` (PostgreSQL; `?schema=` names the schema, see postgres.ts).
 */
export type Location =
  | { readonly kind: 'file'; readonly path: string; readonly label: string }
  | { readonly kind: 'memory'; readonly label: string }
  | { readonly kind: 'esdb'; readonly url: string; readonly label: string }
  | PostgresLocation;

export const LOCATION_HELP =
  'an NDJSON file, memory:, esdb://host:2113?tls=false, or postgres://user:password@host:5432/db?schema=duban';

export const parseLocation = (io: CliIO, spec: string): Location => {
  if (spec === 'memory:' || spec === 'memory') return { kind: 'memory', label: 'memory:' };
  // Labels are printed: a file name is shown with its control characters escaped.
  if (/^esdb(\+discover)?:\/\//i.test(spec)) return { kind: 'esdb', url: spec, label: inline(redact(spec)) };
  if (POSTGRES_SCHEME.test(spec)) return parsePostgresLocation(spec);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec))
    throw usageError(`${inline(redact(spec))}: unknown store; SOURCE and STORE are ${LOCATION_HELP}`);
  const file = spec.startsWith('file:') ? spec.slice(5) : spec;
  return { kind: 'file', path: resolvePath(io, file), label: inline(file) };
};

/** Connection strings may carry a password: never print it. */
const redact = (url: string): string => url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');

/**
 * The store behind a location. EventStoreDB's client (gRPC) and the PostgreSQL adapter (node-postgres)
 * are loaded only when a location names them (a sixth of the binary's start-up memory, and 6 MiB),
 * which `verify FILE` and most commands never use.
 */
export const openStore = async (location: Location): Promise<EventStore> => {
  switch (location.kind) {
    case 'memory':
      return createInMemoryEventStore();
    case 'esdb': {
      const { createEventStoreDbStore } = await import('@duban/eventstoredb');
      try {
        return createEventStoreDbStore(location.url);
      } catch (error) {
        throw usageError(`${location.label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    case 'postgres':
      // Checks the schema name first (the adapter's rule): a usage error before anything is written.
      return openPostgresStore(location);
    case 'file':
      throw usageError(
        `${location.label}: a file is not a store; STORE is memory:, esdb://… or postgres://… (write files with duban export)`,
      );
  }
};

/** The envelope as read, before any checking: `{type, data, metadata}` of a line or a stored event. */
export interface RawRecord {
  readonly line?: number;
  /** The parsed JSON value of the line, or the stored event's parts. */
  readonly value?: unknown;
  /** Bytes of the line, when read from a file: bounds the event's size without serialising it again. */
  readonly bytes?: number;
  /** Set when the line could not be read as JSON at all. */
  readonly unreadable?: { readonly field: string; readonly message: string };
}

export interface HistorySource {
  readonly label: string;
  readonly location: Location;
  /** File size in bytes, when known: the total of a progress bar. */
  readonly size?: number;
  /** The store read, when SOURCE is one (not a file): `duban export` reads it with `exportHistory`. */
  readonly store?: EventStore;
  records(options?: ReadLinesOptions): AsyncIterable<RawRecord>;
  close(): Promise<void>;
}

export const assertFileExists = async (location: Location & { kind: 'file' }): Promise<number> => {
  try {
    const stat = await fs.stat(location.path);
    if (!stat.isFile()) throw usageError(`${location.label}: not a file`);
    return stat.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? `${location.label}: no such file (SOURCE is ${LOCATION_HELP})`
        : `${location.label}: cannot read: ${(error as Error).message}`,
      code === 'ENOENT' ? EXIT.usage : EXIT.failed,
    );
  }
};

/** Reads an NDJSON file line by line: each line parsed, or why it could not be. Blank lines are skipped. */
async function* fileRecords(file: string, options: ReadLinesOptions): AsyncGenerator<RawRecord> {
  for await (const rec of readLines(file, options)) {
    if (rec.kind === 'too-long')
      yield {
        line: rec.line,
        unreadable: {
          field: '(line)',
          message: `the line is ${rec.bytes} bytes, over the limit of ${options.maxLineBytes ?? 2 * 1024 * 1024}; it was not read`,
        },
      };
    else if (rec.kind === 'not-utf8')
      yield { line: rec.line, unreadable: { field: '(line)', message: 'is not valid UTF-8' } };
    else if (rec.text.trim() !== '') {
      const parsed = parseStrictJson(rec.text);
      if (parsed.ok) yield { line: rec.line, bytes: rec.bytes, value: parsed.value };
      else if (parsed.syntax)
        yield {
          line: rec.line,
          unreadable: {
            field: '(line)',
            message: looksTruncated(parsed.syntax, rec.text)
              ? `truncated: the JSON ends early${rec.unterminated ? ' and the file ends without a newline' : ''} (${parsed.message})`
              : `is not JSON: ${parsed.message}`,
          },
        };
      // A key twice, a number out of range, nesting too deep: named by its path in the line.
      else yield { line: rec.line, unreadable: { field: parsed.field, message: parsed.message } };
    }
  }
}

/** A store's history as records, in its global order (the domain streams only). */
export async function* storeRecords(store: EventStore): AsyncGenerator<RawRecord> {
  for await (const e of store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES })) {
    const value = rawOf(e);
    // The store's client parsed it; nesting is bounded here as for a file, before anything recurses.
    const deep = depthProblem(value);
    yield deep
      ? { unreadable: { field: deep.field, message: `${e.streamId}@${e.revision}: ${deep.message}` } }
      : { value };
  }
}

/** The stored event as the engine wrote it: no position (it belongs to the store, not the history). */
export const rawOf = (e: RecordedEvent) => ({ type: e.type, data: e.data, metadata: e.metadata });

/** Opens a SOURCE for reading. Files must exist; EventStoreDB is connected lazily by its client. */
export const openSource = async (io: CliIO, spec: string): Promise<HistorySource> => {
  const location = parseLocation(io, spec);
  if (location.kind === 'file') {
    const size = await assertFileExists(location);
    return {
      label: location.label,
      location,
      size,
      records: (options = {}) => fileRecords(location.path, options),
      close: async () => undefined,
    };
  }
  const store = await openStore(location);
  // PostgreSQL is reached (and its tables checked) now, so a command fails before it writes anything.
  if (location.kind === 'postgres')
    try {
      for await (const _ of store.readAll({ maxCount: 0 }));
    } catch (error) {
      await store.close();
      throw error;
    }
  return {
    label: location.label,
    location,
    store,
    records: () => storeRecords(store),
    close: () => store.close(),
  };
};

/** `file.ndjson:` or `memory:` — the label as the subject of a message. */
export const subject = (label: string): string => (label.endsWith(':') ? label : `${label}:`);

export const displayPath = (io: CliIO, file: string): string => {
  const rel = path.relative(io.cwd, file);
  return rel.startsWith('..') ? file : rel;
};
