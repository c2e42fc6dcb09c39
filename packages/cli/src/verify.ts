import type { KeyObject } from 'node:crypto';
import {
  checkSealConsistency,
  createHistoryTree,
  createSealCheck,
  verifySealSignature,
  type Hashable,
  type HistoryTree,
  type Seal,
  type SealCheck,
  type SealConsistency,
  type SealFinding,
  type SealVerdict,
  type StreamHeads,
} from '@duban/engine';
import { createHistoryChecker, formatProblem, type Problem } from './checked';
import { loadHeads, loadKey, loadSeal, loadSealIndex, indexFileFor } from './evidence-files';
import { writeHeadsTsv, type KeptHead } from './heads-tsv';
import { EXIT, usageError, writeJson, writeLine, type CliIO, type OutputStream } from './io';
import { progressBar } from './progress';
import { openSource, subject, type RawRecord } from './source';
import { inline } from './terminal';
import { createSignatureCheck, signaturesSummary } from './verify-signatures';

/**
 * `duban verify SOURCE`: follows every stream's hash chain and reads every event with the domain's
 * codecs. Exit 0 when every chain is intact and every event reads; otherwise exit 1, naming the first
 * broken stream, its revision and what is wrong (changed, missing, reordered, inserted, malformed),
 * and the file line where it shows.
 *
 * - `--print-heads` prints each stream's head as TSV on standard output (the verdict goes to standard
 *   error), to keep elsewhere; `--heads FILE` checks the history against heads kept earlier.
 * - `--seal SEAL.json --pubkey PUB` checks the seal's signature, then that the history's first `size`
 *   events are exactly those sealed and that everything after them is appended, naming the first
 *   difference (with the seal's index beside it, SEAL.index.json, also stream by stream). Two `--seal`s
 *   also check that the newer extends the older (an RFC 9162 consistency proof).
 */
export interface VerifyOptions {
  readonly json?: boolean;
  /** Check against the heads this file records (as `printHeads` wrote them). */
  readonly heads?: string;
  /** Print the heads as TSV on standard output. */
  readonly printHeads?: boolean;
  readonly seal?: readonly string[];
  readonly pubkey?: readonly string[];
  /** How many problems to list (all are counted). */
  readonly limit?: number;
}

interface LoadedSeal {
  readonly file: string;
  readonly seal: Seal;
  readonly check: SealCheck;
  verdict?: SealVerdict;
}

/** The envelope-shaped value of a record, for the tree: its leaf comes from `metadata.hash`. */
const rawEvent = (record: RawRecord): Hashable | undefined => {
  const v = record.value as { type?: unknown; data?: unknown; metadata?: unknown } | undefined;
  return typeof v === 'object' &&
    v !== null &&
    typeof v.metadata === 'object' &&
    v.metadata !== null &&
    !Array.isArray(v.metadata)
    ? { type: String(v.type), data: v.data, metadata: v.metadata as Record<string, unknown> }
    : undefined;
};

