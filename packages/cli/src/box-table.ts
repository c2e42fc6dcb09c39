import stringWidth from 'string-width';

/**
 * The boxed tables cli-table3 draws (its default characters, one space of padding each side, no
 * colours, no spans, no fixed widths), drawn in one pass: cli-table3 lays a table out in time that
 * grows faster than its rows (a 74k-task board took minutes), this takes linear time. A test checks
 * both draw the same text.
 */
export interface BoxChars {
  readonly top: string;
  readonly 'top-mid': string;
  readonly 'top-left': string;
  readonly 'top-right': string;
  readonly bottom: string;
  readonly 'bottom-mid': string;
  readonly 'bottom-left': string;
  readonly 'bottom-right': string;
  readonly left: string;
  readonly 'left-mid': string;
  readonly mid: string;
  readonly 'mid-mid': string;
  readonly right: string;
  readonly 'right-mid': string;
  readonly middle: string;
}

export const BOX_CHARS: BoxChars = {
  top: '─',
  'top-mid': '┬',
  'top-left': '┌',
  'top-right': '┐',
  bottom: '─',
  'bottom-mid': '┴',
  'bottom-left': '└',
  'bottom-right': '┘',
  left: '│',
  'left-mid': '├',
  mid: '─',
  'mid-mid': '┼',
  right: '│',
  'right-mid': '┤',
  middle: '│',
};

export type Align = 'left' | 'right' | 'center';
export type BoxCell = string | number;

export interface BoxTableOptions {
  readonly head: readonly string[];
  readonly chars?: Partial<BoxChars>;
  readonly colAligns?: readonly Align[];
}

/** Printable ASCII is one column a character: string-width's answer, without its regular expressions. */
const ASCII = /^[\x20-\x7e]*$/;
const widthOf = (text: string): number => (ASCII.test(text) ? text.length : stringWidth(text));

const pad = (text: string, width: number, textWidth: number, align: Align | undefined): string => {
  const room = width - textWidth;
  if (room <= 0) return text;
  if (align === 'right') return ' '.repeat(room) + text;
  if (align === 'center') {
    const right = Math.ceil(room / 2);
    return ' '.repeat(room - right) + text + ' '.repeat(right);
  }
  return text + ' '.repeat(room);
};

/** A row's cells, each split into lines and each line measured once. */
interface MeasuredCell {
  readonly lines: readonly string[];
  readonly widths: readonly number[];
}

const measure = (row: readonly BoxCell[]): MeasuredCell[] =>
  row.map((c) => {
    const lines = String(c).split('\n');
    return { lines, widths: lines.map(widthOf) };
  });

/**
 * The drawing of a table whose column widths are known: what `BoxTable` and `writeBoxTable` share, so
 * a table drawn whole and one streamed row by row are the same text.
 */
const layout = (options: BoxTableOptions, widths: readonly number[]) => {
  const c: BoxChars = { ...BOX_CHARS, ...options.chars };
  const aligns = options.colAligns ?? [];
  const columns = widths.length;
  const rule = (leftEdge: string, fill: string, cross: string, rightEdge: string): string =>
    leftEdge + widths.map((w) => fill.repeat(w)).join(cross) + rightEdge;
  return {
    /** The lines of row `y` (0 is the first of the table, the head when there is one), rule above included. */
    rowLines(row: readonly MeasuredCell[], y: number): string[] {
      const out: string[] = [];
      const push = (line: string) => {
        if (line.length > 0) out.push(line);
      };
      push(
        y === 0
          ? rule(c['top-left'], c.top, c['top-mid'], c['top-right'])
          : rule(c['left-mid'], c.mid, c['mid-mid'], c['right-mid']),
      );
      const height = Math.max(1, ...row.map((cell) => cell.lines.length));
      for (let n = 0; n < height; n++) {
        let line = '';
        for (let x = 0; x < columns; x++) {
          const cell = row[x];
          const text = cell?.lines[n];
          line +=
            (x === 0 ? c.left : c.middle) +
            ' ' +
            pad(text ?? '', widths[x]! - 2, text === undefined ? 0 : cell!.widths[n]!, aligns[x]) +
            ' ';
        }
        push(line + c.right);
      }
      return out;
    },
    bottom: (): string => rule(c['bottom-left'], c.bottom, c['bottom-mid'], c['bottom-right']),
  };
};

/** Column widths (text plus a space each side) that fit every row, widening `widths`. */
const fitWidths = (rows: Iterable<readonly BoxCell[]>, widths: number[] = []): number[] => {
  for (const row of rows)
    measure(row).forEach((cell, x) => {
      let w = widths[x] ?? 1;
      for (const cw of cell.widths) w = Math.max(w, cw + 2);
      widths[x] = w;
    });
  return widths;
};

export class BoxTable {
  private readonly rows: string[][] = [];

  constructor(private readonly options: BoxTableOptions) {}

  push(...rows: ReadonlyArray<readonly BoxCell[]>): number {
    for (const row of rows) this.rows.push(row.map((c) => String(c)));
    return this.rows.length;
  }

  get length(): number {
    return this.rows.length;
  }

  toString(): string {
    const all = this.options.head.length > 0 ? [[...this.options.head], ...this.rows] : this.rows;
    if (all.length === 0) return '';
    const draw = layout(this.options, fitWidths(all));
    const out: string[] = [];
    all.forEach((row, y) => out.push(...draw.rowLines(measure(row), y)));
    out.push(draw.bottom());
    return out.join('\n');
  }
}

/**
 * The same table as `new BoxTable(options)` with `rows()` pushed, followed by a line break, made a
 * row at a time (each piece ends with a line break): memory holds one row, not the table. `rows` is
 * called twice (once for the column widths, once to draw), so it must give the same rows each time.
 * A table without head or rows is nothing, as `BoxTable` draws it empty.
 */
export function* boxTableChunks(
  options: BoxTableOptions,
  rows: () => Iterable<readonly BoxCell[]>,
): Generator<string> {
  const head = options.head.length > 0 ? [options.head] : [];
  const widths = fitWidths(rows(), fitWidths(head));
  if (widths.length === 0) return;
  const draw = layout(options, widths);
  let y = 0;
  for (const row of head) yield `${draw.rowLines(measure(row), y++).join('\n')}\n`;
  for (const row of rows()) yield `${draw.rowLines(measure(row), y++).join('\n')}\n`;
  yield `${draw.bottom()}\n`;
}

/** `boxTableChunks`, each piece handed to `write` (which may wait: a full pipe) before the next is made. */
export const writeBoxTable = async (
  options: BoxTableOptions,
  rows: () => Iterable<readonly BoxCell[]>,
  write: (text: string) => Promise<void>,
): Promise<void> => {
  for (const chunk of boxTableChunks(options, rows)) await write(chunk);
};
