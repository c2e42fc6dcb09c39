// V8's garbage collector sized for `duban verify`, set by bin/duban.js before the build is loaded
// (the young generation would grow while it loads).
//
// Verify keeps almost nothing: ~70 bytes of chain head a stream, off the JS heap, while every line it
// reads turns to garbage at once. V8's defaults suit programs that keep what they allocate: the young
// generation grows to two 16 MB semi-spaces, and the old generation may grow well past what survived
// its last full collection before it is collected again. For verify (README "Limits" has the numbers):
//
// - --semi-space-growth-factor=1: the young generation stays at its starting size (1 MB
//   semi-spaces). On a million events: peak RSS 83 MiB instead of 142 MiB.
// - --heap-growing-percent=20: the old generation is collected once it is 20% past what survived the
//   last full collection. On 50k events: 76 MiB instead of 99 MiB.
//
// The price is time: more, smaller collections (README "Benchmarks": ~10–30% on a million events).
// Both only size the heap, and V8 reads them each time it sizes it, so setting them before anything
// is allocated takes effect; flags that change compiled code are never set this way. The user's own
// settings of the same (node flags or NODE_OPTIONS) are left as they are.
'use strict';
/* global require, process, exports */
/* eslint-disable @typescript-eslint/no-require-imports */

const VERIFY_HEAP_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=20'];

const USER_SETS = /--(semi[-_]space|heap[-_]growing|max[-_]semi|min[-_]semi|optimize[-_]for[-_]size)/;

/**
 * Sets the flags for the command `argv` runs (without node and the script); returns those it set.
 * @param {readonly string[]} argv
 * @param {readonly string[]} [given] the user's node flags and NODE_OPTIONS
 * @param {(flag: string) => void} [set]
 * @returns {readonly string[]}
 */
const tuneHeapFor = (
  argv,
  given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''],
  set = (flag) => require('node:v8').setFlagsFromString(flag),
) => {
  const command = argv.find((a) => !a.startsWith('-'));
  if (command !== 'verify' || given.some((g) => USER_SETS.test(g))) return [];
  for (const flag of VERIFY_HEAP_FLAGS) set(flag);
  return VERIFY_HEAP_FLAGS;
};

exports.VERIFY_HEAP_FLAGS = VERIFY_HEAP_FLAGS;
exports.tuneHeapFor = tuneHeapFor;
