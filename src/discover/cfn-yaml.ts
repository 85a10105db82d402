import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import type { CollectionTag, ScalarTag, YAMLMap } from 'yaml';
import { relaxIndentation } from './yaml-lenient.js';
import { fastYaml } from './yaml-fast.js';

/**
 * CloudFormation short-form intrinsics. Each parses to the long JSON form (`!Ref X` -> `{ Ref: 'X' }`,
 * `!Sub [...]` -> `{ 'Fn::Sub': [...] }`) so a YAML and a JSON template look the same to the providers.
 */
const INTRINSICS: ReadonlyArray<readonly [tag: string, key: string]> = [
  ['!Ref', 'Ref'],
  ['!Condition', 'Condition'],
  ...[
    'Sub',
    'GetAtt',
    'If',
    'Join',
    'Select',
    'Split',
    'FindInMap',
    'ImportValue',
    'GetAZs',
    'Base64',
    'Cidr',
    'Equals',
    'Not',
    'And',
    'Or',
    'Transform',
    'ToJsonString',
    'Length',
  ].map((name) => [`!${name}`, `Fn::${name}`] as const),
];

function collectionToJs(value: unknown, onError: (message: string) => void): unknown {
  if (typeof value !== 'object' || value === null || !('toJSON' in value) || typeof value.toJSON !== 'function') return value;
  try {
    const plain: unknown = value.toJSON();
    return plain;
  } catch (error) {
    // An alias inside a tagged collection has no document context here; report it, keep parsing.
    onError(error instanceof Error ? error.message : String(error));
    return null;
  }
}

function intrinsicTags(): Array<ScalarTag | CollectionTag> {
  const tags: Array<ScalarTag | CollectionTag> = [];
  for (const [tag, key] of INTRINSICS) {
    tags.push({
      tag,
      resolve: (str: string): unknown => {
        // `!GetAtt Res.Attr` is the one scalar form whose long form is a list.
        if (key === 'Fn::GetAtt') {
          const dot = str.indexOf('.');
          return { [key]: dot < 0 ? [str] : [str.slice(0, dot), str.slice(dot + 1)] };
        }
        return { [key]: str };
      },
    });
    for (const collection of ['seq', 'map'] as const) {
      tags.push({ tag, collection, resolve: (value, onError): unknown => ({ [key]: collectionToJs(value, onError) }) });
    }
  }
  return tags;
}

const CFN_TAGS = intrinsicTags();

export interface ParsedYaml {
  /** The document as plain data, intrinsics in their JSON form. */
  data: unknown;
  /** 1-based line of a key in a mapping found by `path` (keys from the document root), or null. */
  lineOf(path: readonly string[]): number | null;
  /**
   * Present when strict YAML 1.2 rejected the text and it was read as CloudFormation reads it: what was
   * accepted, by line. Callers warn with it.
   */
  lenient?: string[];
}

export class YamlParseError extends Error {}

/**
 * Parses YAML or JSON (JSON is YAML 1.2) with CloudFormation tags registered. Throws YamlParseError with
 * the first error and its line, so callers can list the file as skipped.
 */
export function parseYamlWithIntrinsics(text: string): ParsedYaml {
  // Plain block YAML (most templates) is read in JavaScript with the same result; the library reads the rest.
  return fastYaml(text) ?? parseYamlWithLibrary(text);
}

/** `parseYamlWithIntrinsics` through the `yaml` library alone (the reference yaml-fast.ts is tested against). */
export function parseYamlWithLibrary(text: string): ParsedYaml {
  let lineCounter = new LineCounter();
  const parse = (source: string, counter: LineCounter): ReturnType<typeof parseDocument> =>
    parseDocument(source, { customTags: CFN_TAGS, keepSourceTokens: true, lineCounter: counter, uniqueKeys: false, prettyErrors: false });
  let doc = parse(text, lineCounter);
  let lenient: string[] | undefined;
  const first = doc.errors[0];
  if (first !== undefined) {
    // What CloudFormation accepts and YAML 1.2 does not: retry with those lines indented past their key.
    const relaxed = relaxIndentation(text);
    const retryCounter = new LineCounter();
    const retry = relaxed.notes.length > 0 ? parse(relaxed.text, retryCounter) : null;
    if (retry === null || retry.errors.length > 0) {
      const at = first.pos[0];
      const { line, col } = lineCounter.linePos(at);
      throw new YamlParseError(`line ${line}, column ${col}: ${first.message.split('\n')[0] ?? first.message}`);
    }
    doc = retry;
    lineCounter = retryCounter;
    lenient = relaxed.notes;
  }
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  const counter = lineCounter;
  return {
    data,
    ...(lenient !== undefined ? { lenient } : {}),
    lineOf(path: readonly string[]): number | null {
      let node: unknown = doc.contents;
      let keyStart: number | null = null;
      for (const key of path) {
        if (!isMap(node)) return null;
        const map: YAMLMap = node;
        const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
        if (pair === undefined || !isScalar(pair.key) || pair.key.range === undefined || pair.key.range === null) return null;
        keyStart = pair.key.range[0];
        node = pair.value;
      }
      return keyStart === null ? null : counter.linePos(keyStart).line;
    },
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The warning a reader sees when a file was read leniently, or undefined when strict YAML read it. */
export function lenientWarning(rel: string, parsed: ParsedYaml): string | undefined {
  if (parsed.lenient === undefined) return undefined;
  return `${rel}: read leniently, as CloudFormation reads it (strict YAML 1.2 rejects it): ${parsed.lenient.join('; ')}`;
}
