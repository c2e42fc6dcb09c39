import { chunkedWriter, type OutputStream } from './io';
import { inline } from './terminal';

/**
 * RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. Control characters
 * other than the line feed are escaped (a CSV is also printed to terminals).
 */
export const csvField = (value: unknown): string => {
  const s = value === undefined || value === null ? '' : String(value).split('\n').map(inline).join('\n');
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const csvRow = (row: readonly unknown[]): string => row.map(csvField).join(',');

/** UTF-8 with a byte-order mark (Excel reads CSV without one in the system's code page) and CRLF rows. */
export const csv = (rows: readonly (readonly unknown[])[]): string =>
  `\ufeff${rows.map(csvRow).join('\r\n')}\r\n`;

/** `csv([header, ...rows])`, the same bytes, a row at a time (each piece a row and its CRLF). */
export function* csvChunks(
  header: readonly unknown[],
  rows: Iterable<readonly unknown[]>,
): Generator<string> {
  yield `\ufeff${csvRow(header)}\r\n`;
  for (const row of rows) yield `${csvRow(row)}\r\n`;
}

/** `csvChunks` written as made: rows that grow with the history are never one string. */
export const writeCsv = async (
  stream: OutputStream,
  header: readonly unknown[],
  rows: Iterable<readonly unknown[]>,
): Promise<void> => {
  const out = chunkedWriter(stream, (text) => text);
  for (const chunk of csvChunks(header, rows)) await out.write(chunk);
  await out.flush();
};
