import { describeValue } from '../config/config.js';
import { InputError } from '../errors.js';

/**
 * The options a rule or an analysis declares in its metadata: name, type, default, what values are allowed and what
 * the option does. Values from the config file and from `--rule-option` go through `validateOption`, the one check
 * both share, so a bad value is the same clear error (exit 2) wherever it was given.
 */

export type OptionValue = number | string | boolean;

interface OptionBase {
  /** What the option does, in one sentence (printed in the hint of an error). */
  description: string;
}

export interface NumberOption extends OptionBase {
  type: 'number';
  default: number;
  /** Whole numbers only. */
  integer?: boolean;
  minimum?: number;
  maximum?: number;
}

export interface StringOption extends OptionBase {
  type: 'string';
  default: string;
  /** Values allowed as they are (beside `format`, when it is given). */
  enum?: readonly string[];
  /** `regex`: a regular expression JavaScript compiles; `date`: a calendar date YYYY-MM-DD. */
  format?: 'regex' | 'date';
}

export interface BooleanOption extends OptionBase {
  type: 'boolean';
  default: boolean;
}

export type OptionSpec = NumberOption | StringOption | BooleanOption;
export type OptionsSchema = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S extends NumberOption ? number : S extends StringOption ? string : boolean;

/** The option values a unit sees: every declared option, typed by its spec. */
export type OptionValues<O extends OptionsSchema> = { readonly [K in keyof O]: ValueOf<O[K]> };

/**
 * Where values came from, for messages: the config file (values are typed; `at` gives the key path of a unit's
 * options, `.lambda-migrate.json: rules.heavy-init-import.options`) or `--rule-option` (values may be text).
 */
export type OptionOrigin = { kind: 'config'; at: (unitId: string) => string } | { kind: 'flag' };

/** The defaults of a schema, as the values a unit sees when nothing overrides them. */
export function defaultsOf(schema: OptionsSchema): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [name, spec] of Object.entries(schema)) out[name] = spec.default;
  return out;
}

/** What a spec allows, in words: `a number >= 0`, `an integer between 1 and 10`, `'' or 'today' or a date (YYYY-MM-DD)`. */
export function allowedValues(spec: OptionSpec): string {
  switch (spec.type) {
    case 'boolean':
      return 'true or false';
    case 'number': {
      const what = spec.integer === true ? 'an integer' : 'a number';
      if (spec.minimum !== undefined && spec.maximum !== undefined) return `${what} between ${spec.minimum} and ${spec.maximum}`;
      if (spec.minimum !== undefined) return `${what} >= ${spec.minimum}`;
      if (spec.maximum !== undefined) return `${what} <= ${spec.maximum}`;
      return what;
    }
    case 'string': {
      const literals = (spec.enum ?? []).map((v) => `'${v}'`);
      const format = spec.format === 'regex' ? 'a regular expression' : spec.format === 'date' ? 'a date (YYYY-MM-DD)' : null;
      if (format === null) return literals.length > 0 ? `one of: ${literals.join(', ')}` : 'a string';
      return [...literals, format].join(' or ');
    }
  }
}

/** `thresholdMs` of heavy-init-import, as the config file or the flag names it. */
function placeOf(unitId: string, name: string, origin: OptionOrigin): string {
  return origin.kind === 'config' ? `${origin.at(unitId)}.${name}` : `--rule-option ${unitId}.${name}`;
}

function hintOf(unitId: string, name: string, spec: OptionSpec): string {
  return `${unitId}.${name}: ${spec.description} (${allowedValues(spec)}, default ${JSON.stringify(spec.default)})`;
}

/**
 * Checks one option value against the unit's schema and returns it as its declared type. From the flag, text is read
 * as the type the option declares (`50` as a number, `true` as a boolean); from the config file the value must
 * already have that type. Throws an InputError naming the unit, the option, the value and what is allowed.
 */
export function validateOption(unitId: string, schema: OptionsSchema, name: string, value: OptionValue, origin: OptionOrigin): OptionValue {
  const spec = Object.hasOwn(schema, name) ? schema[name] : undefined;
  if (spec === undefined) {
    const known = Object.keys(schema);
    throw new InputError(
      `${placeOf(unitId, name, origin)}: unknown option, expected ${known.length > 0 ? `one of: ${known.join(', ')}` : 'none (this rule has no options)'}`,
      `lambda-migrate rules ${unitId} describes the rule and its options`,
    );
  }
  const typed = origin.kind === 'flag' && typeof value === 'string' ? fromText(spec, value) : value;
  const fail = (detail = ''): never => {
    throw new InputError(
      `${placeOf(unitId, name, origin)}: expected ${allowedValues(spec)}, got ${describeValue(typed)}${detail}`,
      hintOf(unitId, name, spec),
    );
  };
  switch (spec.type) {
    case 'boolean':
      return typeof typed === 'boolean' ? typed : fail();
    case 'number':
      if (typeof typed !== 'number' || !Number.isFinite(typed)) return fail();
      if (spec.integer === true && !Number.isInteger(typed)) return fail();
      if ((spec.minimum !== undefined && typed < spec.minimum) || (spec.maximum !== undefined && typed > spec.maximum)) return fail();
      return typed;
    case 'string': {
      if (typeof typed !== 'string') return fail();
      if (spec.enum?.includes(typed) === true) return typed;
      if (spec.format === 'regex') {
        const problem = regexProblem(typed);
        return problem === null ? typed : fail(` (${problem})`);
      }
      if (spec.format === 'date') return isCalendarDate(typed) ? typed : fail();
      return spec.enum === undefined ? typed : fail();
    }
  }
}

/** Text from the command line read as the option's type; left as text when it is not one (the check then says so). */
function fromText(spec: OptionSpec, text: string): OptionValue {
  if (spec.type === 'number') return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  if (spec.type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

function regexProblem(source: string): string | null {
  try {
    new RegExp(source, 'i');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** YYYY-MM-DD naming a day that exists (2026-02-30 does not). */
function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const t = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === text;
}
