import * as t from 'io-ts';

/**
 * A fast path for decoding: a checker compiled once per codec, by walking its io-ts tree, that answers
 * "would `decode` accept this input and hand back a value deep-equal to it?". Where it says yes, the
 * input is the result; where it cannot tell, `decode` runs (and builds the error report). A yes is
 * only ever given where it is certain, so the fast path accepts exactly what `decode` accepts and yields
 * the same value; a no costs nothing but the time of looking (a property test checks both, against
 * `decode`, for every command and event codec).
 *
 * Why a walk rather than `codec.is(u)` plus a key check: `is` is not `decode`. A union's `is` accepts
 * a value some earlier member would decode with keys stripped; exact codecs' `is` ignores the keys they
 * strip, at any depth; a custom type's `is` may be looser than its `validate` (a sparse list). The walk
 * knows each of these and uses a leaf's `is` only for leaves known to accept exactly what they validate
 * and to decode to the input itself (`identityLeaf`). Anything else in a tree — a custom `t.Type`
 * nobody vouched for, a tuple, a record — means no fast path for that codec: it always decodes.
 */

type Check = (u: unknown) => boolean;

const vouched = new WeakSet<t.Mixed>();
const lists = new WeakMap<t.Mixed, BoundedList>();

interface BoundedList {
  readonly item: t.Mixed;
  readonly minLength: number;
  readonly maxLength: number;
}

/** Vouches for a list codec that decodes as `t.array(item)` does, after checking its length bounds. */
export const boundedListLeaf = (codec: t.Mixed, list: BoundedList): void => {
  lists.set(codec, list);
};

/**
 * Vouches for a leaf codec: its `is` accepts exactly what `validate` accepts, and `validate` returns the
 * input itself. Only for codecs written that way (the domain's instants, dates, ids, bounded texts).
 */
export const identityLeaf = <C extends t.Mixed>(codec: C): C => {
  vouched.add(codec);
  return codec;
};

/** io-ts' own leaves whose `is` is their `validate` and whose result is the input. */
const isPrimitiveLeaf = (codec: t.Mixed): boolean =>
  codec instanceof t.StringType ||
  codec instanceof t.NumberType ||
  codec instanceof t.BooleanType ||
  codec instanceof t.NullType ||
  codec instanceof t.UndefinedType ||
  codec instanceof t.UnknownType ||
  codec instanceof t.LiteralType ||
  codec instanceof t.KeyofType;

export const isIdentityLeaf = (codec: t.Mixed): boolean => vouched.has(codec) || isPrimitiveLeaf(codec);

/**
 * A record as decode sees it, and one whose copy (made where an intersection of exact codecs merges
 * its members' results) would equal it: `Object.prototype` behind it, and its own keys exactly its
 * enumerable string keys (no symbol, no hidden key, nothing inherited that `for…in` would copy).
 * With `keys`, also: every key is one of them (an exact codec would strip nothing). Counted by one
 * `for…in`, compared with the own names and symbols: `Reflect.ownKeys` costs three times as much.
 */
const plainRecord = (u: unknown, keys?: ReadonlySet<string>): u is Record<string, unknown> => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return false;
  if (Object.getPrototypeOf(u) !== Object.prototype) return false;
  let enumerable = 0;
  for (const k in u) {
    if (keys !== undefined && !keys.has(k)) return false;
    enumerable += 1;
  }
  return Object.getOwnPropertyNames(u).length === enumerable && Object.getOwnPropertySymbols(u).length === 0;
};

/** The keys an exact codec keeps (io-ts' `getProps`), or undefined when it cannot be told. */
const propsOf = (codec: t.Mixed): t.Props | undefined => {
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) return codec.props as t.Props;
  if (codec instanceof t.RefinementType || codec instanceof t.ReadonlyType) return propsOf(codec.type);
  if (codec instanceof t.IntersectionType) {
    const all: t.Props = {};
    for (const member of codec.types as t.Mixed[]) {
      const props = propsOf(member);
      if (!props) return undefined;
      Object.assign(all, props);
    }
    return all;
  }
  return undefined;
};

/** The keys of `props`, as a set looked up once per key of the input. */
const keySet = (props: t.Props): ReadonlySet<string> => new Set(Object.keys(props));

/**
 * Certainly refused by `decode` (true), or cannot tell (false): a required key whose leaf codec
 * refuses its value. Used to step past a union's earlier members.
 */
const compileRefusal = (codec: t.Mixed): Check => {
  if (codec instanceof t.ExactType || codec instanceof t.ReadonlyType) return compileRefusal(codec.type);
  if (codec instanceof t.InterfaceType) {
    const leaves = Object.entries(codec.props as t.Props).filter(([, c]) => isIdentityLeaf(c));
    return (u) =>
      typeof u !== 'object' || u === null || Array.isArray(u)
        ? true
        : leaves.some(([k, c]) => !c.is((u as Record<string, unknown>)[k]));
  }
  if (codec instanceof t.IntersectionType) {
    const members = (codec.types as t.Mixed[]).map(compileRefusal);
    return (u) => members.some((refused) => refused(u));
  }
  if (isIdentityLeaf(codec)) return (u) => !codec.is(u);
  return () => false;
};

