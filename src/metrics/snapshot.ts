/**
 * The metrics snapshot: `lambda-migrate metrics` writes what it measured (from logs or AWS) so a later
 * `scan --metrics FILE` reuses it without credentials. Versioned and described by schema/metrics-snapshot.schema.json.
 */
import { InputError } from '../errors.js';
import { packageVersion, readAssetJson } from '../assets.js';
import type { MeasuredEntry, MetricsSet } from './types.js';
import type { FunctionMetrics } from '../model/result.js';
import { readUntrustedJson } from '../util/untrusted-json.js';

export const SNAPSHOT_KIND = 'lambda-migrate/metrics-snapshot';
export const SNAPSHOT_VERSION = 1;

export interface MetricsSnapshot {
  kind: typeof SNAPSHOT_KIND;
  snapshotVersion: typeof SNAPSHOT_VERSION;
  tool: { name: 'lambda-migrate'; version: string };
  measuredBy: 'logs' | 'aws';
  query: { since: string | null; until: string | null; regions: string[]; logs: string[] };
  entries: { key: string; metrics: FunctionMetrics }[];
  warnings: string[];
}

export function toSnapshot(set: MetricsSet, query: MetricsSnapshot['query']): MetricsSnapshot {
  return {
    kind: SNAPSHOT_KIND,
    snapshotVersion: SNAPSHOT_VERSION,
    tool: { name: 'lambda-migrate', version: packageVersion() },
    measuredBy: set.measuredBy,
    query,
    entries: set.entries.map((e) => ({ key: e.key, metrics: { source: set.measuredBy, measuredBy: set.measuredBy, ...e.figures } })),
    warnings: set.warnings,
  };
}

export function renderSnapshot(snapshot: MetricsSnapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

function schemaOf(name: string): object {
  const parsed = readAssetJson(`schema/${name}`);
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`schema/${name} is not a JSON object`);
  return parsed;
}

/** Reads and validates a snapshot; a file that is not one is the user's error (exit 2), with the first problems named. */
export async function loadSnapshot(file: string, cwd: string, functionMap: Record<string, string> = {}): Promise<MetricsSet> {
  const hint = 'write one with: lambda-migrate metrics --logs DIR -o metrics.json';
  // A snapshot may come from elsewhere (an artifact): size, depth and hostile keys are refused before validation.
  const read = await readUntrustedJson(file, cwd, hint);
  if (!read.ok) throw new InputError(`--metrics: ${file} ${read.why === 'not-json' ? 'not JSON' : 'cannot be read'}`, hint);
  const data = read.value;
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajv.addSchema(schemaOf('scan-result.schema.json'));
  const validate = ajv.compile(schemaOf('metrics-snapshot.schema.json'));
  if (!isSnapshot(data, validate)) {
    const problems = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    throw new InputError(
      `--metrics: ${file} is not a lambda-migrate metrics snapshot (${problems.join('; ')})`,
      'write one with: lambda-migrate metrics',
    );
  }
  const entries: MeasuredEntry[] = data.entries.map((e) => {
    const { source: _source, measuredBy: _measuredBy, ...figures } = e.metrics;
    return { key: e.key, figures };
  });
  return { source: 'snapshot', measuredBy: data.measuredBy, entries, warnings: [...data.warnings], functionMap };
}

function isSnapshot(data: unknown, validate: (d: unknown) => boolean): data is MetricsSnapshot {
  return validate(data);
}
