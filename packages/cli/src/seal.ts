import * as path from 'node:path';
import { isLeft } from 'fp-ts/Either';
import { ActorKind, Id, OFFICE_STREAM_ID, decodeWith, type Actor } from '@duban/domain';
import {
  createEngine,
  createHistoryTree,
  sealTree,
  signedMeta,
  type EventStore,
  type Seal,
  type SealIndex,
} from '@duban/engine';
import { createHistoryChecker, formatProblem, type Problem } from './checked';
import { evidenceProblem, indexFileFor, loadKey } from './evidence-files';
import { parseInstant } from './history';
import {
  CliError,
  EXIT,
  resolvePath,
  usageError,
  writeAll,
  writeFileAtomically,
  writeLine,
  type CliIO,
} from './io';
import { progressBar } from './progress';
import { displayPath, openSource, openStore, parseLocation, storeRecords, type RawRecord } from './source';
import { inline } from './terminal';

/**
 * `duban seal STORE --key KEY [--out SEAL.json] [--office ID] [--actor KIND:ID [--actor-key KEY]] [--at INSTANT]`: reads
 * the whole history in global order, refuses it if anything in it does not verify, builds the Merkle
 * tree over its events, signs the seal with the office's Ed25519 key and writes it (with --out, its
 * index beside it: SEAL.index.json). On a store, it then records the seal on the office's stream
 * (RecordSeal), so the history lists every seal it was given. A file cannot be written to: its seal is
 * only written out, and says so. An actor with a signing key on the office's record signs RecordSeal
 * with it (`--actor-key`), as every command of theirs must be signed.
 */
export interface SealCommandOptions {
  readonly key: string;
  readonly out?: string;
  readonly office?: string;
  /** Who records the seal on a store: `inspection-office:ID` or `main-leader:ID`. */
  readonly actor?: string;
  /** The `--actor`'s own Ed25519 private key, when they have a signing key on the office's record. */
  readonly actorKey?: string;
  /** When the seal is made; the machine's clock by default (the one command that reads it). */
  readonly at?: string;
  readonly limit?: number;
}

const RECORDERS = ['inspection-office', 'main-leader'];

const parseActor = (value: string): Actor => {
  const m = /^([a-z-]+):(.+)$/.exec(value);
  const kind = m?.[1];
  if (!m || !RECORDERS.includes(kind!))
    throw usageError(
      `--actor ${inline(value)}: who records the seal, as inspection-office:ID or main-leader:ID (the inspection office or the main leader on record)`,
    );
  const id = decodeWith(Id, m[2]);
  if (isLeft(id)) throw usageError(`--actor ${inline(value)}: the id ${id.left.problems[0]!.message}`);
  return { id: id.right, kind: kind as ActorKind };
};

/** The seal as a file: indented, a line break at the end. */
export const sealJson = (seal: Seal): string => `${JSON.stringify(seal, null, 2)}\n`;

/** The index as a file: one block root and one head per line, so two indexes diff line by line. */
export const sealIndexJson = (index: SealIndex): string =>
  [
    '{',
    `  "format": ${JSON.stringify(index.format)},`,
    `  "size": ${index.size},`,
    `  "root": ${JSON.stringify(index.root)},`,
    `  "blockSize": ${index.blockSize},`,
    `  "blocks": [${index.blocks.map((b, i) => `\n    ${JSON.stringify(b)}${i < index.blocks.length - 1 ? ',' : ''}`).join('')}\n  ],`,
    `  "heads": [${index.heads.map((h, i) => `\n    ${JSON.stringify(h)}${i < index.heads.length - 1 ? ',' : ''}`).join('')}\n  ]`,
    '}',
    '',
  ].join('\n');

