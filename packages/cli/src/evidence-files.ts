import { promises as fs } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { isLeft } from 'fp-ts/Either';
import {
  decodeSeal,
  decodeSealIndex,
  parseHeadsTsv,
  readKey,
  type EvidenceError,
  type KeyRole,
  type Seal,
  type SealIndex,
  type StreamHeads,
} from '@duban/engine';
import { CliError, EXIT, resolvePath, systemError, usageError, writeLine, type CliIO } from './io';
import { parseStrictJson } from './json';
import { inline } from './terminal';

/**
 * The files of evidence the CLI reads: keys, seals, seal indexes, heads and proofs. A file that cannot
 * be read, or is not what its option asks for, is a usage error (exit 2) naming the option, the file
 * and every problem; a check that fails on a well-formed file is the command's verdict (exit 1).
 */
const where = (option: string, file: string) => `${option} ${inline(file)}`;

export const readText = async (io: CliIO, option: string, file: string): Promise<string> => {
  try {
    return await fs.readFile(resolvePath(io, file), 'utf8');
  } catch (error) {
    throw usageError(`${where(option, file)}: cannot read: ${systemError(error)}`);
  }
};

export const fileExists = async (io: CliIO, file: string): Promise<boolean> =>
  fs.stat(resolvePath(io, file)).then(
    (s) => s.isFile(),
    () => false,
  );

/** Strict JSON (I-JSON, bounded nesting), as every file the CLI reads. */
export const readJson = async (io: CliIO, option: string, file: string, exitCode: number = EXIT.usage) => {
  const parsed = parseStrictJson((await readText(io, option, file)).replace(/^\ufeff/, ''));
  if (!parsed.ok)
    throw new CliError(
      `${where(option, file)}: ${parsed.syntax ? `is not JSON: ${inline(parsed.message)}` : `${inline(parsed.field)}: ${parsed.message}`}`,
      exitCode,
    );
  return parsed.value;
};

/** The error's message, then each problem on its own line. */
export const evidenceProblem = (error: EvidenceError, exitCode: number) =>
  new CliError(
    [inline(error.message), ...error.problems.map((p) => `  ${inline(p.where)}: ${inline(p.message)}`)].join(
      '\n',
    ),
    exitCode,
  );

export const loadKey = async (io: CliIO, option: string, file: string, role: KeyRole): Promise<KeyObject> => {
  const key = readKey(await readText(io, option, file), role, where(option, file));
  if (isLeft(key)) throw usageError(key.left.message);
  return key.right;
};

export const loadSeal = async (io: CliIO, option: string, file: string): Promise<Seal> => {
  const seal = decodeSeal(await readJson(io, option, file), where(option, file));
  if (isLeft(seal)) throw evidenceProblem(seal.left, EXIT.usage);
  return seal.right;
};

/** SEAL.json → SEAL.index.json: where `duban seal` writes the index. */
export const indexFileFor = (sealFile: string): string =>
  sealFile.endsWith('.json') ? `${sealFile.slice(0, -'.json'.length)}.index.json` : `${sealFile}.index.json`;

/**
 * The seal's index, when there is one beside it: the full heads and block roots that let a verifier
 * name where a history departs from the seal. One that does not fit the seal is set aside with a
 * warning: differences are then still found, only not located.
 */
export const loadSealIndex = async (
  io: CliIO,
  seal: Seal,
  sealFile: string,
): Promise<SealIndex | undefined> => {
  const file = indexFileFor(sealFile);
  if (!(await fileExists(io, file))) return undefined;
  let value: unknown;
  try {
    value = await readJson(io, '--seal', file, EXIT.failed);
  } catch (error) {
    writeLine(io.stderr, `warning: ${(error as Error).message}; the seal's index is not used`);
    return undefined;
  }
  const index = decodeSealIndex(value, seal, inline(file));
  if (isLeft(index)) {
    writeLine(
      io.stderr,
      `warning: ${inline(index.left.message)}${index.left.problems.map((p) => `\n  ${inline(p.where)}: ${inline(p.message)}`).join('')}\n  the index is not used: what differs from the seal is found, not located`,
    );
    return undefined;
  }
  return index.right;
};

export const loadHeads = async (io: CliIO, file: string): Promise<StreamHeads> => {
  const heads = parseHeadsTsv(await readText(io, '--heads', file), inline(file));
  if (isLeft(heads))
    throw usageError(
      [
        `--heads ${heads.left.message}`,
        ...heads.left.problems.slice(0, 20).map((p) => `  ${inline(p.where)}: ${inline(p.message)}`),
        ...(heads.left.problems.length > 20 ? [`  … and ${heads.left.problems.length - 20} more`] : []),
      ].join('\n'),
    );
  return heads.right;
};
