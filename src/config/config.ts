import { createRequire } from 'node:module';
import { readUserFile, userFileKind } from '../source/user-file.js';
import path from 'node:path';
import type * as AjvModule from 'ajv';
import type { ErrorObject } from 'ajv';
import type * as YamlModule from 'yaml';
import { InputError } from '../errors.js';
import { refuseUntrusted, SMALL_LIMITS } from '../util/untrusted-json.js';
import type { CatalogEntry } from '../graph/packages.js';
import type { Severity } from '../model/result.js';
import type { SourceTree } from '../source/tree.js';

/**
 * The project's config file: `.lambda-migrate.json`, `.lambda-migrate.yaml` or `.lambda-migrate.yml`
 * in the scanned root, or the file given with `--config`. It is data, parsed and validated with a JSON
 * Schema (ajv); JavaScript config is never loaded, because loading it would run the scanned
 * repository's code.
 */

export const CONFIG_NAMES = ['.lambda-migrate.json', '.lambda-migrate.yaml', '.lambda-migrate.yml'] as const;
const JS_CONFIG_NAMES = [
  '.lambda-migrate.js',
  '.lambda-migrate.cjs',
  '.lambda-migrate.mjs',
  '.lambda-migrate.ts',
  'lambda-migrate.config.js',
  'lambda-migrate.config.ts',
];

export type RuleLevel = 'off' | Severity;
export type OptionValue = number | string | boolean;

export interface ProjectConfig {
  /** The file read, relative to the root when inside it; null when there is none. */
  file: string | null;
  /**
   * Every rule id the rules section names, in file order. The engine checks them against its registry: the config
   * knows nothing of rules/, so it can be read before any rule loads.
   */
  ruleIds: string[];
  /** Rules turned off. */
  disabled: string[];
  /** Severity overrides per rule. */
  severity: Record<string, Severity>;
  options: Record<string, Record<string, OptionValue>>;
  /** Load costs for packages the shipped catalog does not know (your own measurements). */
  heavyPackages: CatalogEntry[];
  /** Packages whose init cost the team accepts: heavy-init-import says nothing about them. */
  allowPackages: string[];
  /** Globs (relative to the root) whose findings are dropped: generated code, vendored code. */
  allowFiles: string[];
  ioTangle: { mixedFrom: number; tangledFrom: number };
  /** Baseline file to apply, relative to the config file's directory. */
  baseline: string | null;
  /** Notes for stderr (an ignored JS config file). */
  notes: string[];
}

const LEVELS = ['off', 'info', 'warn', 'error'] as const;

export const CONFIG_SCHEMA = {
  $id: 'https://lambda-migrate.dev/config.schema.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    rules: {
      type: 'object',
      additionalProperties: {
        if: { type: 'string' },
        then: { enum: LEVELS },
        else: {
          type: 'object',
          additionalProperties: false,
          properties: {
            severity: { enum: LEVELS },
            options: { type: 'object', additionalProperties: { type: ['number', 'string', 'boolean'] } },
          },
        },
      },
    },
    heavyPackages: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'requireMs'],
        properties: {
          name: { type: 'string', minLength: 1 },
          requireMs: { type: 'number', minimum: 0 },
          importMs: { type: 'number', minimum: 0 },
          sizeBytes: { type: 'integer', minimum: 0 },
          version: { type: 'string' },
          source: { type: 'string' },
          date: { type: 'string' },
        },
      },
    },
    allow: {
      type: 'object',
      additionalProperties: false,
      properties: {
        packages: { type: 'array', items: { type: 'string', minLength: 1 } },
        files: { type: 'array', items: { type: 'string', minLength: 1 } },
      },
    },
    ioTangle: {
      type: 'object',
      additionalProperties: false,
      properties: {
        mixedFrom: { type: 'number', minimum: 0, maximum: 1 },
        tangledFrom: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
    baseline: { type: 'string', minLength: 1 },
  },
} as const;

/*
 * ajv and yaml load only when there is a config file to read: most scans have none, and the tool
 * practises the lazy loading it recommends (both are CommonJS, so a synchronous require works).
 */
const lazyRequire = createRequire(import.meta.url);
let validator: (((data: unknown) => boolean) & { errors?: ErrorObject[] | null }) | undefined;

function validate(data: unknown): ErrorObject[] {
  if (!validator) {
    const { Ajv }: typeof AjvModule = lazyRequire('ajv');
    validator = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, verbose: true }).compile(CONFIG_SCHEMA);
  }
  return validator(data) ? [] : (validator.errors ?? []);
}