export const sealCommand = async (io: CliIO, spec: string, options: SealCommandOptions): Promise<number> => {
  const privateKey = await loadKey(io, '--key', options.key, 'private');
  const at = options.at === undefined ? new Date().toISOString() : parseInstant(options.at, '--at');
  const location = parseLocation(io, spec);
  const actor = options.actor === undefined ? undefined : parseActor(options.actor);
  if (location.kind !== 'file' && actor === undefined)
    throw usageError(
      `${location.label}: the seal is recorded on the office's stream; say who records it with --actor inspection-office:ID or main-leader:ID`,
    );
  if (options.actorKey !== undefined && (location.kind === 'file' || actor === undefined))
    throw usageError(
      `--actor-key: signs the command that records the seal on a store, as the --actor; ${location.kind === 'file' ? `${location.label} is a file, where nothing is recorded` : 'give --actor too'}`,
    );
  const actorKey =
    options.actorKey === undefined
      ? undefined
      : await loadKey(io, '--actor-key', options.actorKey, 'private');
  if (options.office !== undefined && isLeft(decodeWith(Id, options.office)))
    throw usageError(
      `--office ${inline(options.office)}: must be an office id (letters, digits, "-", "_", ".", ":")`,
    );

  // A store is read and then written through the same connection; a file is only read.
  const store: EventStore | undefined = location.kind === 'file' ? undefined : await openStore(location);
  const source = store ? undefined : await openSource(io, spec);
  try {
    const bar = progressBar(io.stderr, 'sealing', source?.size);
    const records: AsyncIterable<RawRecord> = store
      ? storeRecords(store)
      : source!.records({ onBytes: (n) => bar.update(n) });
    const checker = createHistoryChecker();
    const tree = createHistoryTree();
    const problems: Problem[] = [];
    let problemCount = 0;
    let officeOnRecord: string | undefined;
    try {
      for await (const record of records) {
        const result = checker.check(record);
        for (const p of result.problems)
          if (p.kind !== 'chain') {
            problemCount += 1;
            if (problems.length < 1000) problems.push(p);
          }
        const event = result.event?.raw;
        tree.push(event);
        if (event?.type === 'OfficeEstablished' && event.metadata.streamId === OFFICE_STREAM_ID)
          officeOnRecord = (event.data as { officeId: string }).officeId;
      }
    } finally {
      bar.stop();
    }
    const { breaks } = checker.finish();
    problemCount += breaks.length;
    if (problemCount > 0) {
      const limit = options.limit ?? 20;
      const all = [...problems, ...breaks].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      throw new CliError(
        [
          `${location.label}: not sealed — the history does not verify (${problemCount} problem${problemCount === 1 ? '' : 's'}; duban verify lists them all)`,
          ...all.slice(0, limit).map((p) => `  ${formatProblem(location.label, p)}`),
        ].join('\n'),
      );
    }
    if (tree.size === 0) throw new CliError(`${location.label}: holds no events: nothing to seal`);
    if (officeOnRecord !== undefined && options.office !== undefined && options.office !== officeOnRecord)
      throw usageError(
        `--office ${inline(options.office)}: the history keeps the record of office ${inline(officeOnRecord)}; a seal names the office whose history it is`,
      );
    const office = options.office ?? officeOnRecord;
    if (office === undefined)
      throw usageError(
        `${location.label}: the history keeps no office record (no OfficeEstablished): name the office the seal is for with --office ID`,
      );

    const sealed = sealTree(tree, { office, at, privateKey });
    if (isLeft(sealed)) throw evidenceProblem(sealed.left, EXIT.failed);
    const { seal, index } = sealed.right;

    const summary = `sealed ${seal.size} events in ${seal.heads.streams} stream${seal.heads.streams === 1 ? '' : 's'} of office ${inline(office)} at ${seal.at}: root ${seal.root.slice(0, 16)}…, key ${seal.key.slice(0, 16)}…`;
    if (options.out) {
      const sealFile = resolvePath(io, options.out);
      const indexFile = indexFileFor(sealFile);
      await writeFileAtomically(indexFile, displayPath(io, indexFile), (out) =>
        writeAll(out, sealIndexJson(index)),
      );
      await writeFileAtomically(sealFile, displayPath(io, sealFile), (out) => writeAll(out, sealJson(seal)));
      writeLine(io.stdout, summary);
      writeLine(
        io.stdout,
        `wrote ${inline(displayPath(io, sealFile))} and its index ${inline(path.basename(indexFile))} (every stream's head, ${index.blocks.length} block roots)`,
      );
    } else {
      io.stdout.write(sealJson(seal));
      writeLine(io.stderr, summary);
      writeLine(
        io.stderr,
        "the seal's index was not written: give --out SEAL.json to keep it beside the seal",
      );
    }

    if (!store) {
      writeLine(
        io.stderr,
        `${location.label} is a file: a file cannot be written to, so the seal is not recorded in the history (only ${options.out ? 'written out' : 'printed'}); seal the store itself to record it on the office's stream`,
      );
      return EXIT.ok;
    }
    const engine = createEngine({ store });
    const record = { type: 'RecordSeal' as const, data: { officeId: office, seal } };
    const meta = { actor: actor!, at: seal.at, commandId: `seal:${seal.size}:${seal.root}` };
    const recordedSeal = await engine.execute(record, signedMeta(record, meta, actorKey));
    if (isLeft(recordedSeal)) {
      const e = recordedSeal.left;
      throw new CliError(
        `${location.label}: the seal was not recorded on the office's stream — ${'code' in e ? `${e.code}: ` : ''}${inline(e.message)}${options.out ? ` (${inline(options.out)} holds the seal all the same)` : ''}`,
      );
    }
    const r = recordedSeal.right;
    writeLine(
      io.stdout,
      r.replayed || r.events.length === 0
        ? `${location.label}: this seal was already recorded on the office's stream`
        : `${location.label}: recorded on the office's stream as revision ${r.streamRevision} (SealRecorded)`,
    );
    return EXIT.ok;
  } finally {
    await store?.close();
    await source?.close();
  }
};
