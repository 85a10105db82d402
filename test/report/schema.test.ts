import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { FunctionResult, ScanResult } from '../../src/model/result.js';
import { render } from '../../src/report/index.js';
import { emptyResult, sampleResult } from './sample-result.js';

const SCHEMA_PATH = new URL('../../schema/scan-result.schema.json', import.meta.url);
const schemaJson: unknown = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

if (!isObject(schemaJson)) {
  throw new Error('schema is not a JSON object');
}
const schema: JsonObject = schemaJson;

// strict mode: an unknown keyword or a misspelt one fails compilation instead of being ignored.
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

function errorsOf(data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

/** The rendered JSON, parsed back: what a consumer of `--format json` validates. */
function asConsumerSees(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('schema/scan-result.schema.json', () => {
  it('has the published id and dialect', () => {
    expect(schema['$id']).toBe('https://lambda-migrate.dev/schema/scan-result-1.json');
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('accepts the sample result as rendered by --format json, and an empty scan', () => {
    expect(errorsOf(JSON.parse(render(sampleResult, 'json')))).toEqual([]);
    expect(errorsOf(asConsumerSees(emptyResult))).toEqual([]);
  });

  it('rejects a result without schemaVersion', () => {
    const withoutVersion: Partial<ScanResult> = { ...sampleResult };
    delete withoutVersion.schemaVersion;
    expect(errorsOf(asConsumerSees(withoutVersion))).toEqual([" must have required property 'schemaVersion'"]);
  });

  it('rejects an unknown severity', () => {
    const [first, ...rest] = sampleResult.functions;
    if (first === undefined) {
      throw new Error('sample has no functions');
    }
    const badFindings = first.findings.map((finding, index) => (index === 0 ? { ...finding, severity: 'fatal' } : finding));
    const bad = { ...sampleResult, functions: [{ ...first, findings: badFindings }, ...rest] };
    expect(errorsOf(asConsumerSees(bad))).toEqual(['/functions/0/findings/0/severity must be equal to one of the allowed values']);
  });

  it('rejects a missing core field deep down and a wrong nullable type', () => {
    const [first, ...rest] = sampleResult.functions;
    if (first === undefined) {
      throw new Error('sample has no functions');
    }
    const unranked: Partial<FunctionResult> = { ...first };
    delete unranked.rank;
    const bad = {
      ...sampleResult,
      functions: [unranked, { ...rest[0], memoryMB: '512' }, ...rest.slice(1)],
    };
    expect(errorsOf(asConsumerSees(bad))).toEqual(["/functions/0 must have required property 'rank'", '/functions/1/memoryMB must be integer,null']);
  });

  it('lets later versions extend the core: unknown properties are allowed', () => {
    const [first, ...rest] = sampleResult.functions;
    const extended = { ...sampleResult, merged: true, functions: [{ ...first, owner: 'team-a' }, ...rest] };
    expect(errorsOf(asConsumerSees(extended))).toEqual([]);
  });

  it('declares exactly the fields the sample uses, no more and no fewer', () => {
    // Extension is allowed, so a misspelt property in the schema would never fail validation; compare names instead.
    const defs = isObject(schema['$defs']) ? schema['$defs'] : {};
    const seen = new Map<JsonObject, Set<string>>();
    const undeclared: string[] = [];

    const resolve = (node: JsonObject, value: unknown): JsonObject | null => {
      const ref = node['$ref'];
      if (typeof ref === 'string') {
        const target = defs[ref.replace('#/$defs/', '')];
        return isObject(target) ? resolve(target, value) : null;
      }
      const anyOf = node['anyOf'];
      if (Array.isArray(anyOf)) {
        const branch = anyOf.filter(isObject).find((candidate) => (value === null) === (candidate['type'] === 'null'));
        return branch === undefined ? null : resolve(branch, value);
      }
      return node;
    };

    const walk = (node: JsonObject, value: unknown, path: string): void => {
      const resolved = resolve(node, value);
      if (resolved === null) {
        return;
      }
      if (Array.isArray(value)) {
        const items = resolved['items'];
        value.forEach((item, index) => isObject(items) && walk(items, item, `${path}/${index}`));
        return;
      }
      if (!isObject(value)) {
        return;
      }
      const properties = isObject(resolved['properties']) ? resolved['properties'] : {};
      const keys = seen.get(resolved) ?? new Set<string>();
      seen.set(resolved, keys);
      for (const [key, child] of Object.entries(value)) {
        keys.add(key);
        const childSchema = properties[key];
        if (isObject(childSchema)) {
          walk(childSchema, child, `${path}/${key}`);
        } else {
          undeclared.push(`${path}/${key}`);
        }
      }
    };

    walk(schema, asConsumerSees(sampleResult), '');
    expect(undeclared).toEqual([]);
    const unused = [...seen.entries()].flatMap(([node, keys]) =>
      Object.keys(isObject(node['properties']) ? node['properties'] : {}).filter((key) => !keys.has(key)),
    );
    expect(unused).toEqual([]);
    const objectDefs = Object.entries(defs).filter(([, def]) => isObject(def) && def['type'] === 'object');
    expect(objectDefs.filter(([, def]) => isObject(def) && !seen.has(def)).map(([name]) => name)).toEqual([]);
  });

  it('gives every property a description', () => {
    const missing: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (Array.isArray(node)) {
        node.forEach((child, index) => visit(child, `${path}/${index}`));
        return;
      }
      if (!isObject(node)) {
        return;
      }
      if (isObject(node['properties'])) {
        for (const [key, child] of Object.entries(node['properties'])) {
          if (!isObject(child) || typeof child['description'] !== 'string') {
            missing.push(`${path}/properties/${key}`);
          }
        }
      }
      for (const [key, child] of Object.entries(node)) {
        visit(child, `${path}/${key}`);
      }
    };
    visit(schema, '#');
    expect(missing).toEqual([]);
  });
});