/**
 * The checks of an interface's or partial's fields, for a record that already passed `plainRecord`;
 * undefined for any other codec, or when a field's codec is one the walk does not know.
 */
const compileFields = (codec: t.Mixed): Check | undefined => {
  if (!(codec instanceof t.InterfaceType || codec instanceof t.PartialType)) return undefined;
  const names: string[] = [];
  const checks: Check[] = [];
  for (const [k, c] of Object.entries(codec.props as t.Props)) {
    const check = compile(c);
    if (!check) return undefined;
    names.push(k);
    checks.push(check);
  }
  // A partial codec passes `undefined` (absent or not) without asking the key's codec.
  const partial = codec instanceof t.PartialType;
  return (u) => {
    const record = u as Record<string, unknown>;
    for (let i = 0; i < names.length; i++) {
      const v = record[names[i]!];
      if (!(partial && v === undefined) && !checks[i]!(v)) return false;
    }
    return true;
  };
};

/** The checker of one codec, or undefined when its tree holds something the walk does not know. */
const compile = (codec: t.Mixed): Check | undefined => {
  if (isIdentityLeaf(codec)) return (u) => codec.is(u);
  if (codec instanceof t.ReadonlyType) return compile(codec.type);
  if (codec instanceof t.RefinementType) {
    const inner = compile(codec.type);
    const predicate = codec.predicate as (u: unknown) => boolean;
    return inner && ((u) => inner(u) && predicate(u));
  }
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) {
    const fields = compileFields(codec);
    return fields && ((u) => plainRecord(u) && fields(u));
  }
  if (codec instanceof t.ExactType) {
    const props = propsOf(codec.type);
    if (!props) return undefined;
    const keys = keySet(props);
    // Over an interface or partial, one look at the record checks both its shape and its keys.
    const fields = compileFields(codec.type);
    if (fields) return (u) => plainRecord(u, keys) && fields(u);
    const inner = compile(codec.type);
    return inner && ((u) => inner(u) && plainRecord(u, keys));
  }
  if (codec instanceof t.IntersectionType) {
    // An exact member passes its keys' values unchanged but strips the other members' keys; the merge
    // of the members' results keeps a key when some member kept it. So an exact member is checked
    // without its key rule, and each key must be one some exact member keeps — unless a member that
    // is not exact passed (its result is the whole input, every key included). The record itself is
    // looked at once, here: members that are interfaces or partials check only their fields.
    const checks: Check[] = [];
    const kept = new Set<string>();
    let open = false;
    for (const member of codec.types as t.Mixed[]) {
      const exact = member instanceof t.ExactType;
      const body = exact ? member.type : member;
      const check = compileFields(body) ?? compile(body);
      const props = exact ? propsOf(member.type) : undefined;
      if (!check || (exact && !props)) return undefined;
      checks.push(check);
      if (props) for (const k of Object.keys(props)) kept.add(k);
      else open = true;
    }
    const keys = open ? undefined : kept;
    return (u) => {
      if (!plainRecord(u, keys)) return false;
      for (let i = 0; i < checks.length; i++) if (!checks[i]!(u)) return false;
      return true;
    };
  }
  if (codec instanceof t.UnionType) {
    const members = (codec.types as t.Mixed[]).map(compile);
    if (members.some((m) => m === undefined)) return undefined;
    const checks = members as Check[];
    const refusals = (codec.types as t.Mixed[]).map(compileRefusal);
    // decode takes the first member that accepts: every member before the one that passes the input
    // unchanged must refuse it for certain.
    return (u) => {
      for (let i = 0; i < checks.length; i++) {
        if (checks[i]!(u)) return true;
        if (!refusals[i]!(u)) return false;
      }
      return false;
    };
  }
  const list =
    codec instanceof t.ArrayType
      ? { item: codec.type as t.Mixed, minLength: 0, maxLength: Infinity }
      : lists.get(codec);
  if (list) {
    const item = compile(list.item);
    if (!item) return undefined;
    const { minLength, maxLength } = list;
    // Every index, holes too: decode reads `u[i]` for each, where `every` would skip a hole.
    return (u) => {
      if (!Array.isArray(u) || u.length < minLength || u.length > maxLength) return false;
      for (let i = 0; i < u.length; i++) if (!item(u[i])) return false;
      return true;
    };
  }
  return undefined;
};

const compiled = new WeakMap<t.Mixed, Check | null>();

/** The fast path of `codec`: true only where `decode` would accept `u` and yield it as it is. */
export const fastCheckOf = (codec: t.Mixed): Check | undefined => {
  let check = compiled.get(codec);
  if (check === undefined) compiled.set(codec, (check = compile(codec) ?? null));
  return check ?? undefined;
};