const short = (hash: string) => `${hash.slice(0, 16)}…`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const verifyCommand = async (
  io: CliIO,
  spec: string,
  options: VerifyOptions = {},
): Promise<number> => {
  const sealFiles = options.seal ?? [];
  const keyFiles = options.pubkey ?? [];
  if (sealFiles.length > 2)
    throw usageError('--seal: give one seal, or two to check that the newer extends the older');
  if (sealFiles.length > 0 && keyFiles.length === 0)
    throw usageError(
      "--seal needs --pubkey PUB: the office's public key (PEM or JWK) the seal is checked with",
    );
  if (keyFiles.length > 0 && sealFiles.length === 0)
    throw usageError('--pubkey is for checking a seal: give --seal SEAL.json too');
  const printHeads = options.printHeads === true;
  const recorded: StreamHeads | undefined =
    options.heads === undefined ? undefined : await loadHeads(io, options.heads);
  const keys: KeyObject[] = [];
  for (const file of keyFiles) keys.push(await loadKey(io, '--pubkey', file, 'public'));

  // A seal is checked before anything is read: a history compared with a forged seal proves nothing.
  const seals: LoadedSeal[] = [];
  for (const file of sealFiles) {
    const seal = await loadSeal(io, '--seal', file);
    const signature = verifySealSignature(seal, keys);
    if (!signature.ok) {
      if (options.json)
        writeJson(io.stdout, {
          seal: inline(file),
          ok: false,
          signature: signature.reason,
          message: signature.message,
        });
      else writeLine(io.stdout, `${inline(file)}: NOT A VALID SEAL — ${signature.message}`);
      return EXIT.failed;
    }
    const index = await loadSealIndex(io, seal, file);
    seals.push({ file, seal, check: createSealCheck(seal, index ? { index } : {}) });
  }
  // Two seals: the history's leaves are kept for the consistency proof (32 bytes an event).
  const tree: HistoryTree | undefined =
    seals.length === 2 ? createHistoryTree({ keepLeaves: true }) : undefined;

  const source = await openSource(io, spec);
  const checker = createHistoryChecker(recorded ? { heads: recorded } : {});
  const signatures = createSignatureCheck();
  const limit = options.limit ?? 20;
  const problems: Problem[] = [];
  let problemCount = 0;
  let records = 0;
  const heads = new Map<string, KeptHead>();
  const bar = progressBar(io.stderr, 'verifying', source.size);
  try {
    for await (const record of source.records({ onBytes: (n) => bar.update(n, records) })) {
      records += 1;
      const result = checker.check(record);
      // Chain breaks are taken from the final report (a gap may turn out to be a reordering).
      for (const p of result.problems)
        if (p.kind !== 'chain') {
          problemCount += 1;
          if (problems.length < 10_000) problems.push(p);
        }
      // Kept only when asked for: a history's streams are many, and the chain check keeps its own.
      if (result.event && (printHeads || recorded)) {
        const m = result.event.envelope.metadata;
        heads.set(m.streamId, { revision: m.revision, hash: m.hash });
      }
      signatures.push(rawEvent(record), record.line);
      if (seals.length > 0) {
        const raw = rawEvent(record);
        for (const s of seals) s.check.push(raw, record.line);
        tree?.push(raw);
      }
    }
  } finally {
    bar.stop(records);
    await source.close();
  }
  const { report, breaks } = checker.finish();
  problemCount += breaks.length;
  const signed = signatures.finish();
  problemCount += signed.problems.length;
  problems.push(...signed.problems);
  const all = [...problems, ...breaks].sort(
    (a, b) =>
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      (a.kind === 'chain' ? 1 : 0) - (b.kind === 'chain' ? 1 : 0),
  );
  for (const s of seals) s.verdict = s.check.finish();
  // A consistency proof is made from the history's leaves: only a history the newer seal covers, as
  // sealed, can give one that says anything about the two seals.
  const newer =
    seals.length === 2 ? (seals[0]!.seal.size > seals[1]!.seal.size ? seals[0]! : seals[1]!) : undefined;
  const consistency: SealConsistency | undefined =
    tree && newer
      ? newer.verdict!.rootMatches
        ? checkSealConsistency(seals[0]!.seal, seals[1]!.seal, tree.tree())
        : {
            ok: false,
            older: (seals[0] === newer ? seals[1]! : seals[0]!).seal,
            newer: newer.seal,
            proof: [],
            message: `the history is not the one ${inline(newer.file)} seals, so no proof can be made from it`,
          }
      : undefined;
  const sealsOk = seals.every((s) => s.verdict!.ok) && (consistency?.ok ?? true);
  const intact = problemCount === 0 && records > 0;
  const ok = intact && sealsOk;
  const sealFileOf = (seal: Seal) => seals.find((s) => s.seal === seal)!.file;

  if (options.json) {
    writeJson(io.stdout, {
      source: source.label,
      ok,
      events: records,
      streams: report.streams,
      firstBreak: report.firstBreak
        ? all.find((p) => p.kind === 'chain' && p.streamId === report.firstBreak!.streamId)
        : undefined,
      problems: all.slice(0, limit),
      problemCount,
      ...(signed.signed > 0 ? { signatures: { signed: signed.signed, verified: signed.verified } } : {}),
      ...(printHeads ? { heads: Object.fromEntries(heads) } : {}),
      ...(recorded ? { headsChecked: Object.keys(recorded).length } : {}),
      ...(seals.length > 0
        ? {
            seals: seals.map(({ file, seal, verdict }) => ({
              seal: file,
              office: seal.office,
              at: seal.at,
              key: seal.key,
              ...verdict!,
              findings: verdict!.findings.slice(0, limit),
            })),
          }
        : {}),
      ...(consistency
        ? {
            consistency: {
              ok: consistency.ok,
              older: sealFileOf(consistency.older),
              newer: sealFileOf(consistency.newer),
              proof: consistency.proof,
              message: consistency.message,
            },
          }
        : {}),
    });
    return ok ? EXIT.ok : EXIT.failed;
  }

  // Printing heads: standard output carries the TSV alone, so it can be redirected to a file.
  const out: OutputStream = printHeads ? io.stderr : io.stdout;
  if (records === 0) {
    writeLine(io.stderr, `${subject(source.label)} holds no events: nothing to verify`);
    return EXIT.failed;
  }
  if (intact) {
    writeLine(
      out,
      `${source.label}: intact — ${records} events in ${report.streams} streams; every hash chain verifies and every event reads`,
    );
    if (recorded) writeLine(out, `  ${headsSummary(recorded, heads, options.heads!)}`);
    const signedNote = signaturesSummary(signed.signed, signed.verified);
    if (signedNote) writeLine(out, `  ${signedNote}`);
  } else {
    const first = report.firstBreak
      ? breaks.find((b) => b.streamId === report.firstBreak!.streamId)
      : undefined;
    if (first)
      writeLine(
        out,
        `${source.label}: BROKEN — stream ${inline(first.streamId)}, revision ${first.revision}: ${first.chain}${first.line === undefined ? '' : ` (line ${first.line})`}`,
      );
    else
      writeLine(
        out,
        `${source.label}: INVALID — ${plural(problemCount, 'problem')} (the hash chains verify)`,
      );
    for (const p of all.slice(0, limit)) writeLine(out, `  ${formatProblem(source.label, p)}`);
    if (problemCount > limit) writeLine(out, `  … and ${problemCount - limit} more`);
    writeLine(
      out,
      `${records} records, ${report.streams} streams, ${plural(report.breaks.length, 'broken chain')}, ${plural(problemCount - breaks.length, 'unreadable or invalid record')}`,
    );
  }
  for (const s of seals) printSealVerdict(out, source.label, s, limit);
  if (consistency)
    writeLine(
      out,
      `${inline(sealFileOf(consistency.older))} → ${inline(sealFileOf(consistency.newer))}: ${consistency.ok ? 'CONSISTENT' : newer!.verdict!.rootMatches ? 'NOT CONSISTENT' : 'NOT CHECKED'} — ${consistency.message}`,
    );
  if (printHeads && ok) await writeHeadsTsv(io.stdout, heads);
  return ok ? EXIT.ok : EXIT.failed;
};

