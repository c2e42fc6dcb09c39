import { compareStreamIds, headLine, HEADS_TSV_HEADER } from '@duban/engine';
import { chunkedWriter, type OutputStream } from './io';

/** A stream's head as `duban verify` keeps it while reading. */
export interface KeptHead {
  readonly revision: number;
  readonly hash: string;
}

/** A surrogate: the one place where UTF-16 order (JS `<`) and UTF-8 byte order disagree. */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Writes the heads as the engine's `headsTsv(sortedHeads(…))` would make them — the same bytes — a
 * chunk at a time, waiting for a slow reader: only the sorted ids are made, not a Head and a line per
 * stream held at once, nor the whole text as one string (144 MiB at the province's 1M events).
 */
export const writeHeadsTsv = async (
  stream: OutputStream,
  heads: ReadonlyMap<string, KeptHead>,
): Promise<void> => {
  const ids = [...heads.keys()];
  // Ids are ASCII in practice: then the built-in string order is byte order, and far cheaper.
  if (ids.some((id) => SURROGATE.test(id))) ids.sort(compareStreamIds);
  else ids.sort();
  const out = chunkedWriter(stream, (text) => text);
  await out.write(`${HEADS_TSV_HEADER}\n`);
  for (const streamId of ids) {
    const { revision, hash } = heads.get(streamId)!;
    await out.write(`${headLine({ streamId, revision, hash })}\n`);
  }
  await out.flush();
};
