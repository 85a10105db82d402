/**
 * Escapers for text that comes from the scanned code base (function names, paths, specifiers, messages that quote
 * them). That text is untrusted: a repository can name a file so that a report pings a team, breaks a table, hides
 * code behind a right-to-left override or repaints a terminal. The Markdown and text escapers do not produce entities;
 * the HTML report leaves markup to handlebars' escaping and only drops characters here, and CSV guards formulas.
 */

/**
 * Bidi overrides/embeddings (U+202A-U+202E), isolates (U+2066-U+2069) and the invisible marks (LRM, RLM, ALM): they
 * reorder what a reader sees without changing what is there ("Trojan Source"), so reports drop them.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * C0 controls except tab/newline (handled as whitespace), DEL and C1 controls: ESC starts terminal escape sequences
 * and the others have no business in a report.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are what gets removed
const OTHER_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Characters CommonMark/GFM give meaning to inline or in tables. `&` is included so `&copy;` stays literal. */
const MARKDOWN_SPECIALS = /[\\`*_[\]<>|#~&]/g;

/**
 * A zero-width joiner after `@` keeps GitHub from turning `@org/team` or `@channel` into a mention (a backslash does
 * not stop it) while the text still reads the same.
 */
const ZERO_WIDTH_JOINER = '\u200D';

function flatten(text: string): string {
  return text.replace(BIDI_CONTROLS, '').replace(LINE_BREAKS, ' ').replace(/\t/g, ' ').replace(OTHER_CONTROLS, '');
}

/** Plain text for a terminal: one line, no control or bidi characters (so no injected ANSI sequences). */
export function sanitizeTerminalText(text: string): string {
  return flatten(text);
}

/** Inline Markdown text, safe in a paragraph, a heading, a list item or a GFM table cell. */
export function escapeMarkdownText(text: string): string {
  return (
    flatten(text)
      .replace(MARKDOWN_SPECIALS, (ch) => `\\${ch}`)
      // Only an `@` that starts a word can mention: `express@5.3.0` and `ops@example.com` stay as written.
      .replace(/(^|[^\p{L}\p{N}_])@/gu, `$1@${ZERO_WIDTH_JOINER}`)
  );
}

export interface MarkdownCodeOptions {
  /**
   * GFM splits table rows on `|` before it parses code spans, so a pipe inside a code span in a cell must be written
   * `\|`; outside a table that backslash would show, so the caller says where the span goes.
   */
  inTable: boolean;
}

/**
 * A code span holding `text` literally. The fence is one backtick longer than the longest run inside, and the content
 * is padded with a space where CommonMark would otherwise read a leading/trailing backtick as part of the fence or
 * strip a space the text really has. Empty text gives an empty string (an empty code span does not exist).
 */
export function markdownCode(text: string, options: MarkdownCodeOptions): string {
  let content = flatten(text);
  if (content === '') {
    return '';
  }
  if (options.inTable) {
    content = content.replace(/\|/g, '\\|');
  }
  const longestRun = Math.max(0, ...Array.from(content.matchAll(/`+/g), (match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const needsPadding =
    content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '');
  const padding = needsPadding ? ' ' : '';
  return `${fence}${padding}${content}${padding}${fence}`;
}

/**
 * Text in an HTML report: markup is escaped by handlebars' `{{ }}`; this drops what escaping leaves through, the bidi
 * and control characters. Line breaks become LF and tabs stay: in HTML text they are only whitespace.
 */
export function stripHtmlUnsafeChars(text: string): string {
  return text.replace(BIDI_CONTROLS, '').replace(/\r\n?/g, '\n').replace(OTHER_CONTROLS, '');
}

/**
 * A CSV cell from untrusted text, one line. A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a tab
 * or CR before one) gets a leading apostrophe, as OWASP's "CSV Injection" advises: shown, never evaluated.
 */
export function csvTextCell(text: string): string {
  const flat = flatten(text);
  return /^[=+\-@\t\r]/.test(text) || /^\s*[=+\-@]/.test(flat) ? `'${flat}` : flat;
}
