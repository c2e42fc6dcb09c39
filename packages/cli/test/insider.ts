import { generateKeyPairSync } from 'node:crypto';
import { hashEvent } from '@duban/engine';
import { envelopeLine } from '../src/export';
import { write } from './helpers';

/**
 * What a hostile insider does to an export: edits events as JSON and re-hashes every chain it touched,
 * so each stream verifies on its own again. The attacks of issue 14 are built from these.
 */
export interface Line {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

export const parseLines = (text: string): Line[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);

export const toNdjson = (lines: readonly Line[]): string => lines.map((l) => envelopeLine(l)).join('');

export const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

export const streamOf = (l: Line) => l.metadata.streamId as string;
export const revisionOf = (l: Line) => l.metadata.revision as number;

/** Re-links and re-hashes every event of the streams named, in file order, as an insider would. */
export const rehash = (lines: readonly Line[], streams: readonly string[]): Line[] => {
  const last = new Map<string, string>();
  return lines.map((l) => {
    const s = streamOf(l);
    if (!streams.includes(s)) return l;
    const c = copy(l);
    c.metadata.prevHash = last.get(s) ?? GENESIS;
    c.metadata.hash = hashEvent(c);
    last.set(s, c.metadata.hash as string);
    return c;
  });
};

/** The 1-based line where two histories first differ (what the seal's index should name). */
export const firstDifference = (a: readonly Line[], b: readonly Line[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return i + 1;
  return -1;
};

/** The office's key pair, written as an operator would keep them: PEM, and the public key as JWK too. */
export const officeKeys = async (dir: string) => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await write(dir, 'office.key.pem', privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  await write(dir, 'office.pub.pem', publicKey.export({ format: 'pem', type: 'spki' }) as string);
  await write(dir, 'office.pub.jwk', JSON.stringify(publicKey.export({ format: 'jwk' })));
  return { privateKey, publicKey, key: 'office.key.pem', pub: 'office.pub.pem', jwk: 'office.pub.jwk' };
};