/** `/rules/await-in-loop/severity` -> `rules.await-in-loop.severity`, `/heavyPackages/0/name` -> `heavyPackages[0].name`. */
function keyPath(pointer: string): string {
  if (pointer === '') return '(top level)';
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

/** A value as a message shows it: strings quoted, arrays and objects by kind. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return JSON.stringify(v);
}

/** One error as `<key path>: expected <what>, got <value>`. */
export function formatConfigError(err: ErrorObject): string {
  const at = keyPath(err.instancePath);
  const p: Record<string, unknown> = err.params;
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const props = field(err.parentSchema, 'properties');
      const known = isRecord(props) ? Object.keys(props).filter((k) => k !== '$schema') : [];
      const where = at === '(top level)' ? key : `${at}.${key}`;
      return `${where}: unknown key${known.length > 0 ? `, expected one of: ${known.join(', ')}` : ''}`;
    }
    case 'required':
      return `${at}: missing required key '${String(p.missingProperty)}'`;
    case 'enum':
      return `${at}: expected one of: ${(Array.isArray(p.allowedValues) ? p.allowedValues : []).map(String).join(', ')}, got ${describeValue(err.data)}`;
    case 'type':
      return `${at}: expected ${String(p.type).replace(/,/g, ' or ')}, got ${describeValue(err.data)}`;
    case 'minimum':
    case 'maximum':
      return `${at}: expected a number ${String(p.comparison)} ${String(p.limit)}, got ${describeValue(err.data)}`;
    case 'minLength':
      return `${at}: expected a non-empty string`;
    default:
      return `${at}: ${err.message ?? 'invalid'}`;
  }
}

export interface LoadConfigOptions {
  rootAbs: string;
  /**
   * The scanned service, where the config is looked for when none is named (it is one of the service's files, read
   * through the SourceTree like the rest); without it, the root on disk is looked at.
   */
  tree?: Pick<SourceTree, 'stat' | 'read'>;
  /** `--config PATH`, resolved against `cwd`. */
  explicit?: string;
  /** False: do not look for a config file in the root (library callers that pass settings themselves). */
  discover?: boolean;
  cwd: string;
}

/** A config file found: how to name it in messages, its extension, and how to read it. */
interface Located {
  shown: string;
  ext: string;
  isDir: boolean;
  read: () => string;
}

