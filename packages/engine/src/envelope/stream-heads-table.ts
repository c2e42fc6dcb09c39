/**
 * Where a verifier keeps each stream's head while a history streams past: the next revision it
 * expects and the hash of the last event that verified. A history of 10M events may hold 750k
 * streams, so a head is a slot, not an object: its revision in a Float64Array (any JS number, exactly),
 * its 32-byte hash in one byte slab, both grown by doubling; the stream id maps to its slot. What
 * still grows with the number of streams: that map (the id strings and their entries) and the slots.
 */

const HASH_BYTES = 32;

/** The value of each lowercase hex digit by character code; -1 for anything else. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = i;
const hexValue = (c: number): number => (c < 128 ? HEX[c]! : -1);

/** True when `hex` is 64 lowercase hex digits: the only form a hash the verifier computed takes. */
export const isHashHex = (hex: string): boolean => {
  if (hex.length !== HASH_BYTES * 2) return false;
  for (let i = 0; i < hex.length; i++) if (hexValue(hex.charCodeAt(i)) < 0) return false;
  return true;
};

export class StreamHeadsTable {
  private readonly slots = new Map<string, number>();
  private next: Float64Array;
  private hashes: Uint8Array;

  constructor(capacity = 1024) {
    this.next = new Float64Array(capacity);
    this.hashes = new Uint8Array(capacity * HASH_BYTES);
  }

  get size(): number {
    return this.slots.size;
  }

  /** The slot of a stream, or -1 when it was never seen. */
  slotOf(streamId: string): number {
    return this.slots.get(streamId) ?? -1;
  }

  /** The slot of a stream, opened at revision 0 after `genesis` when it is new. */
  open(streamId: string, genesis: string): number {
    const found = this.slots.get(streamId);
    if (found !== undefined) return found;
    const slot = this.slots.size;
    if (slot === this.next.length) this.grow();
    this.slots.set(streamId, slot);
    this.next[slot] = 0;
    this.setHash(slot, genesis);
    return slot;
  }

  nextRevision(slot: number): number {
    return this.next[slot]!;
  }

  /**
   * The event at `revision` verified with `hash`: the hash hashEvent computed, so 64 lowercase hex
   * digits (not checked again here, once per event).
   */
  advance(slot: number, revision: number, hash: string): void {
    this.next[slot] = revision + 1;
    this.writeHash(slot, hash);
  }

  /** Whether `hex` is, character for character, the hex of the stream's last hash. */
  lastHashIs(slot: number, hex: string): boolean {
    if (hex.length !== HASH_BYTES * 2) return false;
    const at = slot * HASH_BYTES;
    for (let i = 0; i < HASH_BYTES; i++) {
      const hi = hexValue(hex.charCodeAt(2 * i));
      const lo = hexValue(hex.charCodeAt(2 * i + 1));
      if (hi < 0 || lo < 0 || ((hi << 4) | lo) !== this.hashes[at + i]) return false;
    }
    return true;
  }

  lastHash(slot: number): string {
    let hex = '';
    const at = slot * HASH_BYTES;
    for (let i = 0; i < HASH_BYTES; i++) hex += this.hashes[at + i]!.toString(16).padStart(2, '0');
    return hex;
  }

  /** Every stream with its next revision and last hash, in the order first seen. */
  *entries(): IterableIterator<[string, number, string]> {
    for (const [streamId, slot] of this.slots) yield [streamId, this.next[slot]!, this.lastHash(slot)];
  }

  private setHash(slot: number, hex: string): void {
    if (!isHashHex(hex)) throw new RangeError(`not a SHA-256 hex digest: ${hex.slice(0, 70)}`);
    this.writeHash(slot, hex);
  }

  private writeHash(slot: number, hex: string): void {
    const at = slot * HASH_BYTES;
    for (let i = 0; i < HASH_BYTES; i++)
      this.hashes[at + i] = (hexValue(hex.charCodeAt(2 * i)) << 4) | hexValue(hex.charCodeAt(2 * i + 1));
  }

  private grow(): void {
    const next = new Float64Array(this.next.length * 2);
    next.set(this.next);
    this.next = next;
    const hashes = new Uint8Array(this.hashes.length * 2);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }
}
