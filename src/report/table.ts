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
