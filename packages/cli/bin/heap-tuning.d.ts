/** V8 flags bin/duban.js sets for `duban verify` (heap-tuning.js says why). */
export declare const VERIFY_HEAP_FLAGS: readonly string[];
/** Sets the flags for the command `argv` runs (without node and the script); returns those it set. */
export declare const tuneHeapFor: (
  argv: readonly string[],
  given?: readonly string[],
  set?: (flag: string) => void,
) => readonly string[];
