import { isLeft, isRight, left, right, type Either } from 'fp-ts/Either';
import {
  decodeCommand,
  toProblems,
  validationError,
  type Command,
  type Problem,
  type ValidationError,
} from '@duban/domain';
import { CommandMeta, commandKeysOf } from './command-meta';
import { canonicalJson } from './envelope/hash-chain';
import { commandDigest } from './envelope/seal';
import { sha256Hex } from './envelope/sha256';
import { plainJsonCopy } from './json-copy';

/** A command as callers hand it in: its type and data (actor and time come in `CommandMeta`). */
export interface CommandInput {
  readonly type: string;
  readonly data: unknown;
}

/** A command as the engine works on it: decoded from one private copy of the caller's input. */
export interface Received {
  readonly command: Command;
  readonly meta: CommandMeta;
  /** SHA-256 of the command's canonical JSON (type, data, actor, at): what a reused command id is checked against. */
  readonly digest: string;
}

/** The eight values `receive` reads from the caller, each read once. */
interface Read {
  readonly type: unknown;
  readonly data: unknown;
  readonly actor: unknown;
  readonly at: unknown;
  readonly commandId: unknown;
  readonly correlationId: unknown;
  readonly causationId: unknown;
  readonly signature: unknown;
}

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The values read, as one JSON copy: the copy every path decodes (never the caller's objects). Plain
 * values are copied without the text in between; the rest take the JSON round trip that defines it.
 */
const copyOf = (value: unknown): unknown =>
  (plainJsonCopy(value) ?? { copy: JSON.parse(JSON.stringify(value)) as unknown }).copy;

/**
 * The general path: the copy of all eight values decoded with every problem named. What the fast path
 * does not vouch for ends here, so this is the definition of what `receive` accepts.
 */
export const receiveChecked = (
  copy: Readonly<Record<string, unknown>>,
): Either<ValidationError, Received> => {
  const { type, data, ...rest } = copy;
  const decoded = decodeCommand({ type, actor: rest.actor, at: rest.at, data });
  // The meta's actor and time are the command's, decoded by the same codecs: only its keys are left.
  const keys = commandKeysOf(rest);
  if (keys && isRight(decoded)) {
    const command = decoded.right;
    return right({
      command,
      meta: { actor: command.actor, at: command.at, ...keys },
      digest: commandDigest(command),
    });
  }
  const problems: Problem[] = [];
  const decodedMeta = CommandMeta.decode(rest);
  if (isLeft(decodedMeta))
    problems.push(...toProblems(decodedMeta.left).filter((p) => !/^(actor|at)\b/.test(p.path)));
  if (isLeft(decoded)) problems.push(...decoded.left.problems);
  if (problems.length > 0 || isLeft(decoded) || isLeft(decodedMeta)) return left(validationError(problems));
  const command = decoded.right;
  return right({ command, meta: decodedMeta.right, digest: commandDigest(command) });
};

const isKey = (u: unknown): u is string | undefined => u === undefined || typeof u === 'string';

/** The meta's keys that are there, as a JSON copy of them holds them (a string is its own copy). */
const presentKeys = (read: Read): Record<string, string> => {
  const keys: Record<string, string> = {};
  for (const name of ['commandId', 'correlationId', 'causationId', 'signature'] as const) {
    const value = read[name];
    if (value !== undefined) keys[name] = value as string;
  }
  return keys;
};

/**
 * The common case, on a copy of the command alone: the command decodes and the decoder returns the
 * copy itself (valid, nothing stripped), so the digest is that of the copy's canonical JSON with no
 * object built for it, and the keys (strings) pass their codecs. Anything else is left to
 * `receiveChecked` (undefined). A property test checks that `receive` answers what `receiveChecked`
 * answers on the copy of all eight values.
 */
export const receiveFast = (copy: unknown, keys: Readonly<Record<string, string>>): Received | undefined => {
  const decoded = decodeCommand(copy);
  if (isLeft(decoded) || decoded.right !== copy) return undefined;
  const meta = commandKeysOf(keys);
  if (!meta) return undefined;
  const command = decoded.right;
  return {
    command,
    meta: { actor: command.actor, at: command.at, ...meta },
    digest: sha256Hex(canonicalJson(command)),
  };
};

/**
 * Reads the caller's command and meta once, into a JSON copy, and decodes only the copy: a getter that
 * answers differently the second time, or an object the caller changes after the call, cannot reach an
 * event. Input that cannot be copied (cycles, BigInts, nesting too deep, throwing getters) is invalid.
 */
export const receive = (input: CommandInput, meta: CommandMeta): Either<ValidationError, Received> => {
  let read: Read;
  let copy: unknown;
  let keysAreStrings: boolean;
  try {
    read = {
      type: input?.type,
      data: input?.data,
      actor: meta?.actor,
      at: meta?.at,
      commandId: meta?.commandId,
      correlationId: meta?.correlationId,
      causationId: meta?.causationId,
      signature: meta?.signature,
    };
    // Keys that are strings need no copy: only the command is copied (in the order the whole would
    // be, so the first value that cannot be copied is the same one).
    keysAreStrings =
      isKey(read.commandId) && isKey(read.correlationId) && isKey(read.causationId) && isKey(read.signature);
    copy = copyOf(
      keysAreStrings ? { type: read.type, data: read.data, actor: read.actor, at: read.at } : read,
    );
  } catch (error) {
    const why =
      error instanceof RangeError ? 'is nested too deeply' : `could not be read: ${describeError(error)}`;
    return left(validationError([{ path: '', message: why }]));
  }
  if (!keysAreStrings) return receiveChecked(copy as Record<string, unknown>);
  const keys = presentKeys(read);
  const fast = receiveFast(copy, keys);
  return fast ? right(fast) : receiveChecked({ ...(copy as Record<string, unknown>), ...keys });
};
