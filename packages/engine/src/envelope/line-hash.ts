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
  if (typeof type !== 'string' || typeof metadata.hash !== 'string') return undefined;
  if (!canonicalValue(data, 0) || !canonicalValue(metadata, 0)) return undefined;
  const text = `{"data":${JSON.stringify(data)},"metadata":${JSON.stringify(metadata)},"type":${JSON.stringify(type)}}`;
  if (text !== line) return undefined;
  // The member to leave out, found once only: a second occurrence (a key ending in `"hash`, quoted
  // inside another key) would leave it unclear which to cut.
  const member = `"hash":${JSON.stringify(metadata.hash)}`;
  const at = line.indexOf(member);
  if (at < 0 || line.indexOf(member, at + 1) >= 0) return undefined;
  const end = at + member.length;
  const covered =
    line.charCodeAt(end) === COMMA
      ? line.slice(0, at) + line.slice(end + 1)
      : line.charCodeAt(at - 1) === COMMA
        ? line.slice(0, at - 1) + line.slice(end)
        : line.slice(0, at) + line.slice(end);
  return sha256Hex(covered);
};

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
