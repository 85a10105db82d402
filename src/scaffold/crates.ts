import type { PackageEquivalent } from '../model/result.js';
import { readAsset } from '../assets.js';
import { compareStrings } from '../util/compare.js';
import { commentText } from './sanitize.js';

/** One entry of rules/catalog/rust-crate-versions.json. */
export interface CrateVersion {
  crate: string;
  version: string;
  features: string[];
  source: string;
  date: string;
}

export type CrateVersions = ReadonlyMap<string, CrateVersion>;

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? Reflect.get(obj, key) : undefined;
}

function str(obj: unknown, key: string): string {
  const v = field(obj, key);
  if (typeof v !== 'string') throw new Error(`rules/catalog/rust-crate-versions.json: '${key}' must be a string`);
  return v;
}

/** Parses the catalog's JSON text; a malformed entry is an error in the shipped package. */
export function parseCrateVersions(json: string): CrateVersions {
  const raw: unknown = JSON.parse(json);
  const list = field(raw, 'crates');
  if (!Array.isArray(list)) throw new Error("rules/catalog/rust-crate-versions.json: 'crates' must be an array");
  const out = new Map<string, CrateVersion>();
  for (const entry of list) {
    const features = field(entry, 'features');
    out.set(str(entry, 'crate'), {
      crate: str(entry, 'crate'),
      version: str(entry, 'version'),
      features: Array.isArray(features) ? features.filter((f): f is string => typeof f === 'string') : [],
      source: str(entry, 'source'),
      date: str(entry, 'date'),
    });
  }
  return out;
}

let cached: CrateVersions | undefined;

export function loadCrateVersions(): CrateVersions {
  cached ??= parseCrateVersions(readAsset('rules/catalog/rust-crate-versions.json'));
  return cached;
}

/** A `[dependencies]` line: a crate with its version and features, or a commented line for the user to fill in. */
export interface DependencyLine {
  crate: string;
  /** The TOML line (`axum = "0.8.9"`), or `# name = ...` when no version is known. */
  toml: string;
  /** Why it is there, for the comment above it (already sanitised). */
  why: string;
}

const CRATE_NAME = /^[a-zA-Z0-9_-]+$/;

function versionOf(versions: CrateVersions, crate: string): CrateVersion | undefined {
  return versions.get(crate) ?? (crate.startsWith('aws-sdk-') ? versions.get('aws-sdk-*') : undefined);
}

/** `name = "1"` or `name = { version = "1", features = ["a"] }`; the crate name is checked, never escaped. */
export function dependencyToml(crate: string, version: CrateVersion, extra: { defaultFeatures?: false; features?: readonly string[] } = {}): string {
  const features = extra.features ?? version.features;
  const parts = [`version = "${version.version}"`];
  if (extra.defaultFeatures === false) parts.push('default-features = false');
  if (features.length > 0) parts.push(`features = [${features.map((f) => `"${f}"`).join(', ')}]`);
  return parts.length === 1 ? `${crate} = "${version.version}"` : `${crate} = { ${parts.join(', ')} }`;
}

export interface CrateNeeds {
  /** Base crates of the shape, in order (`axum`, `tokio`, ...), with the reason shown beside each. */
  base: readonly { crate: string; why: string; defaultFeatures?: false; features?: readonly string[] }[];
  /** The function's packages and their crates (the portability mapping). */
  packages: readonly PackageEquivalent[];
  /** AWS SDK v2 services the function's code creates clients for (`DynamoDB`), for the `aws-sdk` v2 mapping. */
  sdkV2Services: readonly string[];
}

/** Crates already in the shell of every port, or replaced by it: a package mapped to them adds nothing. */
const SHELL_CRATES: ReadonlySet<string> = new Set([
  'lambda_http',
  'lambda_runtime',
  'axum',
  'tower-http',
  'tracing',
  'tracing-subscriber',
  'serde',
  'serde_json',
  'tokio',
]);

/** aws-sdk v2 class names whose crate is not the lower-cased name. */
const V2_SERVICE_CRATES: Readonly<Record<string, string>> = {
  StepFunctions: 'sfn',
  CloudWatchEvents: 'cloudwatchevents',
  CognitoIdentityServiceProvider: 'cognitoidentityprovider',
  IotData: 'iotdataplane',
  ApiGatewayManagementApi: 'apigatewaymanagement',
};