/** Finds, parses and validates the config; returns the defaults when there is no file. */
export function loadConfig(options: LoadConfigOptions): ProjectConfig {
  const notes: string[] = [];
  const found =
    options.explicit !== undefined ? namedConfig(options, options.explicit) : options.discover !== false ? rootConfig(options, notes) : null;
  if (found === null) return { ...defaults(), notes };
  const { shown, ext } = found;
  // A directory named like a config file (or `--config some/dir`) is the user's mistake, not an EISDIR stack.
  if (found.isDir) throw new InputError(`${shown}: is a directory, not a config file`, 'pass the path of a .lambda-migrate.json, .yaml or .yml file');
  if (!['.json', '.yaml', '.yml'].includes(ext)) {
    throw new InputError(
      `${shown}: unsupported config format '${ext || '(none)'}'`,
      'use JSON or YAML (.json, .yaml, .yml); JavaScript config is never loaded because it would run code',
    );
  }
  let text: string;
  try {
    text = found.read();
  } catch (err) {
    const code = typeof err === 'object' && err !== null ? Reflect.get(err, 'code') : undefined;
    throw new InputError(
      `${shown}: cannot be read${typeof code === 'string' ? ` (${code})` : ''}`,
      'pass the path of a .lambda-migrate.json, .yaml or .yml file',
    );
  }
  const { parse: parseYaml, YAMLParseError }: typeof YamlModule = lazyRequire('yaml');
  let data: unknown;
  try {
    data = ext === '.json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const at = err.linePos?.[0];
      const first = (err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      throw new InputError(`${shown}:${at ? `${at.line}:${at.col}` : ''} invalid YAML: ${first}`);
    }
    throw new InputError(`${shown}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (data === null || data === undefined) data = {};
  // Rule options are copied key by key: a "__proto__" key would set a prototype, not an option.
  refuseUntrusted(data, shown, 'see "Configuration" in the README for the keys and their values', SMALL_LIMITS);
  return { ...fromData(data, shown), file: shown, notes };
}

/** `--config PATH`: a file the user names, anywhere, resolved against the directory the CLI runs in. */
function namedConfig(options: LoadConfigOptions, named: string): Located {
  const abs = path.resolve(options.cwd, named);
  const kind = userFileKind(abs);
  if (kind === null) throw new InputError(`config file not found: ${named}`, 'pass the path of a .lambda-migrate.json, .yaml or .yml file');
  return {
    shown: displayPath(abs, options.rootAbs, options.cwd),
    ext: path.extname(abs).toLowerCase(),
    isDir: kind === 'dir',
    read: () => readUserFile(abs),
  };
}

/** The config in the scanned root, if any: through the SourceTree when there is one; notes the JavaScript ones skipped. */
function rootConfig(options: LoadConfigOptions, notes: string[]): Located | null {
  const { tree } = options;
  const kindOf = (name: string): 'file' | 'dir' | null => {
    if (tree === undefined) {
      const kind = userFileKind(path.join(options.rootAbs, name));
      return kind === null ? null : kind === 'dir' ? 'dir' : 'file';
    }
    const stat = tree.stat(name);
    return stat === null ? null : stat.isDirectory ? 'dir' : 'file';
  };
  const found = CONFIG_NAMES.filter((n) => kindOf(n) !== null);
  if (found.length > 1)
    throw new InputError(`more than one config file in the scanned root: ${found.join(', ')}`, 'keep one of them, or pick one with --config');
  for (const js of JS_CONFIG_NAMES) {
    if (kindOf(js) !== null)
      notes.push(
        `${js} ignored: lambda-migrate never loads JavaScript config (it would run the repository's code); use .lambda-migrate.json or .yaml`,
      );
  }
  const name = found[0];
  if (name === undefined) return null;
  const abs = path.join(options.rootAbs, name);
  const read = tree === undefined ? () => readUserFile(abs) : () => tree.read(name);
  return { shown: displayPath(abs, options.rootAbs, options.cwd), ext: path.extname(name).toLowerCase(), isDir: kindOf(name) === 'dir', read };
}

/** Validates parsed config data; `where` names the file in messages. */
export function fromData(data: unknown, where: string): ProjectConfig {
  const errors = validate(data);
  const first = errors[0];
  if (first) throw new InputError(`${where}: ${formatConfigError(first)}`, 'see "Configuration" in the README for the keys and their values');
  const config = defaults();
  config.file = where;
  const rules = field(data, 'rules');
  if (isRecord(rules)) {
    for (const [id, value] of Object.entries(rules)) {
      config.ruleIds.push(id);
      const level = typeof value === 'string' ? value : field(value, 'severity');
      if (level === 'off') config.disabled.push(id);
      else if (level === 'info' || level === 'warn' || level === 'error') config.severity[id] = level;
      const opts = field(value, 'options');
      if (isRecord(opts)) {
        const out: Record<string, OptionValue> = {};
        for (const [k, v] of Object.entries(opts)) if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
        config.options[id] = out;
      }
    }
  }
  const heavy = field(data, 'heavyPackages');
  if (Array.isArray(heavy)) {
    config.heavyPackages = heavy.filter(isRecord).map((p) => ({
      name: String(p.name),
      version: typeof p.version === 'string' ? p.version : '',
      requireMs: typeof p.requireMs === 'number' ? p.requireMs : null,
      importMs: typeof p.importMs === 'number' ? p.importMs : typeof p.requireMs === 'number' ? p.requireMs : null,
      sizeBytes: typeof p.sizeBytes === 'number' ? p.sizeBytes : null,
      source: typeof p.source === 'string' ? p.source : `${where} (heavyPackages)`,
      date: typeof p.date === 'string' ? p.date : '',
    }));
  }
  const allow = field(data, 'allow');
  config.allowPackages = strings(field(allow, 'packages'));
  config.allowFiles = strings(field(allow, 'files'));
  const tangle = field(data, 'ioTangle');
  const mixedFrom = field(tangle, 'mixedFrom');
  const tangledFrom = field(tangle, 'tangledFrom');
  if (typeof mixedFrom === 'number') config.ioTangle.mixedFrom = mixedFrom;
  if (typeof tangledFrom === 'number') config.ioTangle.tangledFrom = tangledFrom;
  if (config.ioTangle.mixedFrom > config.ioTangle.tangledFrom) {
    throw new InputError(
      `${where}: ioTangle.mixedFrom: expected a number <= ioTangle.tangledFrom (${config.ioTangle.tangledFrom}), got ${config.ioTangle.mixedFrom}`,
    );
  }
  const baseline = field(data, 'baseline');
  if (typeof baseline === 'string') config.baseline = baseline;
  return config;
}

function defaults(): ProjectConfig {
  return {
    file: null,
    ruleIds: [],
    disabled: [],
    severity: {},
    options: {},
    heavyPackages: [],
    allowPackages: [],
    allowFiles: [],
    ioTangle: { mixedFrom: 0.2, tangledFrom: 0.5 },
    baseline: null,
    notes: [],
  };
}

function displayPath(abs: string, rootAbs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return (rel.startsWith('..') ? abs : rel).split(path.sep).join('/');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(obj: unknown, key: string): unknown {
  return isRecord(obj) ? obj[key] : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
