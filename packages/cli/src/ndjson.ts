import { createReadStream } from 'node:fs';
import { MAX_LINE_BYTES } from '@duban/engine';

/**
 * NDJSON reading: one JSON value per line, streamed, so a history of any size is read in constant
 * memory. Node's `readline` would buffer a line of any length; this splitter stops buffering at
 * `maxLineBytes` and reports the line as too long instead, so one corrupt multi-gigabyte "line" cannot
 * exhaust memory. Lines split on `\n` (a byte that never occurs inside a UTF-8 sequence); a trailing
 * `\r` is dropped.
 */

// The limit and the truncation test are the engine's, which reads NDJSON lines too (importHistory).
export { MAX_LINE_BYTES, looksTruncated } from '@duban/engine';

export type LineRecord =
  | {
      readonly kind: 'line';
      /** 1-based line number in the file. */
      readonly line: number;
      readonly text: string;
      /** Bytes of the line in the file (without its line break). */
      readonly bytes: number;
      /** The file ended without a newline after this line (a truncated write shows this way). */
      readonly unterminated: boolean;
    }
  | { readonly kind: 'too-long'; readonly line: number; readonly bytes: number }
  | { readonly kind: 'not-utf8'; readonly line: number };

export interface ReadLinesOptions {
  readonly maxLineBytes?: number;
  /** Called with the bytes read so far, for progress bars. */
  readonly onBytes?: (bytesRead: number) => void;
}

const NEWLINE = 0x0a;
const CR = 0x0d;

/** Every line of the file, blank ones included (callers decide what a blank line means). */
export async function* readLines(file: string, options: ReadLinesOptions = {}): AsyncGenerator<LineRecord> {
  const max = options.maxLineBytes ?? MAX_LINE_BYTES;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parts: Buffer[] = [];
  let partBytes = 0;
  let tooLong = false;
  let line = 0;
  let bytesRead = 0;

  const finish = (chunks: Buffer[], bytes: number, unterminated: boolean): LineRecord => {
    line += 1;
    if (tooLong) return { kind: 'too-long', line, bytes };
    let buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes);
    if (buf.length > 0 && buf[buf.length - 1] === CR) buf = buf.subarray(0, buf.length - 1);
    // A byte-order mark may open the file; it is not part of the first value.
    if (line === 1 && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
      buf = buf.subarray(3);
    try {
      return { kind: 'line', line, text: decoder.decode(buf), bytes: buf.length, unterminated };
    } catch {
      return { kind: 'not-utf8', line };
    }
  };

  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl < 0 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      if (!tooLong) {
        if (partBytes + piece.length > max) {
          tooLong = true;
          parts = [];
        } else if (piece.length > 0) parts.push(piece);
      }
      partBytes += piece.length;
      if (nl < 0) break;
      yield finish(parts, partBytes, false);
      parts = [];
      partBytes = 0;
      tooLong = false;
      start = nl + 1;
    }
    options.onBytes?.(bytesRead);
  }
  if (partBytes > 0 || tooLong) yield finish(parts, partBytes, true);
}
