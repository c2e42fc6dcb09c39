import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 §2.1 (Certificate Transparency 2.0, the same tree as RFC 6962), SHA-256:
 *
 *   MTH({})       = SHA-256()
 *   MTH({d0})     = SHA-256(0x00 || d0)
 *   MTH(D[0:n])   = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])),  k the largest power of two < n
 *
 * The 0x00 / 0x01 prefixes keep a leaf from ever passing for an inner node. Indices and sizes are plain
 * numbers (exact up to 2^53); no 32-bit bit operations are used on them.
 */
export const HASH_BYTES = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export const leafHash = (data: Uint8Array): Buffer =>
  createHash('sha256').update(LEAF_PREFIX).update(data).digest();

export const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer =>
  createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();

/** The hash of the empty tree. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** The largest power of two strictly less than `n` (n ≥ 2). */
export const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);
const isPowerOfTwo = (n: number): boolean => n >= 1 && splitPoint(n + 1) === n;

/**
 * The root of a tree fed one leaf hash at a time, in O(log n) memory: the roots of the complete
 * subtrees so far (largest first), merged like a binary counter. The tree's root folds them from the
 * right, which is the RFC's recursion read bottom-up.
 */
export class RootAccumulator {
  private readonly peaks: Buffer[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(leaf: Buffer): void {
    let hash = leaf;
    for (let s = this.count; isOdd(s); s = half(s)) hash = nodeHash(this.peaks.pop()!, hash);
    this.peaks.push(hash);
    this.count += 1;
  }

  root(): Buffer {
    if (this.peaks.length === 0) return EMPTY_ROOT;
    let root = this.peaks[this.peaks.length - 1]!;
    for (let i = this.peaks.length - 2; i >= 0; i--) root = nodeHash(this.peaks[i]!, root);
    return root;
  }
}

/** The root of a list of leaf hashes. */
export const rootOf = (leaves: Iterable<Buffer>): Buffer => {
  const acc = new RootAccumulator();
  for (const leaf of leaves) acc.push(leaf);
  return acc.root();
};

/**
 * A whole tree kept in memory, level by level (32 bytes a node, about 64 bytes a leaf in all), for
 * audit paths and consistency proofs. A lone node at the right end of a level moves up unchanged, which
 * gives exactly the RFC's tree.
 */
export class MerkleTree {
  private constructor(
    /** levels[0] holds the leaf hashes; each level is one buffer of 32-byte slots. */
    private readonly levels: readonly Buffer[],
    readonly size: number,
  ) {}

  /** From leaf hashes laid end to end (32 bytes each). */
  static fromLeafHashes(leaves: Buffer): MerkleTree {
    if (leaves.length % HASH_BYTES !== 0) throw new RangeError('leaf hashes must be 32 bytes each');
    const levels: Buffer[] = [leaves];
    let level = leaves;
    while (level.length > HASH_BYTES) {
      const count = level.length / HASH_BYTES;
      const next = Buffer.allocUnsafe(Math.ceil(count / 2) * HASH_BYTES);
      for (let i = 0; i < count; i += 2) {
        const target = (i / 2) * HASH_BYTES;
        if (i + 1 < count)
          nodeHash(
            level.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES),
            level.subarray((i + 1) * HASH_BYTES, (i + 2) * HASH_BYTES),
          ).copy(next, target);
        else level.copy(next, target, i * HASH_BYTES, (i + 1) * HASH_BYTES);
      }
      levels.push(next);
      level = next;
    }
    return new MerkleTree(levels, leaves.length / HASH_BYTES);
  }

  private node(level: number, index: number): Buffer {
    return this.levels[level]!.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
  }

  leaf(index: number): Buffer {
    return this.node(0, index);
  }

  root(): Buffer {
    return this.size === 0 ? EMPTY_ROOT : this.node(this.levels.length - 1, 0);
  }

  /** MTH(D[lo:hi]) for any range the RFC's recursion reaches (complete subtrees come from the levels). */
  subtreeRoot(lo: number, hi: number): Buffer {
    const n = hi - lo;
    if (n <= 0 || lo < 0 || hi > this.size) throw new RangeError(`no subtree [${lo}, ${hi}) of ${this.size}`);
    if (isPowerOfTwo(n) && lo % n === 0) return this.node(Math.log2(n), lo / n);
    const k = splitPoint(n);
    return nodeHash(this.subtreeRoot(lo, lo + k), this.subtreeRoot(lo + k, hi));
  }

  /** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaf `index`, from the leaf up. */
  inclusionPath(index: number): Buffer[] {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size)
      throw new RangeError(`no leaf ${index} in a tree of ${this.size}`);
    const path: Buffer[] = [];
    let i = index;
    for (let level = 0; level < this.levels.length - 1; level++) {
      const sibling = isOdd(i) ? i - 1 : i + 1;
      if (sibling < this.levels[level]!.length / HASH_BYTES) path.push(this.node(level, sibling));
      i = half(i);
    }
    return path;
  }

  /** PROOF(m, D[n]) of RFC 9162 §2.1.4.1: that this tree extends its first `m` leaves. */
  consistencyProof(m: number): Buffer[] {
    if (!Number.isSafeInteger(m) || m < 1 || m > this.size)
      throw new RangeError(`no consistency proof from ${m} to ${this.size}`);
    const sub = (m: number, lo: number, hi: number, complete: boolean): Buffer[] => {
      const n = hi - lo;
      if (m === n) return complete ? [] : [this.subtreeRoot(lo, hi)];
      const k = splitPoint(n);
      return m <= k
        ? [...sub(m, lo, lo + k, complete), this.subtreeRoot(lo + k, hi)]
        : [...sub(m - k, lo + k, hi, false), this.subtreeRoot(lo, lo + k)];
    };
    return sub(m, 0, this.size, true);
  }
}

/**
 * RFC 9162 §2.1.3.2: the root an audit path leads to from a leaf, or undefined when the path cannot
 * belong to a leaf at `index` in a tree of `size` (too short, too long, index out of range).
 */
export const rootFromInclusionPath = (
  index: number,
  size: number,
  leaf: Buffer,
  path: readonly Buffer[],
): Buffer | undefined => {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size)
    return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return undefined;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn))
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
    } else r = nodeHash(r, p);
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : undefined;
};

export const verifyInclusion = (
  index: number,
  size: number,
  leaf: Buffer,
  path: readonly Buffer[],
  root: Buffer,
): boolean => rootFromInclusionPath(index, size, leaf, path)?.equals(root) ?? false;

/**
 * RFC 9162 §2.1.4.2: does the tree of `second` leaves with root `secondRoot` extend the tree of `first`
 * leaves with root `firstRoot`? Equal sizes need equal roots and an empty proof.
 */
export const verifyConsistency = (
  first: number,
  second: number,
  proof: readonly Buffer[],
  firstRoot: Buffer,
  secondRoot: Buffer,
): boolean => {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 1 || first > second)
    return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn))
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
    } else sr = nodeHash(sr, c);
    fn = half(fn);
    sn = half(sn);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
};
