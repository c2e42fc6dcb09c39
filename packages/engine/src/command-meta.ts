import * as t from 'io-ts';
import { Actor, Ed25519SignatureHex, Instant, LIMITS } from '@duban/domain';

// Control characters (C0, DEL, C1) never belong in a key that ends up in logs, terminals and file names.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** An idempotency, correlation or causation key: printable text, not blank, at most `LIMITS.commandIdLength`. */
export const CommandKey = new t.Type<string, string, unknown>(
  'CommandKey',
  (u): u is string =>
    typeof u === 'string' && u.trim() !== '' && u.length <= LIMITS.commandIdLength && !CONTROL.test(u),
  (u, c) =>
    typeof u !== 'string'
      ? t.failure(u, c)
      : u.trim() === ''
        ? t.failure(u, c, 'must be a non-empty key')
        : u.length > LIMITS.commandIdLength
          ? t.failure(u, c, `must be at most ${LIMITS.commandIdLength} characters`)
          : CONTROL.test(u)
            ? t.failure(u, c, 'must not hold control characters')
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
