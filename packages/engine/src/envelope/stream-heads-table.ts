/**
 * Where a verifier keeps each stream's head while a history streams past: the next revision it
 * expects and the hash of the last event that verified. A history of 10M events may hold 750k
 * streams, and this table is all a verifier keeps that grows with them, so a stream costs about 70
 * bytes and no object: its id as bytes in a slab, its revision in a Float64Array (any JS number,
 * exactly), its 32-byte hash in a byte page, found through an open-addressing index of slots. Slots
 * are kept in fixed pages, never copied, so the table's memory follows its streams with no doubling.
 * A `Map<string, number>` of the same ids costs about 95 bytes a stream on its own.
 */

const HASH_BYTES = 32;
/** Slots a page holds: a page of hashes is 512 KiB. */
const PAGE_BITS = 14;
const PAGE_SLOTS = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SLOTS - 1;
/**
 * The first page of slots and of ids starts this small and doubles up to a whole page: a verifier of
 * one stream (an engine verifying each load, `verifyStream`) must not allocate megabytes.
 */
const FIRST_PAGE_SLOTS = 64;
const FIRST_ID_PAGE_BYTES = 4096;
/** Bytes of stream ids a page of the slab holds (an id never spans two pages). */
const ID_PAGE_BITS = 20;
const ID_PAGE_BYTES = 1 << ID_PAGE_BITS;
/** An id longer than this is kept as a string (an id's length is a Uint16). */
const MAX_SLAB_ID = 0xffff;
/** Where an id kept as a string (not in the slab) is said to start. */
const NOT_IN_SLAB = 0xffffffff;
/** The slab's offsets are Uint32: past 4 GiB of ids, further ids are kept as strings. */
const MAX_ID_PAGES = 2 ** 32 / ID_PAGE_BYTES - 1;

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

