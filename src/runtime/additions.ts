import type { RelPath, RuntimeAddition, RuntimeAdditions, RuntimeSettings } from '../model/result.js';
import { catalogJson } from '../assets.js';

/** How a catalog figure was obtained (rules/catalog/runtime-additions.json `established`). */
export type Established = 'measured' | 'published' | 'reported' | 'estimate';

export interface LayerEntry {
  id: string;
  label: string;
  /** AWS accounts that publish the layer (the 5th field of the ARN). */
  accounts: string[];
  namePattern: RegExp;
  kind: string;
  initMs: number | null;
  established: Established;
  source: string;
  date: string;
  note?: string;
}

export interface FlagEntry {
  flag: string;
  label: string;
  initMs: number | null;
  established: Established;
  source: string;
  date: string;
  note?: string;
}

export interface WrapperEntry {
  pattern: RegExp;
  label: string;
  /** Layer ids whose figure already covers what this wrapper preloads. */
  includedIn: string[];
  initMs: number | null;
  established: Established;
  source: string;
  date: string;
}

export interface RuntimeCatalog {
  date: string;
  layers: LayerEntry[];
  nodeOptions: FlagEntry[];
  execWrappers: WrapperEntry[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(o: Record<string, unknown>, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw new Error(`runtime-additions catalog: ${where}: '${key}' must be a non-empty string`);
  return v;
}

function msField(o: Record<string, unknown>, where: string): number | null {
  const v = o['initMs'];
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new Error(`runtime-additions catalog: ${where}: 'initMs' must be a number >= 0 or null`);
  return v;
}

const ESTABLISHED: readonly Established[] = ['measured', 'published', 'reported', 'estimate'];

function establishedField(o: Record<string, unknown>, where: string): Established {
  const v = o['established'];
  const hit = ESTABLISHED.find((e) => e === v);
  if (hit === undefined) throw new Error(`runtime-additions catalog: ${where}: 'established' must be one of ${ESTABLISHED.join(', ')}`);
  return hit;
}

function list(raw: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const v = raw[key];
  if (!Array.isArray(v)) throw new Error(`runtime-additions catalog: '${key}' must be an array`);
  return v.filter(isRecord);
}

function note(o: Record<string, unknown>): { note?: string } {
  return typeof o['note'] === 'string' ? { note: o['note'] } : {};
}

/** What every entry kind carries: its label and figure, how the figure was established, where from and when. */
function sourced(o: Record<string, unknown>, where: string): Pick<FlagEntry, 'label' | 'initMs' | 'established' | 'source' | 'date'> {
  return {
    label: field(o, 'label', where),
    initMs: msField(o, where),
    established: establishedField(o, where),
    source: field(o, 'source', where),
    date: field(o, 'date', where),
  };
}

/** Validates the catalog at the boundary: every entry must say how its figure was established, where from and when. */
export function parseRuntimeCatalog(raw: unknown): RuntimeCatalog {
  if (!isRecord(raw)) throw new Error('runtime-additions catalog: expected an object');
  const layers = list(raw, 'layers').map((o, i): LayerEntry => {
    const where = `layers[${i}]`;
    const accounts = Array.isArray(o['accounts']) ? o['accounts'].filter((a): a is string => typeof a === 'string' && /^\d{12}$/.test(a)) : [];
    if (accounts.length === 0) throw new Error(`runtime-additions catalog: ${where}: 'accounts' must list 12-digit AWS accounts`);
    return {
      id: field(o, 'id', where),
      accounts,
      namePattern: new RegExp(field(o, 'namePattern', where)),
      kind: field(o, 'kind', where),
      ...sourced(o, where),
      ...note(o),
    };
  });
  const nodeOptions = list(raw, 'nodeOptions').map((o, i): FlagEntry => {
    const where = `nodeOptions[${i}]`;
    return {
      flag: field(o, 'flag', where),
      ...sourced(o, where),
      ...note(o),
    };
  });
  const execWrappers = list(raw, 'execWrappers').map((o, i): WrapperEntry => {
    const where = `execWrappers[${i}]`;
    const included = Array.isArray(o['includedIn']) ? o['includedIn'].filter((x): x is string => typeof x === 'string') : [];
    return {
      pattern: new RegExp(field(o, 'pattern', where)),
      includedIn: included,
      ...sourced(o, where),
    };
  });
  return { date: field(raw, 'date', 'root'), layers, nodeOptions, execWrappers };
}

let defaultCatalog: RuntimeCatalog | undefined;

export function loadRuntimeCatalog(): RuntimeCatalog {
  defaultCatalog ??= parseRuntimeCatalog(catalogJson('runtime-additions.json'));
  return defaultCatalog;
}

/**
 * `arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:65` -> account and name. The region may be an IaC
 * variable (`${AWS::Region}`, `${aws:region}`, colons included), so it is not checked; the version may be absent or a variable.
 */
export function parseLayerArn(ref: string): { account: string; name: string } | null {
  const m = /^arn:aws[a-z-]*:lambda:.*?:(\d{12}):layer:([A-Za-z0-9_-]+)(?::.+)?$/.exec(ref.trim());
  return m ? { account: m[1] ?? '', name: m[2] ?? '' } : null;
}

function basisOf(e: { established: Established; source: string; date: string; note?: string }, id: string): string {
  return `runtime-additions ${id} (${e.established}, ${e.date}): ${e.source}${e.note ? `. ${e.note}` : ''}`;
}

function priceLayer(ref: string, localDir: RelPath | undefined, catalog: RuntimeCatalog): Omit<RuntimeAddition, 'file' | 'line' | 'kind' | 'ref'> {
  if (localDir !== undefined) {
    return {
      what: `layer built from ${localDir}`,
      estInitMs: null,
      basis: `this repository's own layer: its modules are priced where the handler imports them (/opt/nodejs), not here`,
    };
  }
  const arn = parseLayerArn(ref);
  if (!arn) return { what: ref, estInitMs: null, basis: 'not priced: not a layer ARN the catalog can match (an IaC reference or a variable)' };
  const entry = catalog.layers.find((l) => l.accounts.includes(arn.account) && l.namePattern.test(arn.name));
  if (!entry)
    return {
      what: `layer ${arn.name}`,
      estInitMs: null,
      basis: `not priced: layer ${arn.name} of account ${arn.account} is not in rules/catalog/runtime-additions.json`,
    };
  return { what: entry.label, estInitMs: entry.initMs, basis: basisOf(entry, entry.id), catalogId: entry.id };
}

/**
 * Prices what the runtime adds for one function: each layer, each NODE_OPTIONS flag the catalog knows (unknown flags
 * are left out: most cost nothing at init), and the exec wrapper. A wrapper that only preloads what a recognised layer
 * already loads is listed at 0 ms, so the same work is not counted twice.
 */
export function priceRuntimeAdditions(settings: RuntimeSettings, file: RelPath, catalog: RuntimeCatalog): RuntimeAdditions {
  const items: RuntimeAddition[] = [];
  for (const layer of settings.layers) {
    items.push({ kind: 'layer', ref: layer.ref, file, line: layer.line, ...priceLayer(layer.ref, layer.localDir, catalog) });
  }
  if (settings.nodeOptions) {
    const seen = new Set<string>();
    for (const flag of settings.nodeOptions.flags) {
      const name = flag.split('=')[0] ?? flag;
      const entry = catalog.nodeOptions.find((e) => e.flag === name);
      if (!entry || seen.has(name)) continue;
      seen.add(name);
      items.push({
        kind: 'node-option',
        ref: name,
        file,
        line: settings.nodeOptions.line,
        what: entry.label,
        estInitMs: entry.initMs,
        basis: entry.initMs === null ? `not priced: ${entry.note ?? entry.source}` : basisOf(entry, name),
      });
    }
  }
  if (settings.execWrapper) {
    const { value, line } = settings.execWrapper;
    const entry = catalog.execWrappers.find((w) => w.pattern.test(value));
    if (entry) {
      const covering = items.find((i) => i.catalogId !== undefined && entry.includedIn.includes(i.catalogId));
      items.push({
        kind: 'exec-wrapper',
        ref: value,
        file,
        line,
        what: entry.label,
        estInitMs: covering ? 0 : entry.initMs,
        basis: covering ? `included in ${covering.what} (line ${covering.line}): the wrapper preloads what that layer ships` : basisOf(entry, value),
      });
    }
  }
  const estInitMs = Math.round(items.reduce((s, i) => s + (i.estInitMs ?? 0), 0) * 10) / 10;
  return { estInitMs, items };
}
