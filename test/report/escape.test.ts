import { describe, expect, it } from 'vitest';
import { escapeMarkdownText, markdownCode, sanitizeTerminalText } from '../../src/report/escape.js';

const ZWJ = '\u200D';
const RLO = '\u202E';

describe('escapeMarkdownText', () => {
  it.each([
    ['plain text', 'createOrder', 'createOrder'],
    ['backticks', 'a `code` b', 'a \\`code\\` b'],
    ['pipes (GFM cell split)', 'a|b||c', 'a\\|b\\|\\|c'],
    ['raw HTML stays text', '<details><summary>x</summary>', '\\<details\\>\\<summary\\>x\\</summary\\>'],
    ['emphasis, links, headings, strikethrough', '# *a* _b_ [c](d) ~~e~~', '\\# \\*a\\* \\_b\\_ \\[c\\](d) \\~\\~e\\~\\~'],
    ['backslash first, so escapes are not undone', 'C:\\*', 'C:\\\\\\*'],
    ['an entity stays literal', '&copy; &amp;', '\\&copy; \\&amp;'],
    ['team mention', 'ping @org/team', `ping @${ZWJ}org/team`],
    ['channel mention', '@channel', `@${ZWJ}channel`],
    ['mention after punctuation', '(cc @ops)', `(cc @${ZWJ}ops)`],
    ['a version or an e-mail address is not a mention', 'express@5.3.0 ops@example.com', 'express@5.3.0 ops@example.com'],
    ['right-to-left override and isolates', `evil${RLO}txt.exe\u2066x\u2069`, 'eviltxt.exex'],
    ['newlines of every kind', 'a\nb\r\nc\rd\u2028e', 'a b c d e'],
    ['terminal escape', 'x\u001B[2Jy', 'x\\[2Jy'],
  ])('%s', (_label, input, expected) => {
    expect(escapeMarkdownText(input)).toBe(expected);
  });

  it('never emits HTML entities', () => {
    expect(escapeMarkdownText('<a href="x">&</a>')).not.toMatch(/&\w+;/);
  });
});

describe('markdownCode', () => {
  it.each([
    ['plain', 'src/a.ts', '`src/a.ts`'],
    ['single backticks inside take a double fence', 'a`b`c', '``a`b`c``'],
    ['a run of two takes a fence of three', 'x``y', '```x``y```'],
    ['a backtick at the edge is padded off the fence', '`x', '`` `x ``'],
    ['spaces at both edges survive CommonMark stripping', ' x ', '`  x  `'],
    ['no HTML escaping inside code', 'a<b>&c', '`a<b>&c`'],
    ['newlines flattened', 'a\nb', '`a b`'],
    ['bidi stripped', `a${RLO}b`, '`ab`'],
    ['a mention in code is inert already and left alone', '@org/team', '`@org/team`'],
    ['empty text has no code span', '', ''],
  ])('%s', (_label, input, expected) => {
    expect(markdownCode(input, { inTable: false })).toBe(expected);
  });

  it('escapes pipes only for table cells, where GFM splits before parsing code spans', () => {
    expect(markdownCode('a|b', { inTable: true })).toBe('`a\\|b`');
    expect(markdownCode('a|b', { inTable: false })).toBe('`a|b`');
    expect(markdownCode('src/notify|`x`.ts', { inTable: true })).toBe('``src/notify\\|`x`.ts``');
  });
});

describe('sanitizeTerminalText', () => {
  it('keeps the text but removes what a terminal would act on', () => {
    expect(sanitizeTerminalText(`\u001B[31mred\u001B[0m\u0007 a\tb\nc ${RLO}x`)).toBe('[31mred[0m a b c x');
  });

  it('does not escape markup: the terminal shows it as written', () => {
    expect(sanitizeTerminalText('<b>&amp; `x` | @team')).toBe('<b>&amp; `x` | @team');
  });
});