/** How the history stands against heads recorded earlier (when every chain verified against them). */
const headsSummary = (
  recorded: StreamHeads,
  now: ReadonlyMap<string, { revision: number }>,
  file: string,
): string => {
  const ids = Object.keys(recorded);
  const grew = ids.filter((id) => (now.get(id)?.revision ?? -1) > recorded[id]!.revision).length;
  const added = [...now.keys()].filter((id) => !Object.prototype.hasOwnProperty.call(recorded, id)).length;
  return `every one of the ${plural(ids.length, 'head')} recorded in ${inline(file)} is there, unchanged; since then ${plural(grew, 'stream')} grew and ${plural(added, 'stream was', 'streams were')} added`;
};

// `file:line: event N: message`; a block or a reordering names its events in the message itself.
const findingText = (label: string, f: SealFinding): string =>
  inline(
    `${f.line === undefined ? label : `${label}:${f.line}`}: ${f.position === undefined || f.kind === 'block' || f.kind === 'reordered' ? '' : `event ${f.position + 1}: `}${f.message}`,
  );

const printSealVerdict = (out: OutputStream, label: string, s: LoadedSeal, limit: number) => {
  const { seal, file } = s;
  const v = s.verdict!;
  const who = `office ${inline(seal.office)} at ${inline(seal.at)} (key ${short(seal.key)})`;
  if (v.ok) {
    writeLine(
      out,
      `${inline(file)}: AS SEALED — the first ${seal.size} events are exactly those sealed by ${who}`,
    );
    if (v.appended.count > 0) {
      writeLine(
        out,
        `  then ${plural(v.appended.count, 'event')} in ${plural(v.appended.streams, 'stream')}, each appended to its stream after the seal (a later seal covers them)`,
      );
      if (v.appended.backdatedCount > 0)
        writeLine(
          out,
          `  ${plural(v.appended.backdatedCount, 'of them is', 'of them are')} dated before the seal was made: ${v.appended.backdated
            .slice(0, 5)
            .map(
              (e) =>
                `${e.streamId} revision ${e.revision} at ${e.at}${e.line === undefined ? '' : ` (line ${e.line})`}`,
            )
            .join('; ')}${v.appended.backdatedCount > 5 ? '; …' : ''}`,
        );
    } else writeLine(out, '  and nothing after them');
    return;
  }
  writeLine(
    out,
    `${inline(file)}: NOT AS SEALED — ${
      v.rootMatches
        ? `the first ${seal.size} events are those sealed by ${who}, but what follows is not appended to them`
        : `the first ${seal.size} events are not those sealed by ${who}`
    }`,
  );
  for (const f of v.findings.slice(0, limit)) writeLine(out, `  ${findingText(label, f)}`);
  if (v.findings.length > limit) writeLine(out, `  … and ${v.findings.length - limit} more`);
  if (!v.indexUsed && !v.rootMatches)
    writeLine(
      out,
      `  (without the seal's index, ${inline(indexFileFor(file))}, a difference is found but not located)`,
    );
};
