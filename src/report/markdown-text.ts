/**
 * Prose from the scanned code for GitHub-flavoured Markdown. Escaping keeps the text inert, but two GitHub features
 * act on text escaping cannot reach: `@name` becomes a mention (of a user, a team, `@channel`), and `a@b.c` an email
 * autolink, which is what `express@5.3.0` and `ops@example.com` look like. Inside a code span neither happens, so such
 * tokens are written as code: they read as package names and versions, and copy-paste as what they are (no
 * invisible joiner inside them, which a zero-width character trick would leave in the clipboard).
 */
import { escapeMarkdownText, markdownCode } from './escape.js';

/**
 * `@scope/pkg`, `@team`, `name@1.2.3`, `@scope/pkg@1.2.3`, `user@host.tld`: a token with an `@` that GitHub could
 * link. Letters, digits and `_ . - /` around it (not `+`: in `+@scope/pkg` of a change list it is a sign, not part
 * of the name); it ends on a letter or digit, so trailing punctuation stays prose. No backtick or pipe can be
 * inside, so the code span needs no table escaping.
 */
const LINKABLE = /(?<![\p{L}\p{N}_.\-/@])[\p{L}\p{N}_.\-/]*(?:@[\p{L}\p{N}_.\-/]*[\p{L}\p{N}_])+/gu;

/** Inline Markdown, safe in a paragraph, a heading, a list item or a table cell; linkable tokens as code spans. */
export function markdownProse(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(LINKABLE)) {
    const at = m.index;
    out += prose(text.slice(last, at)) + markdownCode(m[0], { inTable: true });
    last = at + m[0].length;
  }
  return out + prose(text.slice(last));
}

/**
 * Between the tokens no `@` is followed by a name (it would be a token), so nothing there can mention: the joiner
 * escapeMarkdownText puts after a word-initial `@` is dropped, leaving no invisible character in the text.
 */
function prose(text: string): string {
  return escapeMarkdownText(text).replaceAll('@\u200D', '@');
}
