import { createPublicKey, type KeyObject } from 'node:crypto';
import { left, right, type Either } from 'fp-ts/Either';
import { actorKeyInForce, type Actor, type OfficeState } from '@duban/domain';
import { canonicalJson } from '../envelope/hash-chain';
import { commandDigest } from '../envelope/seal';
import { rawPublicKey, signBytes, verifyBytes } from './keys';

/**
 * Signed commands (docs/auditing.md, "Signed commands"). A person with a key on the office's record
 * signs each command they issue; the engine keeps the signature in the envelope, and anyone can check
 * it against the history alone. The signed message is the UTF-8 of the RFC 8785 canonical JSON of
 * `{format, type, actor, at, commandId, commandDigest}`, where `commandDigest` is the SHA-256 of the
 * canonical JSON of `{type, data, actor, at}` — the digest every envelope already records, since a
 * history keeps a command's events, not its data: so a verifier needs nothing the history lacks.
 */
export const COMMAND_SIGNATURE_FORMAT = 'duban-command/1';

export interface SignedCommandFields {
  readonly type: string;
  readonly actor: Actor;
  readonly at: string;
  readonly commandId: string;
  readonly commandDigest: string;
}

/** The bytes a command's signature covers. */
export const commandSigningMessage = (c: SignedCommandFields): Buffer =>
  Buffer.from(
    canonicalJson({
      format: COMMAND_SIGNATURE_FORMAT,
      type: c.type,
      actor: c.actor,
      at: c.at,
      commandId: c.commandId,
      commandDigest: c.commandDigest,
    }),
    'utf8',
  );

/**
 * Signs a command as a client would before handing it to `engine.execute`: put the result in
 * `meta.signature`. `command.data` must be what the engine will decode (no fields it drops).
 */
export const signCommand = (
  command: { readonly type: string; readonly data: unknown },
  meta: { readonly actor: Actor; readonly at: string; readonly commandId: string },
  privateKey: KeyObject,
): string =>
  signBytes(
    commandSigningMessage({
      type: command.type,
      actor: meta.actor,
      at: meta.at,
      commandId: meta.commandId,
      commandDigest: commandDigest({ ...command, actor: meta.actor, at: meta.at }),
    }),
    privateKey,
  ).toString('hex');

/** `meta` with the command's signature when a key is given (a person with a key on record), else as it is. */
export const signedMeta = <
  M extends { readonly actor: Actor; readonly at: string; readonly commandId: string },
>(
  command: { readonly type: string; readonly data: unknown },
  meta: M,
  privateKey: KeyObject | undefined,
): M | (M & { readonly signature: string }) =>
  privateKey ? { ...meta, signature: signCommand(command, meta, privateKey) } : meta;

/** The hex of an Ed25519 public key's 32 raw bytes: what RegisterActorKey records. */
export const publicKeyHex = (key: KeyObject): string => rawPublicKey(key).toString('hex');

const keys = new Map<string, KeyObject>();
/** The key a registered hex names (64 hex digits, as the record's codec checked). */
export const publicKeyFromHex = (hex: string): KeyObject => {
  let key = keys.get(hex);
  if (!key) {
    key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') },
      format: 'jwk',
    });
    if (keys.size >= 10_000) keys.clear();
    keys.set(hex, key);
  }
  return key;
};

/** Does `signature` (hex) verify over the command with the public key `publicKey` (hex)? */
export const commandSignatureVerifies = (
  c: SignedCommandFields,
  signature: string,
  publicKey: string,
): boolean =>
  /^[0-9a-f]{128}$/.test(signature) &&
  verifyBytes(commandSigningMessage(c), Buffer.from(signature, 'hex'), publicKeyFromHex(publicKey));

/** What the envelope keeps of a signature: the key it verified with and the signature itself. */
export interface CommandSignature {
  readonly publicKey: string;
  readonly value: string;
}

/** A command from a person with a key on record came unsigned or badly signed. Nothing was written. */
export interface SignatureError {
  readonly kind: 'SignatureError';
  readonly code: 'SignatureRequired' | 'SignatureInvalid' | 'KeyRevoked';
  readonly message: string;
  readonly field: 'signature';
}

/**
 * The engine's check of one command against the office's record as it stands: with no key in force for
 * the actor's person, nothing is required (a signature given then is not kept: there is nothing on
 * record to check it with); with one, the signature must verify with it.
 */
export const checkCommandSignature = (
  command: SignedCommandFields,
  signature: string | undefined,
  office: OfficeState | undefined,
): Either<SignatureError, CommandSignature | undefined> => {
  const who = `${command.actor.kind} ${command.actor.id}`;
  const key = actorKeyInForce(office, command.actor.id);
  if (key === undefined) return right(undefined);
  const fail = (code: SignatureError['code'], message: string) =>
    left<SignatureError>({ kind: 'SignatureError', code, field: 'signature', message });
  if (signature === undefined)
    return fail(
      'SignatureRequired',
      `${who} has a signing key on record: their commands are accepted signed (meta.signature); nothing was written`,
    );
  if (commandSignatureVerifies(command, signature, key)) return right({ publicKey: key, value: signature });
  const ended = office!.actorKeys[command.actor.id]!.find(
    (k) => k.endedRevision !== undefined && commandSignatureVerifies(command, signature, k.publicKey),
  );
  return ended
    ? fail(
        'KeyRevoked',
        `signed with a key of ${who} that ended at office revision ${ended.endedRevision}${ended.endedReason ? ` (${ended.endedReason})` : ''}; nothing was written`,
      )
    : fail(
        'SignatureInvalid',
        `the signature does not verify with the key of ${who} on record (registered at office revision ${office!.actorKeys[command.actor.id]!.find((k) => k.publicKey === key)!.revision}); nothing was written`,
      );
};
