import type { HistoryRecord } from './check';
import { parseStrictJson } from './strict-json';
import { utf8Length } from './utf8';

/**
 * NDJSON lines read as history records: each line parsed as strict JSON (no key twice, finite numbers,
 * bounded nesting), or why it could not be, with its 1-based line number. Blank lines are skipped
 * (counted, so numbers stay those of the file).
 */

/** A line is longer than any event a store accepts (1 MiB per append) with ample room for its envelope. */
export const MAX_LINE_BYTES = 2 * 1024 * 1024;

/**
 * A line that stops short: JSON.parse says "end of JSON input", "Unterminated string", or names an error
 * at the position just past the text.
 */
export const looksTruncated = (error: unknown, text: string): boolean => {
  if (!(error instanceof SyntaxError)) return false;
  if (/end of (JSON )?input|Unterminated/i.test(error.message)) return true;
  const at = /position (\d+)/.exec(error.message);
  return at !== null && Number(at[1]) >= text.trimEnd().length;
};

export interface HistoryLinesOptions {
  /** Longest line read, in UTF-8 bytes; a longer one is refused unread. */
  readonly maxLineBytes?: number;
}

/**
 * `lines` yields one line per item, with or without its line break (`node:readline` gives them
 * without; `exportHistory` with). A byte-order mark opening the first line and a `\r` before the break
 * are dropped.
 */
export async function* historyRecords(
  lines: AsyncIterable<string> | Iterable<string>,
  options: HistoryLinesOptions = {},
): AsyncGenerator<HistoryRecord> {
  const max = options.maxLineBytes ?? MAX_LINE_BYTES;
  let line = 0;
  for await (const item of lines) {
    line += 1;
    let text = item.endsWith('\n') ? item.slice(0, -1) : item;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') continue;
    // No character takes more than 3 UTF-8 bytes per UTF-16 unit: most lines need no count at all.
    const bytes = text.length * 3 <= max ? undefined : utf8Length(text);
    if (bytes !== undefined && bytes > max) {
      yield {
        line,
        unreadable: {
          field: '(line)',
          message: `the line is ${bytes} bytes, over the limit of ${max}; it was not read`,
        },
      };
      continue;
    }
    yield recordOfLine(line, text, bytes ?? utf8Length(text));
  }
}

/** One line's text as a record: its value, or the field and rule that kept it from being read. */
export const recordOfLine = (
  line: number,
  text: string,
  bytes: number,
  unterminated = false,
): HistoryRecord => {
  const parsed = parseStrictJson(text);
  if (parsed.ok) return { line, bytes, value: parsed.value };
  if (parsed.syntax)
    return {
      line,
      unreadable: {
        field: '(line)',
        message: looksTruncated(parsed.syntax, text)
          ? `truncated: the JSON ends early${unterminated ? ' and the file ends without a newline' : ''} (${parsed.message})`
          : `is not JSON: ${parsed.message}`,
      },
    };
  // A key twice, a number out of range, nesting too deep: named by its path in the line.
  return { line, unreadable: { field: parsed.field, message: parsed.message } };
};
