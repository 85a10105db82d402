/** Fixed-width tables for the terminal report: widths are computed here so templates only place lines. */

export type Align = 'left' | 'right';

export type AnsiColor = 'red' | 'yellow' | 'cyan';

const ANSI_CODES: Record<AnsiColor, number> = { red: 31, yellow: 33, cyan: 36 };

export interface Cell {
  text: string;
  /** Applied after padding so escape codes never count towards a column's width. */
  color?: AnsiColor | null;
}

export interface ColumnSpec {
  align: Align;
}

/** Width as a terminal counts it for the text we emit: code points, since control characters are stripped first. */
export function displayWidth(text: string): number {
  return Array.from(text).length;
}

function paint(text: string, color: AnsiColor | null | undefined): string {
  return color ? `\u001B[${ANSI_CODES[color]}m${text}\u001B[39m` : text;
}

/**
 * Pads every column to its widest cell, two spaces between columns. A left-aligned last column is not padded, and
 * lines carry no trailing spaces (golden files and `git diff` would show them).
 */
export function formatTable(columns: readonly ColumnSpec[], rows: readonly (readonly Cell[])[]): string[] {
  const widths = columns.map((_, index) => Math.max(0, ...rows.map((row) => displayWidth(row[index]?.text ?? ''))));
  return rows.map((row) => {
    const parts = columns.map((column, index) => {
      const cell = row[index] ?? { text: '' };
      const gap = ' '.repeat((widths[index] ?? 0) - displayWidth(cell.text));
      const isLast = index === columns.length - 1;
      if (column.align === 'right') {
        return gap + paint(cell.text, cell.color);
      }
      return isLast ? paint(cell.text, cell.color) : paint(cell.text, cell.color) + gap;
    });
    return parts.join('  ').trimEnd();
  });
}

// eslint-disable-next-line no-control-regex -- our own SGR color codes are what must not count towards a width
const SGR = /\u001B\[\d+m/g;

/** Width of a line that may carry our own color codes. */
export function visibleWidth(text: string): number {
  return displayWidth(text.replace(SGR, ''));
}

/** `text` cut to `width` code points, the last one an ellipsis when anything was cut. */
export function clip(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return width <= 0
    ? ''
    : `${chars
        .slice(0, width - 1)
        .join('')
        .trimEnd()}…`;
}

/**
 * One line as lines no wider than `width`: breaks between words, continuation lines indented two past the line's
 * own indent (a hanging indent, so a wrapped row still reads as one), and a word longer than a whole line is cut
 * into pieces rather than left sticking out. Color codes never count and are never split.
 */
export function wrapLine(line: string, width: number): string[] {
  if (visibleWidth(line) <= width) return [line];
  const indent = /^ */.exec(line)?.[0].length ?? 0;
  const next = ' '.repeat(Math.min(indent + 2, Math.floor(width / 3)));
  const out: string[] = [];
  let current = ' '.repeat(indent);
  let hasContent = false;
  const push = (): void => {
    out.push(current.trimEnd());
    current = next;
    hasContent = false;
  };
  // A ` · ` separator stays at the end of the line it follows, so no line starts with one.
  for (const chunk of line.slice(indent).match(/\S+(?: +·(?= |$))?\s*/g) ?? []) {
    const word = chunk.trimEnd();
    if (hasContent && visibleWidth(current + word) > width) push();
    // A word wider than what a line has left is split by code points (paths and URLs have no spaces to break at).
    let rest = word;
    while (visibleWidth(current) + visibleWidth(rest) > width) {
      const room = width - visibleWidth(current);
      const chars = Array.from(rest);
      current += chars.slice(0, room).join('');
      rest = chars.slice(room).join('');
      push();
    }
    current += rest + chunk.slice(word.length);
    hasContent = true;
  }
  if (hasContent) out.push(current.trimEnd());
  return out;
}

/** Every line of a report fitted to `width` (see wrapLine); line breaks inside the report are kept as they are. */
export function fitLines(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width))
    .join('\n');
}

/**
 * A table no wider than `width`: when the natural layout is wider, the `flex` column's cells are clipped (with an
 * ellipsis) by what is too much, down to `minFlex` code points; the other columns keep their figures whole.
 */
export function formatFittedTable(
  columns: readonly ColumnSpec[],
  rows: readonly (readonly Cell[])[],
  width: number,
  flex: number,
  minFlex = 8,
): string[] {
  const lines = formatTable(columns, rows);
  const widest = Math.max(0, ...lines.map(visibleWidth));
  if (widest <= width) return lines;
  const flexWidth = Math.max(0, ...rows.map((row) => displayWidth(row[flex]?.text ?? '')));
  const target = Math.max(minFlex, flexWidth - (widest - width));
  const clipped = rows.map((row) => row.map((cell, index) => (index === flex ? { ...cell, text: clip(cell.text, target) } : cell)));
  return formatTable(columns, clipped);
}
