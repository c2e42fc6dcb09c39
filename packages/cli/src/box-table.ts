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

export class BoxTable {
  private readonly rows: string[][] = [];
  private readonly chars: BoxChars;

  constructor(private readonly options: BoxTableOptions) {
    this.chars = { ...BOX_CHARS, ...options.chars };
  }

  push(...rows: ReadonlyArray<readonly BoxCell[]>): number {
    for (const row of rows) this.rows.push(row.map((c) => String(c)));
    return this.rows.length;
  }

  get length(): number {
    return this.rows.length;
  }

  toString(): string {
    const c = this.chars;
    const all = this.options.head.length > 0 ? [[...this.options.head], ...this.rows] : this.rows;
    if (all.length === 0) return '';
    let columns = 0;
    for (const row of all) columns = Math.max(columns, row.length);
    // Each cell split into lines once, each line measured once.
    const cells = all.map((row) =>
      row.map((text) => {
        const lines = text.split('\n');
        return { lines, widths: lines.map(widthOf) };
      }),
    );
    const widths: number[] = new Array<number>(columns).fill(1);
    for (const row of cells)
      row.forEach((cell, x) => {
        for (const w of cell.widths) widths[x] = Math.max(widths[x]!, w + 2);
      });
    const rule = (leftEdge: string, fill: string, cross: string, rightEdge: string): string =>
      leftEdge + widths.map((w) => fill.repeat(w)).join(cross) + rightEdge;
    const out: string[] = [];
    const push = (line: string) => {
      if (line.length > 0) out.push(line);
    };
    const aligns = this.options.colAligns ?? [];
    cells.forEach((row, y) => {
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
    });
    push(rule(c['bottom-left'], c.bottom, c['bottom-mid'], c['bottom-right']));
    return out.join('\n');
  }
}
