import { chunkedWriter, type OutputStream } from './io';
import { jsonText } from './terminal';

/**
 * `jsonText({ ...head, [key]: items })` and a line break — the same bytes — written an item at a time,
 * so a 750k-task board is never one string. Indented JSON puts each item of a top-level array on lines
 * of their own, four spaces in, which is how each item is written here.
 */
export const writeJsonWithArray = async (
  stream: OutputStream,
  head: Record<string, unknown>,
  key: string,
  items: Iterable<unknown>,
): Promise<void> => {
  const out = chunkedWriter(stream, (text) => text);
  const opening = jsonText(head);
  // `{…}`: everything but the closing brace, then the array as one more member.
  const members = opening === '{}' ? '{' : `${opening.slice(0, -2)},`;
  await out.write(`${members}\n  ${JSON.stringify(key)}: [`);
  let first = true;
  for (const item of items) {
    await out.write(`${first ? '' : ','}\n    ${jsonText(item).replace(/\n/g, '\n    ')}`);
    first = false;
  }
  await out.write(first ? ']\n}\n' : '\n  ]\n}\n');
  await out.flush();
};
