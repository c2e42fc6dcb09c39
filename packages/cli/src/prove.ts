import type { KeyObject } from 'node:crypto';
import { isLeft } from 'fp-ts/Either';
import { Id, decodeWith } from '@duban/domain';
import {
  createProver,
  verifyInclusionProof,
  verifySealSignature,
  type Hashable,
  type InclusionProof,
  type ProofSubject,
} from '@duban/engine';
import { createHistoryChecker, formatProblem, type Problem } from './checked';
import { evidenceProblem, loadKey, loadSeal, readJson } from './evidence-files';
import {
  CliError,
  EXIT,
  resolvePath,
  usageError,
  writeAll,
  writeFileAtomically,
  writeJson,
  writeLine,
  type CliIO,
} from './io';
import { progressBar } from './progress';
import { displayPath, openSource } from './source';
import { inline } from './terminal';

/**
 * `duban prove SOURCE --task ID | --unit ID --seal SEAL.json [--out PROOF.json]`: an inclusion proof
 * for every event of one task, or of every task a unit leads or co-operates on and of the unit's own
 * stream, as of the seal. `duban verify-proof PROOF --pubkey PUB` checks one with nothing but the
 * office's public key: a unit can check its own tasks without seeing any other unit's data.
 */
export interface ProveOptions {
  readonly task?: string;
  readonly unit?: string;
  readonly seal: string;
  readonly out?: string;
  /** Check the seal's signature before proving (the proof is checked by whoever receives it anyway). */
  readonly pubkey?: string;
  readonly limit?: number;
}

const idOf = (option: string, value: string, prefix: string): string => {
  const id = value.startsWith(prefix) ? value.slice(prefix.length) : value;
  if (isLeft(decodeWith(Id, id)))
    throw usageError(`${option} ${inline(value)}: must be an id (letters, digits, "-", "_", ".", ":")`);
  return id;
};

/** The proof as a file: indented JSON, exactly what verify-proof reads. */
const proofJson = (proof: InclusionProof): string => `${JSON.stringify(proof, null, 1)}\n`;

export const proveCommand = async (io: CliIO, spec: string, options: ProveOptions): Promise<number> => {
  if ((options.task === undefined) === (options.unit === undefined))
    throw usageError('prove: give --task ID or --unit ID (one of them)');
  const seal = await loadSeal(io, '--seal', options.seal);
  if (options.pubkey !== undefined) {
    const key = await loadKey(io, '--pubkey', options.pubkey, 'public');
    const signature = verifySealSignature(seal, [key]);
    if (!signature.ok)
      throw new CliError(`--seal ${inline(options.seal)}: NOT A VALID SEAL — ${signature.message}`);
  }
  let subject: ProofSubject;
  let streams: string[];
  let select: ((first: Hashable) => boolean) | undefined;
  if (options.task !== undefined) {
    const task = idOf('--task', options.task, 'task-');
    subject = { task };
    streams = [`task-${task}`];
  } else {
    const unit = idOf('--unit', options.unit!, 'unit-');
    subject = { unit };
    streams = [`unit-${unit}`];
    // A task of the unit: its assignment names the unit as lead unit or co-unit.
    select = (first) => {
      const data = first.data as { leadUnit?: unknown; coUnits?: unknown };
      return (
        first.type === 'TaskAssigned' &&
        (data.leadUnit === unit || (Array.isArray(data.coUnits) && data.coUnits.includes(unit)))
      );
    };
  }

  const source = await openSource(io, spec);
  const checker = createHistoryChecker();
  const prover = createProver(seal, { subject, streams, ...(select ? { select } : {}) });
  const problems: Problem[] = [];
  let position = 0;
  let lastSealedLine: number | undefined;
  const bar = progressBar(io.stderr, 'proving', source.size);
  try {
    for await (const record of source.records({ onBytes: (n) => bar.update(n) })) {
      const result = checker.check(record);
      // What follows the seal is not proven, so only the sealed range must read.
      if (position++ < seal.size) {
        problems.push(...result.problems.filter((p) => p.kind !== 'chain'));
        lastSealedLine = record.line;
      }
      prover.push(result.event?.raw);
    }
  } finally {
    bar.stop();
    await source.close();
  }
  const breaks = checker
    .finish()
    .breaks.filter((b) => b.line === undefined || lastSealedLine === undefined || b.line <= lastSealedLine);
  problems.push(...breaks);
  if (problems.length > 0)
    throw new CliError(
      [
        `${source.label}: no proof made — the sealed events do not verify (duban verify --seal names every problem)`,
        ...problems.slice(0, options.limit ?? 20).map((p) => `  ${formatProblem(source.label, p)}`),
      ].join('\n'),
    );
  const made = prover.prove();
  if (isLeft(made))
    throw evidenceProblem(
      { ...made.left, message: `${source.label}: no proof made — ${made.left.message}` },
      EXIT.failed,
    );
  const proof = made.right;
  const present = proof.streams.filter((s) => s.events.length > 0);
  if ('task' in subject && present.length === 0)
    throw new CliError(
      `${source.label}: task ${inline(subject.task)} is not among the ${seal.size} sealed events: there is nothing to prove (is the id right?)`,
    );
  const events = present.reduce((n, s) => n + s.events.length, 0);
  const what =
    'task' in subject
      ? `task ${inline(subject.task)}`
      : `unit ${inline(subject.unit)}: ${present.filter((s) => s.streamId.startsWith('task-')).length} tasks${present.some((s) => s.streamId === `unit-${subject.unit}`) ? ' and its own stream' : ' (its own stream is not in the history: shown absent)'}`;
  const summary = `proof of ${what} — ${events} events of the ${seal.size} sealed by office ${inline(seal.office)} at ${seal.at}`;
  if (options.out) {
    const file = resolvePath(io, options.out);
    await writeFileAtomically(file, displayPath(io, file), (out) => writeAll(out, proofJson(proof)));
    writeLine(io.stdout, summary);
    writeLine(
      io.stdout,
      `wrote ${inline(displayPath(io, file))}; check it with duban verify-proof ${inline(options.out)} --pubkey PUB`,
    );
  } else {
    io.stdout.write(proofJson(proof));
    writeLine(io.stderr, summary);
  }
  return EXIT.ok;
};

