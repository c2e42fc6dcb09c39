import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { left, right, type Either } from 'fp-ts/Either';
import { evidenceError, type EvidenceError } from './errors';

/**
 * The office's Ed25519 key (RFC 8032), through node:crypto. A key file is PEM (PKCS #8 for the private
 * key, SPKI for the public one, as `openssl genpkey -algorithm ed25519` and `openssl pkey -pubout`
 * write them) or a JWK (`{"kty":"OKP","crv":"Ed25519","x":…}`, with `d` for the private key). The
 * private key signs seals and is never written anywhere by Duban; auditors need only the public key.
 */
export type KeyRole = 'private' | 'public';

const fail = (code: EvidenceError['code'], where: string, message: string) =>
  left(evidenceError(code, `${where}: ${message}`, [{ where, message }]));

const describe = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/^error:[0-9A-F]+:/i, '');

/** Reads a key file's text as the role asked for; `where` names the file in every message. */
export const readKey = (text: string, role: KeyRole, where: string): Either<EvidenceError, KeyObject> => {
  const trimmed = text.replace(/^\ufeff/, '').trim();
  let key: KeyObject;
  let isPrivate: boolean;
  try {
    if (trimmed.startsWith('{')) {
      let jwk: JsonWebKey;
      try {
        jwk = JSON.parse(trimmed) as JsonWebKey;
      } catch (error) {
        return fail('KeyUnreadable', where, `is not a JWK: ${describe(error)}`);
      }
      if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
        return fail('KeyUnreadable', where, 'is not a JWK: must be a JSON object');
      if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519')
        return fail(
          'KeyNotEd25519',
          where,
          `is a ${String(jwk.kty)}${jwk.crv ? `/${String(jwk.crv)}` : ''} key; seals are signed with Ed25519 (kty "OKP", crv "Ed25519")`,
        );
      isPrivate = typeof jwk.d === 'string';
      key = isPrivate
        ? createPrivateKey({ key: jwk, format: 'jwk' })
        : createPublicKey({ key: jwk, format: 'jwk' });
    } else if (trimmed.startsWith('-----BEGIN')) {
      isPrivate = /^-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(trimmed);
      if (/^-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(trimmed))
        return fail(
          'KeyUnreadable',
          where,
          'is an encrypted private key; give the key unencrypted (openssl pkey -in KEY -out PLAIN.pem), kept where only the sealer can read it',
        );
      key = isPrivate ? createPrivateKey(trimmed) : createPublicKey(trimmed);
    } else
      return fail('KeyUnreadable', where, 'is neither a PEM key ("-----BEGIN …") nor a JWK (a JSON object)');
  } catch (error) {
    return fail('KeyUnreadable', where, `cannot be read as a key: ${describe(error)}`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    return fail(
      'KeyNotEd25519',
      where,
      `is a ${key.asymmetricKeyType ?? 'symmetric'} key; seals are signed with Ed25519`,
    );
  if (role === 'private' && !isPrivate)
    return fail('KeyNotPrivate', where, 'is a public key; signing a seal needs the private key');
  if (role === 'public' && isPrivate)
    return fail(
      'KeyNotPublic',
      where,
      'is a private key; checking needs only the public key (openssl pkey -in KEY -pubout), and the private key should stay with the sealer',
    );
  return right(key);
};

/** The 32 bytes of an Ed25519 public key (RFC 8032 §5.1.5), from either half of the pair. */
export const rawPublicKey = (key: KeyObject): Buffer => {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const x = pub.export({ format: 'jwk' }).x;
  return Buffer.from(x!, 'base64url');
};

/** A seal's `key`: SHA-256 of the raw public key, hex. Names the key without carrying it. */
export const keyIdOf = (key: KeyObject): string =>
  createHash('sha256').update(rawPublicKey(key)).digest('hex');

export const signBytes = (message: Buffer, privateKey: KeyObject): Buffer => sign(null, message, privateKey);

export const verifyBytes = (message: Buffer, signature: Buffer, publicKey: KeyObject): boolean => {
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
};
