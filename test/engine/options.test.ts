import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { allowedValues, defaultsOf, validateOption, type OptionOrigin, type OptionsSchema, type OptionValue } from '../../src/engine/options.js';

const SCHEMA = {
  thresholdMs: { type: 'number', minimum: 0, default: 20, description: 'Report at or above this many ms' },
  ratio: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'A share' },
  minRoutes: { type: 'number', integer: true, minimum: 1, default: 2, description: 'Routes an app must serve' },
  anyNumber: { type: 'number', default: -3, description: 'Any finite number' },
  mode: { type: 'string', enum: ['fast', 'full'], default: 'fast', description: 'How hard to look' },
  asOf: { type: 'string', enum: ['', 'today'], format: 'date', default: '', description: 'The day to compare with' },
  routes: { type: 'string', format: 'regex', default: '^/admin', description: 'Rare routes' },
  names: { type: 'string', default: 'aws-sdk', description: 'Comma-separated names' },
  strict: { type: 'boolean', default: false, description: 'Be strict' },
} as const satisfies OptionsSchema;

const CONFIG: OptionOrigin = { kind: 'config', at: (id) => `.lambda-migrate.json: rules.${id}.options` };
const FLAG: OptionOrigin = { kind: 'flag' };

function failure(
  name: string,
  value: OptionValue,
  origin: OptionOrigin,
  schema: OptionsSchema = SCHEMA,
): { message: string; hint: string | undefined } {
  try {
    validateOption('some-rule', schema, name, value, origin);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { message: err.message, hint: err.hint };
  }
  throw new Error(`some-rule.${name}=${JSON.stringify(value)} was accepted`);
}

describe('option schema: what each spec allows, in words', () => {
  it('names types, ranges, integers, enums and formats', () => {
    expect(allowedValues(SCHEMA.thresholdMs)).toBe('a number >= 0');
    expect(allowedValues(SCHEMA.ratio)).toBe('a number between 0 and 1');
    expect(allowedValues(SCHEMA.minRoutes)).toBe('an integer >= 1');
    expect(allowedValues(SCHEMA.anyNumber)).toBe('a number');
    expect(allowedValues({ type: 'number', maximum: 9, default: 1, description: '' })).toBe('a number <= 9');
    expect(allowedValues(SCHEMA.mode)).toBe("one of: 'fast', 'full'");
    expect(allowedValues(SCHEMA.asOf)).toBe("'' or 'today' or a date (YYYY-MM-DD)");
    expect(allowedValues(SCHEMA.routes)).toBe('a regular expression');
    expect(allowedValues(SCHEMA.names)).toBe('a string');
    expect(allowedValues(SCHEMA.strict)).toBe('true or false');
  });

  it('gives the defaults as the values a unit sees', () => {
    expect(defaultsOf(SCHEMA)).toEqual({
      thresholdMs: 20,
      ratio: 0.5,
      minRoutes: 2,
      anyNumber: -3,
      mode: 'fast',
      asOf: '',
      routes: '^/admin',
      names: 'aws-sdk',
      strict: false,
    });
  });
});

