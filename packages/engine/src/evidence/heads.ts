import { left, right, type Either } from 'fp-ts/Either';
import { idRecord } from '@duban/domain';
import type { StreamHeads } from '../envelope/hash-chain';
import { evidenceError, type EvidenceError } from './errors';
import { leafHash, RootAccumulator } from './merkle';

/**
 * Stream heads — each stream's last revision and hash — as a sorted list, the Merkle tree over it (the
 * `heads.root` of a seal) and the TSV that `duban verify --print-heads` prints and `--heads FILE` reads back.
 *
 * A head's leaf is the UTF-8 of its TSV line without the line break: `stream<TAB>revision<TAB>hash`,
 * the revision in decimal, the hash as 64 lowercase hex digits. Heads are sorted by stream id, byte by
 * byte in UTF-8 (stream ids are ASCII, so this is plain character order in any language).
 */
export interface Head {
  readonly streamId: string;
  readonly revision: number;
  readonly hash: string;
}

export const HEADS_TSV_HEADER = 'stream\trevision\thash';

export const headLine = (h: Head): string => `${h.streamId}\t${h.revision}\t${h.hash}`;

export const headLeaf = (h: Head): Buffer => leafHash(Buffer.from(headLine(h), 'utf8'));

export const compareStreamIds = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export const sortedHeads = (heads: StreamHeads): Head[] =>
  Object.entries(heads)
    .map(([streamId, h]) => ({ streamId, revision: h.revision, hash: h.hash }))
    .sort((a, b) => compareStreamIds(a.streamId, b.streamId));

/** The seal's `heads`: how many streams, and the Merkle root over their sorted head lines. */
export const headsDigest = (sorted: readonly Head[]): { streams: number; root: string } => {
  const acc = new RootAccumulator();
  for (const h of sorted) acc.push(headLeaf(h));
  return { streams: sorted.length, root: acc.root().toString('hex') };
};

/** The TSV: a header line, then one line per stream in the order above. */
export const headsTsv = (sorted: readonly Head[]): string =>
  `${HEADS_TSV_HEADER}\n${sorted.map((h) => `${headLine(h)}\n`).join('')}`;

const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;
const HASH = /^[0-9a-f]{64}$/;

/** Checks one head's fields, as read from a file: what is wrong with each, or nothing. */
export const headProblems = (streamId: unknown, revision: unknown, hash: unknown): string[] => {
  const problems: string[] = [];
  if (typeof streamId !== 'string' || !STREAM_ID.test(streamId))
    problems.push(
      `stream: must be a stream id (1 to 200 letters, digits, "-", "_", ".", ":"), got ${JSON.stringify(streamId)}`,
    );
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0)
    problems.push(`revision: must be a whole number from 0, got ${JSON.stringify(revision)}`);
  if (typeof hash !== 'string' || !HASH.test(hash))
    problems.push(`hash: must be 64 lowercase hexadecimal digits, got ${JSON.stringify(hash)}`);
  return problems;
};

/**
 * Reads heads TSV (`duban verify --print-heads` output): the header line, then `stream<TAB>revision<TAB>hash`
 * lines in any order. Every problem is named by its line; a stream listed twice is refused.
 */
export const parseHeadsTsv = (text: string, file: string): Either<EvidenceError, StreamHeads> => {
  const lines = text.replace(/^\ufeff/, '').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const problems: { where: string; message: string }[] = [];
  const heads = idRecord<{ revision: number; hash: string }>();
  const lineOf = new Map<string, number>();
  lines.forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (i === 0) {
      if (line !== HEADS_TSV_HEADER)
        problems.push({
          where,
          message: `the first line must be the header "stream<TAB>revision<TAB>hash" (as duban verify --print-heads prints it)`,
        });
      return;
    }
    const fields = line.split('\t');
    if (fields.length !== 3) {
      problems.push({ where, message: `must be three fields separated by tabs, got ${fields.length}` });
      return;
    }
    const [streamId, rev, hash] = fields as [string, string, string];
    const revision = /^\d{1,16}$/.test(rev) ? Number(rev) : rev;
    const wrong = headProblems(streamId, revision, hash);
    for (const message of wrong) problems.push({ where, message });
    if (wrong.length > 0) return;
    const earlier = lineOf.get(streamId);
    if (earlier !== undefined) {
      problems.push({ where, message: `stream ${streamId} is listed twice (first on line ${earlier})` });
      return;
    }
    lineOf.set(streamId, i + 1);
    heads[streamId] = { revision: revision as number, hash };
  });
  if (lines.length === 0) problems.push({ where: file, message: 'is empty: no header, no heads' });
  return problems.length > 0
    ? left(
        evidenceError(
          'HeadsMalformed',
          `${file}: not a heads file (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
          problems,
        ),
      )
    : right(heads);
};