/** The least power of two at least `n`. */
const ceilPow2 = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/** FNV-1a over an id's character codes; the slab holds the same codes as bytes, so both agree. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class StreamHeadsTable {
  private count = 0;
  // Per slot, in pages of PAGE_SLOTS: next revision, last hash, where its id starts and its length.
  private readonly nextPages: Float64Array[] = [];
  private readonly hashPages: Uint8Array[] = [];
  private readonly idAtPages: Uint32Array[] = [];
  private readonly idLengthPages: Uint16Array[] = [];
  /** Ids whose characters are all below 256, one byte each, in pages of ID_PAGE_BYTES. */
  private readonly idPages: Uint8Array[] = [];
  private idUsed = 0;
  /** slot + 1 of each id in the slab, by hash (linear probing, at most half full); 0 is empty. */
  private index = new Int32Array(1024);
  /** Ids not in the slab (a character above U+00FF, or very long): rare, kept as strings. */
  private readonly others = new Map<string, number>();
  private readonly otherIds = new Map<number, string>();

  get size(): number {
    return this.count;
  }

  /** The slot of a stream, or -1 when it was never seen. */
  slotOf(streamId: string): number {
    const h = this.hashOf(streamId);
    const found = h === undefined ? 0 : this.index[this.probe(streamId, h)]!;
    return found !== 0 ? found - 1 : (this.others.get(streamId) ?? -1);
  }

  /** The slot of a stream, opened at revision 0 after `genesis` when it is new. */
  open(streamId: string, genesis: string): number {
    const h = this.hashOf(streamId);
    const at = h === undefined ? -1 : this.probe(streamId, h);
    if (at >= 0 && this.index[at] !== 0) return this.index[at]! - 1;
    const other = this.others.get(streamId);
    if (other !== undefined) return other;
    if (!isHashHex(genesis)) throw new RangeError(`not a SHA-256 hex digest: ${genesis.slice(0, 70)}`);
    const slot = this.count;
    if ((slot & PAGE_MASK) === 0) this.addPage();
    const page = slot >>> PAGE_BITS;
    const i = slot & PAGE_MASK;
    if (i >= this.nextPages[page]!.length) this.growFirstPage();
    this.count += 1;
    if (h !== undefined && this.storeId(page, i, streamId)) {
      this.index[at] = slot + 1;
      if (this.count * 2 > this.index.length) this.growIndex();
    } else {
      this.idAtPages[page]![i] = NOT_IN_SLAB;
      this.others.set(streamId, slot);
      this.otherIds.set(slot, streamId);
    }
    this.nextPages[page]![i] = 0;
    this.writeHash(slot, genesis);
    return slot;
  }

  nextRevision(slot: number): number {
    return this.nextPages[slot >>> PAGE_BITS]![slot & PAGE_MASK]!;
  }

  /**
   * The event at `revision` verified with `hash`: the hash hashEvent computed, so 64 lowercase hex
   * digits (not checked again here, once per event).
   */
  advance(slot: number, revision: number, hash: string): void {
    this.nextPages[slot >>> PAGE_BITS]![slot & PAGE_MASK] = revision + 1;
    this.writeHash(slot, hash);
  }

  /** Whether `hex` is, character for character, the hex of the stream's last hash. */
  lastHashIs(slot: number, hex: string): boolean {
    if (hex.length !== HASH_BYTES * 2) return false;
    const hashes = this.hashPages[slot >>> PAGE_BITS]!;
    const at = (slot & PAGE_MASK) * HASH_BYTES;
    for (let i = 0; i < HASH_BYTES; i++) {
      const hi = hexValue(hex.charCodeAt(2 * i));
      const lo = hexValue(hex.charCodeAt(2 * i + 1));
      if (hi < 0 || lo < 0 || ((hi << 4) | lo) !== hashes[at + i]) return false;
    }
    return true;
  }

  lastHash(slot: number): string {
    const hashes = this.hashPages[slot >>> PAGE_BITS]!;
    const at = (slot & PAGE_MASK) * HASH_BYTES;
    let hex = '';
    for (let i = 0; i < HASH_BYTES; i++) hex += hashes[at + i]!.toString(16).padStart(2, '0');
    return hex;
  }

  /** The stream id of a slot. */
  streamIdOf(slot: number): string {
    const page = slot >>> PAGE_BITS;
    const i = slot & PAGE_MASK;
    const start = this.idAtPages[page]![i]!;
    if (start === NOT_IN_SLAB) return this.otherIds.get(slot)!;
    const bytes = this.idPages[start >>> ID_PAGE_BITS]!;
    const from = start & (ID_PAGE_BYTES - 1);
    const length = this.idLengthPages[page]![i]!;
    let id = '';
    // In pieces: String.fromCharCode takes its arguments on the stack.
    for (let p = 0; p < length; p += 4096)
      id += String.fromCharCode(...bytes.subarray(from + p, from + Math.min(length, p + 4096)));
    return id;
  }

  /** Every stream with its next revision and last hash, in the order first seen. */
  *entries(): IterableIterator<[string, number, string]> {
    for (let slot = 0; slot < this.count; slot++)
      yield [this.streamIdOf(slot), this.nextRevision(slot), this.lastHash(slot)];
  }

  /** The id's hash when it can live in the slab (every character below 256), else undefined. */
  private hashOf(streamId: string): number | undefined {
    if (streamId.length > MAX_SLAB_ID) return undefined;
    let h = FNV_OFFSET;
    for (let i = 0; i < streamId.length; i++) {
      const c = streamId.charCodeAt(i);
      if (c > 0xff) return undefined;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    return h >>> 0;
  }

  /** The index position holding `streamId`'s slot, or the empty one where it would go. */
  private probe(streamId: string, h: number): number {
    const index = this.index;
    const mask = index.length - 1;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const entry = index[at]!;
      if (entry === 0 || this.idIs(entry - 1, streamId)) return at;
    }
  }

  private idIs(slot: number, streamId: string): boolean {
    const page = slot >>> PAGE_BITS;
    const i = slot & PAGE_MASK;
    if (this.idLengthPages[page]![i] !== streamId.length) return false;
    const start = this.idAtPages[page]![i]!;
    const bytes = this.idPages[start >>> ID_PAGE_BITS]!;
    const from = start & (ID_PAGE_BYTES - 1);
    for (let k = 0; k < streamId.length; k++) if (bytes[from + k] !== streamId.charCodeAt(k)) return false;
    return true;
  }

  /** Copies a Latin-1 id into the slab; false when the slab is full (4 GiB of ids). */
  private storeId(page: number, i: number, streamId: string): boolean {
    const length = streamId.length;
    const last = this.idPages.length - 1;
    if (last < 0) this.idPages.push(new Uint8Array(Math.max(FIRST_ID_PAGE_BYTES, ceilPow2(length))));
    else if (this.idUsed + length > this.idPages[last]!.length) {
      if (this.idUsed + length <= ID_PAGE_BYTES) {
        // The first page, still small: a bigger copy (offsets within it stay as they were).
        const grown = new Uint8Array(Math.min(ID_PAGE_BYTES, ceilPow2(this.idUsed + length) * 2));
        grown.set(this.idPages[last]!);
        this.idPages[last] = grown;
      } else {
        if (this.idPages.length >= MAX_ID_PAGES) return false;
        this.idPages.push(new Uint8Array(ID_PAGE_BYTES));
        this.idUsed = 0;
      }
    }
    const bytes = this.idPages[this.idPages.length - 1]!;
    for (let k = 0; k < length; k++) bytes[this.idUsed + k] = streamId.charCodeAt(k);
    this.idAtPages[page]![i] = (this.idPages.length - 1) * ID_PAGE_BYTES + this.idUsed;
    this.idLengthPages[page]![i] = length;
    this.idUsed += length;
    return true;
  }

  private addPage(): void {
    const slots = this.nextPages.length === 0 ? FIRST_PAGE_SLOTS : PAGE_SLOTS;
    this.nextPages.push(new Float64Array(slots));
    this.hashPages.push(new Uint8Array(slots * HASH_BYTES));
    this.idAtPages.push(new Uint32Array(slots));
    this.idLengthPages.push(new Uint16Array(slots));
  }

  /** Doubles the first page of slots (the only one that starts small), up to a whole page. */
  private growFirstPage(): void {
    const slots = Math.min(PAGE_SLOTS, this.nextPages[0]!.length * 2);
    const grow = <T extends Float64Array | Uint8Array | Uint32Array | Uint16Array>(
      old: T,
      make: (n: number) => T,
      perSlot = 1,
    ): T => {
      const grown = make(slots * perSlot);
      grown.set(old);
      return grown;
    };
    this.nextPages[0] = grow(this.nextPages[0]!, (n) => new Float64Array(n));
    this.hashPages[0] = grow(this.hashPages[0]!, (n) => new Uint8Array(n), HASH_BYTES);
    this.idAtPages[0] = grow(this.idAtPages[0]!, (n) => new Uint32Array(n));
    this.idLengthPages[0] = grow(this.idLengthPages[0]!, (n) => new Uint16Array(n));
  }

  /** Doubles the index and places every slab id again (by its bytes' hash, the same as its string's). */
  private growIndex(): void {
    const index = new Int32Array(this.index.length * 2);
    const mask = index.length - 1;
    for (let slot = 0; slot < this.count; slot++) {
      const page = slot >>> PAGE_BITS;
      const i = slot & PAGE_MASK;
      const start = this.idAtPages[page]![i]!;
      if (start === NOT_IN_SLAB) continue;
      const bytes = this.idPages[start >>> ID_PAGE_BITS]!;
      const from = start & (ID_PAGE_BYTES - 1);
      const length = this.idLengthPages[page]![i]!;
      let h = FNV_OFFSET;
      for (let k = 0; k < length; k++) h = Math.imul(h ^ bytes[from + k]!, FNV_PRIME);
      let at = (h >>> 0) & mask;
      while (index[at] !== 0) at = (at + 1) & mask;
      index[at] = slot + 1;
    }
    this.index = index;
  }

  private writeHash(slot: number, hex: string): void {
    const hashes = this.hashPages[slot >>> PAGE_BITS]!;
    const at = (slot & PAGE_MASK) * HASH_BYTES;
    for (let i = 0; i < HASH_BYTES; i++)
      hashes[at + i] = (hexValue(hex.charCodeAt(2 * i)) << 4) | hexValue(hex.charCodeAt(2 * i + 1));
  }
}
