/**
 * The hidden line a PR comment starts with. The bot finds its own comment by this marker (and its author) to update
 * it in place, so it never changes once released; untrusted text that contains it is escaped by the Markdown
 * escapers (`<` becomes `\<`), so a scanned name cannot forge it.
 */
export const PR_COMMENT_MARKER = '<!-- lambda-migrate:pr-comment -->';