export interface VerifyProofOptions {
  readonly pubkey: readonly string[];
  readonly json?: boolean;
  readonly limit?: number;
}

export const verifyProofCommand = async (
  io: CliIO,
  file: string,
  options: VerifyProofOptions,
): Promise<number> => {
  if (options.pubkey.length === 0)
    throw usageError("verify-proof needs --pubkey PUB: the office's public key (PEM or JWK)");
  const keys: KeyObject[] = [];
  for (const k of options.pubkey) keys.push(await loadKey(io, '--pubkey', k, 'public'));
  // A proof that is not JSON is a proof that fails, not a wrong command line.
  const value = await readJson(io, 'proof', file, EXIT.failed);
  const verdict = verifyInclusionProof(value, keys);
  const limit = options.limit ?? 20;
  if (options.json) {
    writeJson(io.stdout, {
      proof: inline(file),
      ...verdict,
      problems: verdict.problems.slice(0, limit),
      problemCount: verdict.problems.length,
    });
    return verdict.ok ? EXIT.ok : EXIT.failed;
  }
  const label = inline(file);
  if (!verdict.ok) {
    writeLine(
      io.stdout,
      `${label}: INVALID — ${verdict.problems.length} problem${verdict.problems.length === 1 ? '' : 's'}`,
    );
    for (const p of verdict.problems.slice(0, limit))
      writeLine(io.stdout, `  ${label}: ${inline(p.where)}: ${inline(p.message)}`);
    if (verdict.problems.length > limit)
      writeLine(io.stdout, `  … and ${verdict.problems.length - limit} more`);
    return EXIT.failed;
  }
  const seal = verdict.seal!;
  const subject = verdict.subject!;
  writeLine(
    io.stdout,
    `${label}: VALID — ${'task' in subject ? `task ${inline(subject.task)}` : `unit ${inline(subject.unit)}`}, as sealed by office ${inline(seal.office)} at ${inline(seal.at)} (${seal.size} events, key ${seal.key.slice(0, 16)}…)`,
  );
  for (const s of verdict.streams)
    writeLine(
      io.stdout,
      s.absent
        ? `  ${inline(s.streamId)}: not in the sealed history (shown by its neighbours among the sealed heads)`
        : `  ${inline(s.streamId)}: revisions 0–${s.events - 1}, complete as sealed (events ${s.firstPosition! + 1}–${s.lastPosition! + 1} of the sealed history)`,
    );
  if ('unit' in subject)
    writeLine(
      io.stdout,
      `  (each task shown is the unit's and whole; that no other task names unit ${inline(subject.unit)} only the whole history can show)`,
    );
  return EXIT.ok;
};