export function v2ServiceCrate(service: string): string {
  return `aws-sdk-${V2_SERVICE_CRATES[service] ?? service.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
}

export interface ResolvedCrates {
  dependencies: DependencyLine[];
  /** `aws-sdk-*` crates the port uses: one client each in AppState. */
  sdkClients: { crate: string; replaces: string }[];
  /** Packages with no crate (fit `none` or `unknown`), for the README and a Cargo.toml comment. */
  unmapped: { package: string; note: string }[];
}

/** The crates of one port: the shape's base crates, then each package's crates (sorted), each once. */
export function resolveCrates(needs: CrateNeeds, versions: CrateVersions): ResolvedCrates {
  const seen = new Set<string>();
  const dependencies: DependencyLine[] = [];
  const add = (crate: string, why: string, extra: { defaultFeatures?: false; features?: readonly string[] } = {}): void => {
    if (seen.has(crate) || !CRATE_NAME.test(crate)) return;
    seen.add(crate);
    const v = versionOf(versions, crate);
    dependencies.push({
      crate,
      toml:
        v === undefined
          ? `# ${crate} = "?"  # no version in rules/catalog/rust-crate-versions.json: cargo add ${crate}`
          : dependencyToml(crate, v, extra),
      why: commentText(why),
    });
  };
  for (const b of needs.base) {
    add(b.crate, b.why, {
      ...(b.defaultFeatures === false ? { defaultFeatures: false as const } : {}),
      ...(b.features !== undefined ? { features: b.features } : {}),
    });
  }

  const mapped = new Map<string, string[]>();
  const alternatives = new Map<string, { package: string; instead: string }>();
  const sdkClients = new Map<string, string>();
  const unmapped: { package: string; note: string }[] = [];
  const keep = (crate: string, pkg: string): void => {
    const list = mapped.get(crate) ?? [];
    list.push(pkg);
    mapped.set(crate, list);
  };
  for (const p of [...needs.packages].sort((a, b) => compareStrings(a.package, b.package))) {
    if (p.fit === 'none' || p.fit === 'unknown') {
      unmapped.push({ package: commentText(p.package), note: commentText(p.note) });
      continue;
    }
    // AWS SDK crates are all needed (one per service); of the others the catalog lists alternatives
    // (pg -> tokio-postgres, sqlx): the first is used, the rest are offered as commented lines.
    let chosen: string | null = null;
    for (const c of p.crates) {
      const crates = c === 'aws-sdk-*' ? needs.sdkV2Services.map(v2ServiceCrate) : [c];
      for (const crate of crates) {
        if (!CRATE_NAME.test(crate) || (SHELL_CRATES.has(crate) && needs.base.some((b) => b.crate === crate))) continue;
        if (crate.startsWith('aws-sdk-') || crate === 'aws-config') {
          if (crate !== 'aws-config') keep(crate, p.package);
          if (crate.startsWith('aws-sdk-') && !sdkClients.has(crate)) sdkClients.set(crate, p.package);
        } else if (chosen === null) {
          chosen = crate;
          keep(crate, p.package);
        } else if (!alternatives.has(crate)) {
          alternatives.set(crate, { package: p.package, instead: chosen });
        }
      }
    }
    if (p.crates.includes('aws-sdk-*') && needs.sdkV2Services.length === 0) {
      unmapped.push({
        package: commentText(p.package),
        note: 'no client construction found in the code: add one aws-sdk-<service> crate per service used',
      });
    }
  }
  if (sdkClients.size > 0) mapped.set('aws-config', []);
  for (const crate of [...mapped.keys()].sort(compareStrings)) {
    const from = [...new Set(mapped.get(crate) ?? [])];
    const why = crate === 'aws-config' ? 'region and credentials for the AWS SDK clients' : `replaces ${from.join(', ')}`;
    add(crate, why);
  }
  for (const [crate, alt] of [...alternatives].sort(([a], [b]) => compareStrings(a, b))) {
    if (seen.has(crate) || !CRATE_NAME.test(crate)) continue;
    const v = versionOf(versions, crate);
    dependencies.push({
      crate,
      toml: `# ${v === undefined ? `${crate} = "?"` : dependencyToml(crate, v)}`,
      why: commentText(`or, instead of ${alt.instead} for ${alt.package}:`),
    });
  }
  return {
    dependencies,
    sdkClients: [...sdkClients].sort(([a], [b]) => compareStrings(a, b)).map(([crate, replaces]) => ({ crate, replaces })),
    unmapped,
  };
}