describe('option values from the config file: typed, checked against the schema', () => {
  it('accepts values of the declared type inside the allowed range', () => {
    expect(validateOption('some-rule', SCHEMA, 'thresholdMs', 0, CONFIG)).toBe(0);
    expect(validateOption('some-rule', SCHEMA, 'ratio', 1, CONFIG)).toBe(1);
    expect(validateOption('some-rule', SCHEMA, 'minRoutes', 7, CONFIG)).toBe(7);
    expect(validateOption('some-rule', SCHEMA, 'mode', 'full', CONFIG)).toBe('full');
    expect(validateOption('some-rule', SCHEMA, 'asOf', '2024-02-29', CONFIG)).toBe('2024-02-29');
    expect(validateOption('some-rule', SCHEMA, 'asOf', 'today', CONFIG)).toBe('today');
    expect(validateOption('some-rule', SCHEMA, 'routes', '(^|/)ops(/|$)', CONFIG)).toBe('(^|/)ops(/|$)');
    expect(validateOption('some-rule', SCHEMA, 'strict', true, CONFIG)).toBe(true);
  });

  it('does not read text as a number or a boolean: the file has types', () => {
    expect(failure('thresholdMs', '50', CONFIG).message).toBe(
      '.lambda-migrate.json: rules.some-rule.options.thresholdMs: expected a number >= 0, got "50"',
    );
    expect(failure('strict', 'true', CONFIG).message).toBe(
      '.lambda-migrate.json: rules.some-rule.options.strict: expected true or false, got "true"',
    );
  });

  const cases: [string, string, OptionValue, string][] = [
    ['a number below the minimum', 'thresholdMs', -1, 'expected a number >= 0, got -1'],
    ['a number above the maximum', 'ratio', 1.5, 'expected a number between 0 and 1, got 1.5'],
    ['a fraction where an integer is declared', 'minRoutes', 1.5, 'expected an integer >= 1, got 1.5'],
    ['an integer below the minimum', 'minRoutes', 0, 'expected an integer >= 1, got 0'],
    ['a string where a number is declared', 'thresholdMs', 'high', 'expected a number >= 0, got "high"'],
    ['a boolean where a string is declared', 'names', true, 'expected a string, got true'],
    ['a value outside the enum', 'mode', 'slow', "expected one of: 'fast', 'full', got \"slow\""],
    ['a date that does not exist', 'asOf', '2026-02-30', "expected '' or 'today' or a date (YYYY-MM-DD), got \"2026-02-30\""],
    ['a date in another format', 'asOf', '30.01.2026', "expected '' or 'today' or a date (YYYY-MM-DD), got \"30.01.2026\""],
    ['a number where a boolean is declared', 'strict', 1, 'expected true or false, got 1'],
  ];
  for (const [name, option, value, expected] of cases) {
    it(`refuses ${name}, naming the rule, the option, the value and what is allowed`, () => {
      expect(failure(option, value, CONFIG).message).toBe(`.lambda-migrate.json: rules.some-rule.options.${option}: ${expected}`);
    });
  }

  it('refuses a regular expression JavaScript cannot compile, with the reason', () => {
    expect(failure('routes', '(^/admin', CONFIG).message).toBe(
      '.lambda-migrate.json: rules.some-rule.options.routes: expected a regular expression, got "(^/admin" (Invalid regular expression: /(^/admin/i: Unterminated group)',
    );
  });

  it('hints at what the option does, what it allows and its default', () => {
    expect(failure('thresholdMs', -1, CONFIG).hint).toBe('some-rule.thresholdMs: Report at or above this many ms (a number >= 0, default 20)');
    expect(failure('asOf', 'tomorrow', CONFIG).hint).toBe(
      "some-rule.asOf: The day to compare with ('' or 'today' or a date (YYYY-MM-DD), default \"\")",
    );
  });

  it('refuses an unknown option, listing the declared ones', () => {
    const unknown = failure('treshold', 5, CONFIG);
    expect(unknown.message).toBe(
      '.lambda-migrate.json: rules.some-rule.options.treshold: unknown option, expected one of: thresholdMs, ratio, minRoutes, anyNumber, mode, asOf, routes, names, strict',
    );
    expect(unknown.hint).toBe('lambda-migrate rules some-rule describes the rule and its options');
    expect(failure('x', 1, CONFIG, {}).message).toBe(
      '.lambda-migrate.json: rules.some-rule.options.x: unknown option, expected none (this rule has no options)',
    );
  });

  it('treats inherited names as unknown, not as options', () => {
    expect(failure('toString', 'x', CONFIG).message).toMatch(/options\.toString: unknown option, expected one of: /);
  });
});

describe('option values from --rule-option: text read as the declared type, then the same check', () => {
  it('reads numbers and booleans from text, and keeps strings as they are', () => {
    expect(validateOption('some-rule', SCHEMA, 'thresholdMs', '50', FLAG)).toBe(50);
    expect(validateOption('some-rule', SCHEMA, 'ratio', '0.25', FLAG)).toBe(0.25);
    expect(validateOption('some-rule', SCHEMA, 'strict', 'true', FLAG)).toBe(true);
    expect(validateOption('some-rule', SCHEMA, 'strict', 'false', FLAG)).toBe(false);
    // A string option keeps digits as text: `asOf=2026` is not the number 2026.
    expect(validateOption('some-rule', SCHEMA, 'names', '2026', FLAG)).toBe('2026');
    expect(validateOption('some-rule', SCHEMA, 'names', '', FLAG)).toBe('');
  });

  const cases: [string, string, string, string][] = [
    ['text that is no number', 'thresholdMs', 'abc', 'expected a number >= 0, got "abc"'],
    ['an empty number', 'thresholdMs', '', 'expected a number >= 0, got ""'],
    ['blanks for a number', 'thresholdMs', '  ', 'expected a number >= 0, got "  "'],
    ['a negative number', 'thresholdMs', '-5', 'expected a number >= 0, got -5'],
    ['infinity', 'anyNumber', 'Infinity', 'expected a number, got "Infinity"'],
    ['a fraction for an integer', 'minRoutes', '2.5', 'expected an integer >= 1, got 2.5'],
    ['yes for a boolean', 'strict', 'yes', 'expected true or false, got "yes"'],
    ['a value outside the enum', 'mode', 'slow', "expected one of: 'fast', 'full', got \"slow\""],
  ];
  for (const [name, option, text, expected] of cases) {
    it(`refuses ${name}`, () => {
      expect(failure(option, text, FLAG).message).toBe(`--rule-option some-rule.${option}: ${expected}`);
    });
  }

  it('refuses an unknown option under the flag', () => {
    expect(failure('treshold', '5', FLAG).message).toBe(
      '--rule-option some-rule.treshold: unknown option, expected one of: thresholdMs, ratio, minRoutes, anyNumber, mode, asOf, routes, names, strict',
    );
  });
});
