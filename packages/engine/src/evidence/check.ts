import { GENESIS_HASH } from '../envelope/envelope';
import type { Hashable } from '../envelope/hash-chain';
import { headsDigest, sortedHeads } from './heads';
import { RootAccumulator } from './merkle';
import { eventLeaf, type Seal, type SealIndex } from './seal';

/**
 * Checks a history, read in global order, against a seal: are its first `size` events exactly the
 * sealed ones (root recomputed), and is everything after them appended to the streams as they were
 * sealed, not inserted? With the seal's index, it also names where the history departs from the seal:
 * the first block of events that differs and, stream by stream, what happened (deleted, cut short,
 * rewritten, grown inside the sealed range, or not sealed at all).
 *
 * It does not recompute event hashes: run the chain verifier alongside (the CLI's `verify` does), or an
 * event changed without re-hashing would keep its leaf.
 */
export type SealFindingKind =
  | 'short' // the history has fewer events than the seal covers
  | 'block' // the first run of events (a block of the index) that differs
  | 'deleted' // a sealed stream is not among the sealed events
  | 'truncated' // a sealed stream ends before its sealed head
  | 'rewritten' // a sealed stream hashes otherwise at its sealed head
  | 'inserted' // a sealed stream has events past its sealed head within the sealed range
  | 'unsealed' // a stream within the sealed range that the seal does not know
  | 'shifted' // sealed events pushed past the seal's end by events added before them
  | 'reordered' // every stream as sealed, head for head: the same events in another global order
  | 'heads' // the seal's heads.root is not that of the sealed events (a seal not made by these rules)
  | 'not-appended'; // after the seal: an event that does not extend its stream

export interface SealFinding {
  readonly kind: SealFindingKind;
  readonly streamId?: string;
  readonly revision?: number;
  /** 0-based place in the global order (a line of an export, less blank lines, minus one). */
  readonly position?: number;
  readonly line?: number;
  /** The last event of a block. */
  readonly toPosition?: number;
  readonly toLine?: number;
  readonly message: string;
}

export interface AppendedEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly at: string;
  readonly position: number;
  readonly line?: number;
}

export interface SealVerdict {
  /** The first `size` events are the sealed ones, and every later event is appended. */
  readonly ok: boolean;
  readonly size: number;
  /** Records read in all. */
  readonly events: number;
  readonly rootMatches: boolean;
  /** Findings: the first difference (a block of the index) first, then the rest in the order of the history. */
  readonly findings: readonly SealFinding[];
  /** Events after the seal: how many, in how many streams, and those dated before the seal was made. */
  readonly appended: {
    readonly count: number;
    readonly streams: number;
    readonly backdatedCount: number;
    readonly backdated: readonly AppendedEvent[];
  };
  readonly indexUsed: boolean;
}

interface StreamRecord {
  lastRevision: number;
  lastHash: string;
  firstPosition: number;
  firstLine?: number;
  /** The stream's head within the sealed range (lastRevision/lastHash move on with later appends). */
  sealedHead?: { revision: number; hash: string; position: number; line?: number };
  /** The highest revision anywhere in the history, and where the stream's last event stands. */
  maxRevision: number;
  lastPosition: number;
  lastLine?: number;
  /** The event at the sealed head's revision, wherever it stands. */
  atHead?: { hash: string; position: number; line?: number };
  /** Within the sealed range: the first event past the sealed head. */
  beyond?: { revision: number; position: number; line?: number };
  /** After the seal: the stream stopped being appended to (reported once). */
  broken?: boolean;
  appended?: boolean;
}

const short = (hash: string) => `${hash.slice(0, 12)}…`;
const LIST_LIMIT = 20;

export interface SealCheck {
  /** The next record of the history: an event, or undefined for a line that is not one. */
  push(event: Hashable | undefined, line?: number): void;
  finish(): SealVerdict;
}

