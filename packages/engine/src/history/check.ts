import { isLeft } from 'fp-ts/Either';
import { decodeEvent, decodeWith, streamIdOf } from '@duban/domain';
import { DOMAIN_STREAM_PREFIXES } from '../engine';
import { EnvelopeMetadata, type Envelope } from '../envelope/envelope';
import {
  chainBreakField,
  createChainVerifier,
  describeChainBreak,
  type ChainBreak,
  type ChainProblem,
  type Hashable,
  type StreamHeads,
  type VerifyReport,
} from '../envelope/hash-chain';
import {
  CURRENT_SCHEMA_VERSIONS,
  createUpcasterRegistry,
  type UpcasterRegistry,
} from '../envelope/upcasters';
import { DEFAULT_MAX_APPEND_SIZE } from '../store/serialized-event';
import { utf8Length } from './utf8';

/**
 * Checking a history as it streams past (an NDJSON file, a store's `$all`): every record is read as an
 * envelope, its hash chain is followed, its event is upcast to the current schema and decoded with the
 * domain's codecs. Each problem names where it is (line, stream, revision), the field and the rule.
 */

/** One record of a history before any checking: a parsed line, or why the line could not be parsed. */
export interface HistoryRecord {
  /** 1-based line, when read from a file. */
  readonly line?: number;
  /** The parsed JSON value of the line, or the stored event's `{ type, data, metadata }`. */
  readonly value?: unknown;
  /** Bytes of the line: bounds the event's size without serialising it again. */
  readonly bytes?: number;
  /** Set when the line could not be read as JSON at all. */
  readonly unreadable?: { readonly field: string; readonly message: string };
}

export interface HistoryProblem {
  readonly kind: 'unreadable' | 'envelope' | 'event' | 'chain' | 'size' | 'store' | 'signature';
  readonly line?: number;
  readonly streamId?: string;
  readonly revision?: number;
  /** The field at fault, as a dotted path into the line (`data.deadline`), or `(line)`. */
  readonly field: string;
  readonly message: string;
  /** For chain problems: what broke (changed, missing, reordered, inserted, malformed); `break.problem`. */
  readonly chain?: ChainProblem;
  /** For chain problems: the break as the verifier reports it (and the engine's IntegrityError). */
  readonly break?: ChainBreak;
}

/** A record that passed every check: the envelope upcast for folding, and the raw one as stored. */
export interface CheckedEvent {
  readonly envelope: Envelope;
  readonly raw: Hashable;
  readonly line?: number;
  /** Bytes of JSON a store is asked to keep for it (data + metadata). */
  readonly size: number;
}

export interface CheckResult {
  readonly event?: CheckedEvent;
  readonly problems: readonly HistoryProblem[];
  /** The stream the record belongs to, when it could be told. */
  readonly streamId?: string;
}

export interface HistoryChecker {
  check(record: HistoryRecord): CheckResult;
  /** The chain verdict once everything was read, each break with its line. */
  finish(): { readonly report: VerifyReport; readonly breaks: readonly HistoryProblem[] };
  readonly events: number;
}

