import * as t from 'io-ts';
import { Actor, Ed25519SignatureHex, Instant, LIMITS } from '@duban/domain';

// Control characters (C0, DEL, C1) never belong in a key that ends up in logs, terminals and file names.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// A lone surrogate has no UTF-8 form: a key holding one could not be hashed into an event id as written.
const LONE_SURROGATE = /\p{Cs}/u;

/** An idempotency, correlation or causation key: printable text, not blank, at most `LIMITS.commandIdLength`. */
export const CommandKey = new t.Type<string, string, unknown>(
  'CommandKey',
  (u): u is string =>
    typeof u === 'string' &&
    u.trim() !== '' &&
    u.length <= LIMITS.commandIdLength &&
    !CONTROL.test(u) &&
    !LONE_SURROGATE.test(u),
  (u, c) =>
    typeof u !== 'string'
      ? t.failure(u, c)
      : u.trim() === ''
        ? t.failure(u, c, 'must be a non-empty key')
        : u.length > LIMITS.commandIdLength
          ? t.failure(u, c, `must be at most ${LIMITS.commandIdLength} characters`)
          : CONTROL.test(u)
            ? t.failure(u, c, 'must not hold control characters')
            : LONE_SURROGATE.test(u)
              ? t.failure(u, c, 'must be well-formed text (a lone surrogate has no UTF-8 form)')
              : t.success(u),
  t.identity,
);

/**
 * Who issues a command, when, and under which idempotency key: the second argument of
 * `engine.execute`, decoded with this codec (every problem named) before anything is read or decided.
 */
export const CommandMeta = t.intersection(
  [
    t.strict({ actor: Actor, at: Instant, commandId: CommandKey }),
    t.exact(
      t.partial({
        correlationId: CommandKey,
        causationId: CommandKey,
        /** Ed25519 over the command (docs/auditing.md, "Signed commands"): `signCommand` makes it. */
        signature: Ed25519SignatureHex,
      }),
    ),
  ],
  'CommandMeta',
);
export type CommandMeta = t.TypeOf<typeof CommandMeta>;

/** The meta's own keys: what `CommandMeta` holds besides the actor and time the command carries too. */
export type CommandKeys = Omit<CommandMeta, 'actor' | 'at'>;

const optionalKeys = ['correlationId', 'causationId'] as const;

/**
 * The keys of a meta checked field by field with `CommandMeta`'s own codecs, without io-ts's
 * intersection machinery: their decoded value when every one is valid, else undefined (the caller then
 * decodes with `CommandMeta` for the report naming each problem). The actor and time are left to the
 * command's decoding, which uses the same codecs on the same values. A test checks that it accepts
 * exactly what `CommandMeta` accepts and gives the same keys.
 */
export const commandKeysOf = (meta: Readonly<Record<string, unknown>>): CommandKeys | undefined => {
  const { commandId, signature } = meta;
  if (!CommandKey.is(commandId)) return undefined;
  const keys: { -readonly [K in keyof CommandKeys]: CommandKeys[K] } = { commandId };
  for (const name of optionalKeys) {
    const value = meta[name];
    if (value === undefined) continue;
    if (!CommandKey.is(value)) return undefined;
    keys[name] = value;
  }
  if (signature !== undefined) {
    if (!Ed25519SignatureHex.is(signature)) return undefined;
    keys.signature = signature;
  }
  return keys;
};
