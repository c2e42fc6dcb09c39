import type { Hashable } from './hash-chain';
import { sha256Hex } from './sha256';

/**
 * An event's hash from the line it was read from, without serialising it again. When the line is the
 * RFC 8785 canonical JSON of the envelope (`envelopeLine` writes it so), the line without its
 * `metadata.hash` member is, character for character, what the hash covers.
 *
 * The line is proved canonical cheaply: every object in the event is plain with its keys in sorted
 * order, every value one JSON holds as itself (strings, finite numbers, booleans, null), and the line
 * is exactly what the native `JSON.stringify` writes for the event's data, metadata and type put in
 * canonical order — for such values `JSON.stringify` and canonical JSON agree (a property test checks
 * it). Anything else — another key order, spaces, an escape written differently, a number as `1.0`,
 * a line that is not this event's — gives undefined, and the caller serialises canonically as ever.
 */
export const hashOfCanonicalLine = (event: Hashable, line: string): string | undefined => {
  const { type, data, metadata } = event;
  if (typeof type !== 'string' || typeof metadata.hash !== 'string' || !line.startsWith(DATA))
    return undefined;
  if (!canonicalValue(data, 0) || !canonicalValue(metadata, 0)) return undefined;
  // The line is `{"data":D,"metadata":M,"type":T}`, compared piece by piece where it lies.
  const d = JSON.stringify(data);
  const m = JSON.stringify(metadata);
  const t = JSON.stringify(type);
  const metaAt = DATA.length + d.length + METADATA.length;
  if (
    line.length !== metaAt + m.length + TYPE.length + t.length + 1 ||
    !line.startsWith(d, DATA.length) ||
    !line.startsWith(METADATA, DATA.length + d.length) ||
    !line.startsWith(m, metaAt) ||
    !line.startsWith(TYPE, metaAt + m.length) ||
    !line.startsWith(t, metaAt + m.length + TYPE.length) ||
    line.charCodeAt(line.length - 1) !== CLOSE
  )
    return undefined;
  // The member to leave out, found in the metadata once only: a second occurrence (a key ending in
  // `"hash`, quoted inside another key) would leave it unclear which to cut.
  const member = `"hash":${JSON.stringify(metadata.hash)}`;
  const at = m.indexOf(member);
  if (at < 0 || m.indexOf(member, at + 1) >= 0) return undefined;
  const end = at + member.length;
  const [cutFrom, cutTo] =
    m.charCodeAt(end) === COMMA ? [at, end + 1] : m.charCodeAt(at - 1) === COMMA ? [at - 1, end] : [at, end];
  return sha256Hex(line.slice(0, metaAt + cutFrom) + line.slice(metaAt + cutTo));
};

const DATA = '{"data":';
const METADATA = ',"metadata":';
const TYPE = ',"type":';
const CLOSE = 0x7d;
const COMMA = 0x2c;

/** Deeper than any event a store accepts (history lines nest at most 64 deep). */
const MAX_DEPTH = 100;

/** A JSON value written the same by `JSON.stringify` and canonical JSON: sorted keys, plain data. */
const canonicalValue = (v: unknown, depth: number): boolean => {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'object': {
      if (v === null) return true;
      if (depth > MAX_DEPTH) return false;
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype) return false;
        for (let i = 0; i < v.length; i++) if (!canonicalValue(v[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      let previous: string | undefined;
      for (const key in v) {
        // Sorted by UTF-16 code units, as RFC 8785 sorts, each key once.
        if (previous !== undefined && !(previous < key)) return false;
        if (!canonicalValue((v as Record<string, unknown>)[key], depth + 1)) return false;
        previous = key;
      }
      return true;
    }
    default:
      return false;
  }
};