export interface HistoryCheckOptions {
  readonly upcasters?: UpcasterRegistry;
  /** Bytes of data + metadata one event may carry (a store accepts 1 MiB per append). */
  readonly maxEventBytes?: number;
  /** Stream heads recorded earlier: a stream cut short of its head, or rewritten up to it, is broken. */
  readonly heads?: StreamHeads;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENVELOPE_KEYS = new Set(['type', 'data', 'metadata']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A chain break as a problem of the history, at the line it showed on. */
export const chainBreakProblem = (b: ChainBreak, line: number | undefined): HistoryProblem => ({
  kind: 'chain',
  ...(line === undefined ? {} : { line }),
  streamId: b.streamId,
  revision: b.revision,
  field: chainBreakField(b),
  message: describeChainBreak(b),
  chain: b.problem,
  break: b,
});

export const createHistoryChecker = (options: HistoryCheckOptions = {}): HistoryChecker => {
  const upcasters = options.upcasters ?? createUpcasterRegistry();
  const maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_APPEND_SIZE;
  const verifier = createChainVerifier(options.heads ? { heads: options.heads } : {});
  /** Lines of the records at which a chain break was found (verifier index → line). */
  const breakLines = new Map<number, number | undefined>();
  let events = 0;

  const check = (record: HistoryRecord): CheckResult => {
    const at = record.line === undefined ? {} : { line: record.line };
    if (record.unreadable) return { problems: [{ kind: 'unreadable', ...at, ...record.unreadable }] };
    const value = record.value;
    if (!isObject(value))
      return {
        problems: [
          {
            kind: 'envelope',
            ...at,
            field: '(line)',
            message: `must be an envelope object {"type","data","metadata"}, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`,
          },
        ],
      };
    const problems: HistoryProblem[] = [];
    const metadata = value.metadata;
    const streamId =
      isObject(metadata) && typeof metadata.streamId === 'string' ? metadata.streamId : undefined;
    const revision =
      isObject(metadata) && typeof metadata.revision === 'number' ? metadata.revision : undefined;
    const where = {
      ...at,
      ...(streamId === undefined ? {} : { streamId }),
      ...(revision === undefined ? {} : { revision }),
    };
    const problem = (kind: HistoryProblem['kind'], field: string, message: string) =>
      problems.push({ kind, ...where, field, message });

    for (const key of Object.keys(value))
      if (!ENVELOPE_KEYS.has(key))
        problem('envelope', key, 'unknown field: an envelope has type, data and metadata');
    if (typeof value.type !== 'string' || value.type === '')
      problem('envelope', 'type', value.type === undefined ? 'is required' : 'must be a non-empty string');
    if (!isObject(value.data))
      problem('envelope', 'data', value.data === undefined ? 'is required' : 'must be an object');
    if (!isObject(metadata)) {
      problem('envelope', 'metadata', metadata === undefined ? 'is required' : 'must be an object');
      return { problems };
    }
    const decodedMetadata = decodeWith(EnvelopeMetadata, metadata);
    if (isLeft(decodedMetadata))
      for (const p of decodedMetadata.left.problems) problem('envelope', `metadata.${p.path}`, p.message);

    if (typeof metadata.eventId === 'string' && !UUID.test(metadata.eventId))
      problem('envelope', 'metadata.eventId', 'must be a uuid');

    // The chain is followed on the record exactly as stored (hashes cover the stored bytes' meaning).
    // push returns the break this record reveals; a gap that turns out a reordering replaces its
    // break in the final report, at the gap's line.
    const b = verifier.push({ type: value.type as string, data: value.data, metadata });
    if (b && b.problem !== 'reordered') {
      breakLines.set(b.index, record.line);
      problems.push(chainBreakProblem(b, record.line));
    }

    if (streamId !== undefined && !DOMAIN_STREAM_PREFIXES.some((p) => streamId.startsWith(p)))
      problem('envelope', 'metadata.streamId', 'must name a task-…, unit-… or the office stream');

    if (typeof value.type === 'string' && isObject(value.data) && isLeft(decodedMetadata) === false) {
      const meta = (decodedMetadata as { right: Envelope['metadata'] }).right;
      // Own keys only: a type named `constructor` must not find Object's.
      const current = Object.prototype.hasOwnProperty.call(CURRENT_SCHEMA_VERSIONS, value.type)
        ? CURRENT_SCHEMA_VERSIONS[value.type]!
        : 1;
      if (meta.schemaVersion > current || meta.schemaVersion < 1 || !Number.isInteger(meta.schemaVersion))
        problem(
          'envelope',
          'metadata.schemaVersion',
          `${value.type} is known in schema versions 1 to ${current}, not ${meta.schemaVersion}`,
        );
      else {
        const envelope = upcasters.upcast({ type: value.type, data: value.data, metadata } as Envelope);
        const decoded = decodeEvent({ type: envelope.type, data: envelope.data });
        if (isLeft(decoded))
          for (const p of decoded.left.problems) problem('event', p.path || '(event)', p.message);
        else {
          const expected = streamIdOf(value.type, value.data);
          if (streamId !== expected)
            problem('envelope', 'metadata.streamId', `a ${value.type} belongs in stream ${expected}`);
        }
        // A line holds data and metadata and a little more: measure exactly only when it is near the limit.
        const size =
          record.bytes !== undefined && record.bytes <= maxEventBytes
            ? record.bytes
            : utf8Length(JSON.stringify(value.data)) + utf8Length(JSON.stringify(metadata));
        if (size > maxEventBytes)
          problem(
            'size',
            '(line)',
            `the event carries ${size} bytes; a store accepts at most ${maxEventBytes} per append`,
          );
        if (problems.length === 0) {
          events += 1;
          return {
            event: {
              envelope,
              raw: { type: value.type, data: value.data, metadata },
              size,
              ...at,
            },
            problems,
            ...(streamId === undefined ? {} : { streamId }),
          };
        }
      }
    }
    return { problems, ...(streamId === undefined ? {} : { streamId }) };
  };

  return {
    check,
    finish() {
      const report = verifier.report();
      return { report, breaks: report.breaks.map((b) => chainBreakProblem(b, breakLines.get(b.index))) };
    },
    get events() {
      return events;
    },
  };
};

/** `history.ndjson:12: task-T-1 revision 4: data.deadline: must be …` — where, the field, the rule. */
export const describeProblem = (source: string, p: HistoryProblem): string =>
  [
    p.line === undefined ? source : `${source}:${p.line}`,
    p.streamId === undefined
      ? undefined
      : `${p.streamId}${p.revision === undefined ? '' : ` revision ${p.revision}`}`,
    p.field,
    p.message,
  ]
    .filter((s) => s !== undefined)
    .join(': ');
