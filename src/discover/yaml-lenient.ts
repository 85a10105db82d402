/**
 * CloudFormation's YAML reader (and `sam`/`cfn-lint`, which follow it) accepts two shapes that strict YAML 1.2
 * rejects, and both occur in real templates:
 * - a multi-line quoted scalar whose continuation lines sit at or left of its key's indent
 *   (`Description: "Handles orders` / `and refunds"` one under the other);
 * - a flow sequence or mapping whose items or closing bracket are indented less than its key
 *   (`Layers: [` with the items and `]` at the parent's indent).
 * `relaxIndentation` indents such lines just past their key, keeping every line where it was, so positions
 * still point into the file as written. It only runs after a strict parse has failed.
 */

interface ScanState {
  quote: '"' | "'" | null;
  depth: number;
}

/** Advances the quote/bracket state over one line of text (from `start`), stopping at a comment. */
function scan(line: string, state: ScanState, start = 0): ScanState {
  let { quote, depth } = state;
  for (let i = start; i < line.length; i++) {
    const ch = line[i];
    if (quote === '"') {
      if (ch === '\\') i++;
      else if (ch === '"') quote = null;
    } else if (quote === "'") {
      if (ch === "'" && line[i + 1] === "'") i++;
      else if (ch === "'") quote = null;
    } else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
      break;
    } else if (ch === '"' || ch === "'") {
      // A quote opens a scalar only where one can start: after space, a flow indicator, or the value's start.
      if (i === start || /[\s[{,:]/.test(line[i - 1] ?? '')) quote = ch;
    } else if (ch === '[' || ch === '{') {
      depth++;
    } else if ((ch === ']' || ch === '}') && depth > 0) {
      depth--;
    }
  }
  return { quote, depth };
}

const KEY_LINE = /^(\s*)((?:-\s+)*)((?:[^\s#'"{[][^:#]*?|"[^"]*"|'[^']*')):(?:\s+|$)/;

export interface Relaxed {
  text: string;
  /** One note per construct re-indented, with its 1-based line. */
  notes: string[];
}

export function relaxIndentation(text: string): Relaxed {
  const lines = text.split('\n');
  const notes: string[] = [];
  let open: { keyIndent: number; line: number; what: 'quoted scalar' | 'flow collection'; fixed: boolean } | null = null;
  let state: ScanState = { quote: null, depth: 0 };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] ?? '';
    if (open !== null) {
      const indent = /^ */.exec(line)?.[0].length ?? 0;
      if (line.trim() !== '' && indent <= open.keyIndent) {
        lines[n] = ' '.repeat(open.keyIndent + 2 - indent) + line;
        open.fixed = true;
      }
      state = scan(lines[n] ?? '', state);
      if (state.quote === null && state.depth === 0) {
        if (open.fixed) notes.push(`line ${open.line}: a multi-line ${open.what} continues at or left of its key's indent`);
        open = null;
      }
      continue;
    }
    const m = KEY_LINE.exec(line);
    if (m === null) continue;
    const keyIndent = (m[1] ?? '').length + (m[2] ?? '').length;
    state = scan(line, { quote: null, depth: 0 }, m[0].length);
    if (state.quote !== null || state.depth > 0) {
      open = { keyIndent, line: n + 1, what: state.quote !== null ? 'quoted scalar' : 'flow collection', fixed: false };
    }
  }
  return { text: lines.join('\n'), notes };
}
