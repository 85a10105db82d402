import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatMs, plural } from '../../src/report/format.js';
import { formatTable } from '../../src/report/table.js';

describe('number formatting', () => {
  it.each([
    [null, '?'],
    [0, '0'],
    [35.4, '35'],
    [26.5, '27'],
    [1234.4, '1,234'],
  ])('formatMs(%s) = %s', (input, expected) => {
    expect(formatMs(input)).toBe(expected);
  });

  it.each([
    [null, '?'],
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [651_000, '651.0 kB'],
    [999_960, '1.0 MB'],
    [9_800_000, '9.8 MB'],
    [1_500_000_000, '1.5 GB'],
  ])('formatBytes(%s) = %s', (input, expected) => {
    expect(formatBytes(input)).toBe(expected);
  });

  it('groups thousands without locale data', () => {
    expect([0, 999, 1000, 18_406, 1_234_567, -4321].map(formatCount)).toEqual(['0', '999', '1,000', '18,406', '1,234,567', '-4,321']);
  });

  it('pluralises by count', () => {
    expect([plural(0, 'module'), plural(1, 'module'), plural(2, 'I/O call')]).toEqual(['0 modules', '1 module', '2 I/O calls']);
  });
});

describe('formatTable', () => {
  it('pads columns, right-aligns numbers and leaves no trailing spaces', () => {
    const lines = formatTable(
      [{ align: 'left' }, { align: 'right' }, { align: 'left' }],
      [
        [{ text: 'name' }, { text: 'ms' }, { text: 'note' }],
        [{ text: 'aws-sdk' }, { text: '150' }, { text: '' }],
        [{ text: 'pino' }, { text: '14' }, { text: 'ok' }],
      ],
    );
    expect(lines).toEqual(['name      ms  note', 'aws-sdk  150', 'pino      14  ok']);
  });
});