export const createSealCheck = (seal: Seal, options: { index?: SealIndex } = {}): SealCheck => {
  const { index } = options;
  const sealedHeads = new Map(index?.heads.map(([s, revision, hash]) => [s, { revision, hash }]));
  const root = new RootAccumulator();
  const streams = new Map<string, StreamRecord>();
  const findings: SealFinding[] = [];
  const sealedAt = Date.parse(seal.at);
  let position = 0;
  let lastLine: number | undefined;
  // Blocks: compared as they complete; the first that differs is kept.
  let block = new RootAccumulator();
  let blockStart = { position: 0, line: undefined as number | undefined };
  let firstBadBlock: SealFinding | undefined;
  let appended = 0;
  let appendedStreams = 0;
  let backdatedCount = 0;
  const backdated: AppendedEvent[] = [];
  const shifted = {
    count: 0,
    streams: new Set<string>(),
    first: undefined as { position: number; line?: number | undefined } | undefined,
  };
  const seen = (rec: StreamRecord, revision: number, p: number, line: number | undefined) => {
    rec.maxRevision = Math.max(rec.maxRevision, revision);
    rec.lastPosition = p;
    rec.lastLine = line;
  };

  const closeBlock = (endPosition: number, endLine: number | undefined) => {
    const i = Math.floor(blockStart.position / index!.blockSize);
    if (!firstBadBlock && block.root().toString('hex') !== index!.blocks[i]) {
      const single = endPosition === blockStart.position;
      const lines = blockStart.line === undefined || single ? '' : ` (lines ${blockStart.line}–${endLine})`;
      firstBadBlock = {
        kind: 'block',
        position: blockStart.position,
        ...(blockStart.line === undefined ? {} : { line: blockStart.line }),
        toPosition: endPosition,
        ...(endLine === undefined ? {} : { toLine: endLine }),
        message: single
          ? `the first difference from the seal is event ${blockStart.position + 1}${lines}`
          : `the first difference from the seal lies in events ${blockStart.position + 1}–${endPosition + 1}${lines}, a block of ${index!.blockSize} in the seal's index`,
      };
    }
    block = new RootAccumulator();
  };

  return {
    push(event, line) {
      const p = position++;
      if (line !== undefined) lastLine = line;
      const m = event?.metadata as
        | { streamId?: unknown; revision?: unknown; hash?: unknown; prevHash?: unknown; at?: unknown }
        | undefined;
      const valid =
        m !== undefined &&
        typeof m.streamId === 'string' &&
        typeof m.revision === 'number' &&
        typeof m.hash === 'string';
      const at = line === undefined ? {} : { line };
      if (p < seal.size) {
        const leaf = eventLeaf(event);
        root.push(leaf);
        if (index) {
          if (block.size === 0) blockStart = { position: p, line };
          block.push(leaf);
          if (block.size === index.blockSize || p === seal.size - 1) closeBlock(p, line);
        }
        if (!valid) return;
        const streamId = m.streamId as string;
        const revision = m.revision as number;
        let rec = streams.get(streamId);
        if (!rec) {
          rec = {
            lastRevision: revision,
            lastHash: m.hash as string,
            firstPosition: p,
            firstLine: line,
            maxRevision: revision,
            lastPosition: p,
          };
          streams.set(streamId, rec);
        }
        rec.lastRevision = revision;
        rec.lastHash = m.hash as string;
        seen(rec, revision, p, line);
        rec.sealedHead = { revision, hash: m.hash as string, position: p, line };
        const head = sealedHeads.get(streamId);
        if (head) {
          if (revision === head.revision) rec.atHead = { hash: m.hash as string, position: p, line };
          if (revision > head.revision && !rec.beyond) rec.beyond = { revision, position: p, line };
        }
        return;
      }
      if (valid) {
        // A sealed revision past the seal's end was pushed there: something was added before it.
        const streamId = m.streamId as string;
        const revision = m.revision as number;
        const head = sealedHeads.get(streamId);
        if (head && revision <= head.revision) {
          shifted.count += 1;
          shifted.streams.add(streamId);
          shifted.first ??= { position: p, line };
          const rec = streams.get(streamId);
          if (rec && revision === head.revision) rec.atHead ??= { hash: m.hash as string, position: p, line };
        }
      }
      // After the seal: each event must extend its stream as it stood, revision by revision.
      appended += 1;
      if (!valid) return;
      const streamId = m.streamId as string;
      const revision = m.revision as number;
      let rec = streams.get(streamId);
      if (!rec) {
        rec = {
          lastRevision: -1,
          lastHash: GENESIS_HASH,
          firstPosition: p,
          firstLine: line,
          maxRevision: revision,
          lastPosition: p,
        };
        streams.set(streamId, rec);
        const head = sealedHeads.get(streamId);
        if (head && revision === head.revision) rec.atHead = { hash: m.hash as string, position: p, line };
      }
      seen(rec, revision, p, line);
      if (!rec.appended) {
        rec.appended = true;
        appendedStreams += 1;
      }
      if (rec.broken) return;
      if (revision !== rec.lastRevision + 1 || m.prevHash !== rec.lastHash) {
        rec.broken = true;
        findings.push({
          kind: 'not-appended',
          streamId,
          revision,
          position: p,
          ...at,
          message:
            revision <= rec.lastRevision
              ? `${streamId} revision ${revision} comes after the seal, but the stream already reached revision ${rec.lastRevision}: it is inserted, not appended`
              : revision > rec.lastRevision + 1
                ? `${streamId} revision ${revision} comes after the seal, but the stream ends at revision ${rec.lastRevision}: revisions are missing between them`
                : `${streamId} revision ${revision} comes after the seal and does not link to revision ${rec.lastRevision} (${short(rec.lastHash)})`,
        });
        return;
      }
      rec.lastRevision = revision;
      rec.lastHash = m.hash as string;
      const eventAt = typeof m.at === 'string' ? Date.parse(m.at) : NaN;
      if (eventAt < sealedAt) {
        backdatedCount += 1;
        if (backdated.length < LIST_LIMIT)
          backdated.push({ streamId, revision, at: m.at as string, position: p, ...at });
      }
    },

    finish() {
      const read = position;
      const all = [...findings];
      if (read < seal.size)
        all.push({
          kind: 'short',
          position: read,
          ...(lastLine === undefined ? {} : { line: lastLine + 1 }),
          message: `the history ends after ${read} event${read === 1 ? '' : 's'}; the seal covers ${seal.size}: the last ${seal.size - read} sealed events are missing`,
        });
      const rootMatches = read >= seal.size && root.root().toString('hex') === seal.root;
      // The prefix's own heads: what the seal's heads.root must be if the root matched.
      const prefixHeads = sortedHeads(
        Object.fromEntries(
          [...streams].flatMap(([s, r]) =>
            r.sealedHead ? [[s, { revision: r.sealedHead.revision, hash: r.sealedHead.hash }] as const] : [],
          ),
        ),
      );
      if (rootMatches) {
        const digest = headsDigest(prefixHeads);
        if (digest.root !== seal.heads.root || digest.streams !== seal.heads.streams)
          all.push({
            kind: 'heads',
            message: `the seal's heads (${seal.heads.streams} streams, ${short(seal.heads.root)}) are not those of the events it seals (${digest.streams}, ${short(digest.root)}): the seal was not made by these rules`,
          });
      }
      if (index && !rootMatches) {
        if (firstBadBlock) all.push(firstBadBlock);
        for (const [streamId, head] of sealedHeads) {
          const rec = streams.get(streamId);
          const revisions = (from: number, to: number) =>
            from === to ? `revision ${from} is missing` : `revisions ${from}–${to} are missing`;
          if (rec === undefined) {
            all.push({
              kind: 'deleted',
              streamId,
              revision: 0,
              message: `${streamId} was sealed with revisions 0–${head.revision}; none of them is in the history: the stream was deleted`,
            });
            continue;
          }
          if (rec.atHead === undefined && rec.maxRevision < head.revision)
            all.push({
              kind: 'truncated',
              streamId,
              revision: rec.maxRevision + 1,
              position: rec.lastPosition,
              ...(rec.lastLine === undefined ? {} : { line: rec.lastLine }),
              message: `${streamId} ends at revision ${rec.maxRevision}; it was sealed at revision ${head.revision}: ${revisions(rec.maxRevision + 1, head.revision)}`,
            });
          else if (rec.atHead && rec.atHead.hash !== head.hash)
            all.push({
              kind: 'rewritten',
              streamId,
              revision: head.revision,
              position: rec.atHead.position,
              ...(rec.atHead.line === undefined ? {} : { line: rec.atHead.line }),
              message: `${streamId} revision ${head.revision} hashes to ${short(rec.atHead.hash)}; the seal has ${short(head.hash)}: the stream was changed at or before revision ${head.revision} and re-hashed`,
            });
          if (rec.beyond)
            all.push({
              kind: 'inserted',
              streamId,
              revision: rec.beyond.revision,
              position: rec.beyond.position,
              ...(rec.beyond.line === undefined ? {} : { line: rec.beyond.line }),
              message: `${streamId} revision ${rec.beyond.revision} is among the first ${seal.size} events, but the stream was sealed at revision ${head.revision}: inserted before the seal's end`,
            });
        }
        if (shifted.count > 0)
          all.push({
            kind: 'shifted',
            position: shifted.first!.position,
            ...(shifted.first!.line === undefined ? {} : { line: shifted.first!.line }),
            message: `${shifted.count} sealed event${shifted.count === 1 ? '' : 's'} of ${shifted.streams.size} stream${shifted.streams.size === 1 ? '' : 's'} now ${shifted.count === 1 ? 'lies' : 'lie'} past the seal's end: as many events were added before them`,
          });
        for (const [streamId, rec] of streams)
          if (rec.sealedHead && !sealedHeads.has(streamId))
            all.push({
              kind: 'unsealed',
              streamId,
              revision: 0,
              position: rec.firstPosition,
              ...(rec.firstLine === undefined ? {} : { line: rec.firstLine }),
              message: `${streamId} is among the first ${seal.size} events, but the seal knows no such stream: it was added (fabricated, or moved in from after the seal)`,
            });
      }
      // Every sealed stream there and as sealed, nothing added, as many events: only the order moved.
      if (
        index &&
        !rootMatches &&
        read >= seal.size &&
        !all.some((f) => f.kind !== 'block' && f.kind !== 'not-appended')
      )
        all.push({
          kind: 'reordered',
          ...(firstBadBlock?.position === undefined ? {} : { position: firstBadBlock.position }),
          ...(firstBadBlock?.line === undefined ? {} : { line: firstBadBlock.line }),
          message: `every sealed stream is there as sealed, head for head, and nothing was added: the same events, in another order across streams`,
        });
      // The first difference first; then what happened, stream by stream, in the order of the history
      // (a stream cut short is named where its last sealed event still stands, which may come earlier).
      const ordered = all.sort(
        (a, b) =>
          (a.kind === 'block' ? -1 : b.kind === 'block' ? 1 : 0) ||
          (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER),
      );
      return {
        ok: rootMatches && ordered.length === 0,
        size: seal.size,
        events: read,
        rootMatches,
        findings: ordered,
        appended: { count: appended, streams: appendedStreams, backdatedCount, backdated },
        indexUsed: index !== undefined,
      };
    },
  };
};
