/**
 * SARIF 2.1.0 for GitHub code scanning, built as data. One rule per rule of the run, with its shipped doc as help;
 * one result per rule and source position: a finding in a shared module (lib/db.ts loading aws-sdk for five handlers)
 * is one alert that names the handlers it affects, not five alerts with one fingerprint on the same line.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Invocation, Log, Notification, ReportingDescriptor, Result, Run } from 'sarif';
import type { Finding, RuleSummary, ScanResult, Severity } from '../model/result.js';
import { readAsset, readAssetJson } from '../assets.js';
import { compareStrings } from '../util/compare.js';
import { sanitizeTerminalText } from './escape.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The key of this tool's line-independent fingerprint (Finding.fingerprint) in `partialFingerprints`. */
export const FINGERPRINT_KEY = 'lambdaMigrateFingerprint/v1';

/** Where the uris of results are rooted: the directory the tool ran in (a CI checkout's root). */
export const SRCROOT = '%SRCROOT%';

const LEVELS: Record<Severity, Result.level> = { error: 'error', warn: 'warning', info: 'note' };

const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const INFORMATION_URI = 'https://www.npmjs.com/package/lambda-migrate';

/** Where the rule docs are read on the web: the `main` branch of the package's `repository`, where they always exist. */
const DOCS_REF = 'main';

let cachedRepository: string | null | undefined;

/**
 * The package's repository as a browsable https URL (`repository` in package.json, string or `{ url }`), without the
 * `git+` prefix and `.git` suffix npm allows; null when the manifest names none.
 */
export function repositoryUrl(): string | null {
  if (cachedRepository !== undefined) return cachedRepository;
  let url: string | null = null;
  try {
    const pkg: unknown = readAssetJson('package.json');
    const repo = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'repository') : undefined;
    const raw = typeof repo === 'string' ? repo : typeof repo === 'object' && repo !== null ? Reflect.get(repo, 'url') : undefined;
    if (typeof raw === 'string') {
      const clean = raw
        .replace(/^git\+/, '')
        .replace(/\.git$/, '')
        .replace(/\/+$/, '');
      url = /^https:\/\/[^\s]+$/.test(clean) ? clean : null;
    }
  } catch {
    url = null;
  }
  cachedRepository = url;
  return url;
}

/** The web page of a rule's doc in the repository (rules/<id>.md on the docs branch), or null without a repository. */
export function ruleDocUrl(id: string): string | null {
  const repo = repositoryUrl();
  return repo === null ? null : `${repo}/blob/${DOCS_REF}/rules/${encodeURIComponent(id)}.md`;
}

const docCache = new Map<string, string | null>();

/**
 * The doc shipped with the rule (rules/<id>.md in this package), or null for a rule this version does not ship (a
 * result saved by another version). The id comes from a result file, so only kebab-case ids are looked up.
 */
function ruleDoc(id: string): string | null {
  const cached = docCache.get(id);
  if (cached !== undefined) return cached;
  let doc: string | null = null;
  if (RULE_ID.test(id)) {
    try {
      doc = readAsset(`rules/${id}.md`);
    } catch {
      doc = null;
    }
  }
  docCache.set(id, doc);
  return doc;
}

/** The first paragraph of the doc's "Why" section, on one line. */
function whyParagraph(doc: string): string | null {
  const match = /^## Why\s*\n+([\s\S]*?)(?:\n\s*\n|$)/m.exec(doc);
  const paragraph = match?.[1]?.replace(/\s*\n\s*/g, ' ').trim();
  return paragraph === undefined || paragraph === '' ? null : paragraph;
}

/** `aws-sdk-v2-whole` -> `AwsSdkV2Whole`: SARIF's `name` is an identifier-like label. */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function descriptor(rule: RuleSummary): ReportingDescriptor {
  const id = sanitizeTerminalText(rule.id);
  const description = sanitizeTerminalText(rule.description);
  const doc = ruleDoc(rule.id);
  const help = doc ?? `${description}\n`;
  return {
    id,
    name: ruleName(id),
    shortDescription: { text: description },
    fullDescription: { text: (doc === null ? null : whyParagraph(doc)) ?? description },
    help: { text: help, markdown: help },
    // Only for a rule whose doc this package ships: the same file is in the repository.
    ...(doc === null || ruleDocUrl(rule.id) === null ? {} : { helpUri: ruleDocUrl(rule.id) ?? '' }),
    defaultConfiguration: { level: LEVELS[rule.severity] },
    properties: { tags: ['lambda-migrate', sanitizeTerminalText(rule.category)] },
  };
}

/** A relative root is the path from where the tool ran; an absolute one cannot be, so uris stay root-relative. */
function isAbsoluteRoot(root: string): boolean {
  return path.posix.isAbsolute(root) || path.win32.isAbsolute(root);
}

/**
 * Where `%SRCROOT%` is and how the scanned root sits under it. Code scanning resolves a result's uri against the
 * repository's root, so the uris start at the git root when one is found above the scanned root (a `.git` directory,
 * or the `.git` file of a worktree or submodule), read from the file system, never by running git.
 */
export interface SarifBase {
  /** Posix path from `%SRCROOT%` to the scanned root; '' when they are the same directory. */
  prefix: string;
  /** The absolute `%SRCROOT%` to name in originalUriBaseIds; null when the result only has a relative root. */
  srcroot: string | null;
  /** Whether `%SRCROOT%` is a git repository's root (else the scanned root or the directory the scan ran in). */
  gitRoot: boolean;
}

export interface SarifOptions {
  /** Where a relative `root` is resolved from: the directory the scan ran in (the CLI's cwd). */
  cwd?: string;
  /**
   * Finds the git repository a directory is in (the library's `findGitRoot`), so paths are relative to the repository
   * root; the caller brings it because a reporter reads no files. Without it, paths are relative to the scanned root.
   */
  gitRootOf?: (dir: string) => string | null;
}

const toPosix = (p: string): string => p.replace(/\\/g, '/');

export function sarifBase(root: string, options: SarifOptions = {}): SarifBase {
  const absolute = isAbsoluteRoot(root);
  const scanned = absolute ? root : options.cwd === undefined ? null : path.resolve(options.cwd, root);
  const git = scanned !== null && options.gitRootOf !== undefined ? options.gitRootOf(scanned) : null;
  if (git !== null && scanned !== null) {
    const prefix = toPosix(path.relative(git, scanned));
    return { prefix: prefix === '.' ? '' : prefix, srcroot: absolute ? git : null, gitRoot: true };
  }
  if (absolute) return { prefix: '', srcroot: root, gitRoot: false };
  // Relative and no repository found: the path from where the scan ran, which is a CI checkout's root.
  const prefix = path.posix.normalize(toPosix(root));
  return { prefix: prefix === '.' ? '' : prefix.replace(/\/+$/, ''), srcroot: null, gitRoot: false };
}

/** Percent-encoded per segment: a file name with a space, `#` or `%` is still one valid relative URI. */
function artifactUri(base: SarifBase, file: string): string {
  const rel = base.prefix === '' ? file : path.posix.normalize(`${base.prefix}/${file}`);
  return rel
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/**
 * `automationDetails.id`: `lambda-migrate/<scanned root under the repository>/`. Code scanning keeps one set of alerts
 * per category (the id up to its last `/`), so two services of one repository, scanned and uploaded separately, no
 * longer replace each other's alerts.
 */
export function automationId(base: SarifBase): string {
  // A category is an id, not text: anything but path-ish characters (from a hostile directory name) becomes '-'.
  const service = base.prefix === '' ? 'root' : base.prefix.replace(/^(?:\.\.\/)+/, '').replace(/[^A-Za-z0-9._@/-]+/g, '-');
  return `lambda-migrate/${service}/`;
}

interface Grouped {
  /** The finding of the first function in rank order: its message is the one shown. */
  finding: Finding;
  functions: Set<string>;
  estInitMs: number | null;
}

function groupFindings(result: ScanResult): Grouped[] {
  const groups = new Map<string, Grouped>();
  for (const fn of [...result.functions].sort((a, b) => a.rank - b.rank)) {
    for (const finding of fn.findings) {
      const key = [finding.ruleId, finding.file, finding.line, finding.column].join('\0');
      let group = groups.get(key);
      if (group === undefined) {
        group = { finding, functions: new Set(), estInitMs: null };
        groups.set(key, group);
      }
      group.functions.add(sanitizeTerminalText(fn.name));
      // Per handler the same import can be estimated differently; the alert keeps the largest.
      if (finding.estInitMs !== null) group.estInitMs = Math.max(group.estInitMs ?? 0, finding.estInitMs);
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      compareStrings(a.finding.file, b.finding.file) ||
      a.finding.line - b.finding.line ||
      a.finding.column - b.finding.column ||
      compareStrings(a.finding.ruleId, b.finding.ruleId),
  );
}

function rulesOf(result: ScanResult): RuleSummary[] {
  const rules = new Map(result.rules.map((rule) => [rule.id, rule]));
  // A finding of a rule the run does not list (a hand-edited or merged result) still needs a descriptor.
  for (const fn of result.functions) {
    for (const f of fn.findings) {
      if (!rules.has(f.ruleId)) rules.set(f.ruleId, { id: f.ruleId, description: f.ruleId, severity: f.severity, category: 'unknown', docs: '' });
    }
  }
  return [...rules.values()].sort((a, b) => compareStrings(a.id, b.id));
}

function toResult(group: Grouped, ruleIndex: number, base: SarifBase): Result {
  const f = group.finding;
  const functions = [...group.functions].sort(compareStrings);
  const affects = functions.length > 1 ? ` (handlers: ${functions.join(', ')})` : '';
  return {
    ruleId: sanitizeTerminalText(f.ruleId),
    ruleIndex,
    level: LEVELS[f.severity],
    message: { text: sanitizeTerminalText(f.message) + affects },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(base, f.file), uriBaseId: SRCROOT },
          region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) },
        },
      },
    ],
    ...(f.fingerprint === undefined ? {} : { partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint } }),
    properties: { estInitMs: group.estInitMs, functions },
  };
}

function invocation(result: ScanResult, base: SarifBase): Invocation {
  const skipped = result.skipped.map((s): Notification => ({
    level: 'warning',
    message: { text: sanitizeTerminalText(`skipped ${s.file}: ${s.reason}: ${s.detail}`) },
    locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(base, s.file), uriBaseId: SRCROOT } } }],
  }));
  const warnings = result.warnings.map((w): Notification => ({ level: 'note', message: { text: sanitizeTerminalText(w) } }));
  return { executionSuccessful: true, toolExecutionNotifications: [...skipped, ...warnings] };
}

export function buildSarif(result: ScanResult, options: SarifOptions = {}): Log {
  const base = sarifBase(result.root, options);
  const rules = rulesOf(result);
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const version = sanitizeTerminalText(result.tool.version);
  const run: Run = {
    tool: {
      driver: {
        name: 'lambda-migrate',
        version,
        ...(/^\d+\.\d+\.\d+/.test(version) ? { semanticVersion: version } : {}),
        informationUri: INFORMATION_URI,
        rules: rules.map((rule) => descriptor(rule)),
      },
    },
    automationDetails: { id: automationId(base) },
    originalUriBaseIds: {
      [SRCROOT]: {
        ...(base.srcroot === null ? {} : { uri: pathToFileURL(`${base.srcroot.replace(/[\\/]+$/, '')}/`).href }),
        description: {
          text: base.gitRoot
            ? 'The root of the git repository the scanned service is in.'
            : base.srcroot !== null
              ? 'The scanned root (no git repository was found above it).'
              : 'The directory the scan ran in: the root of the checkout in CI.',
        },
      },
    },
    invocations: [invocation(result, base)],
    columnKind: 'utf16CodeUnits',
    results: groupFindings(result).map((group) => toResult(group, index.get(group.finding.ruleId) ?? 0, base)),
    properties: {
      root: sanitizeTerminalText(result.root),
      complete: result.complete,
      estInitMs: result.summary.estInitMs,
      functions: [...result.functions]
        .sort((a, b) => a.rank - b.rank)
        .map((fn) => ({
          id: sanitizeTerminalText(fn.id),
          name: sanitizeTerminalText(fn.name),
          rank: fn.rank,
          estInitMs: fn.init?.estInitMs ?? null,
        })),
    },
  };
  return { version: '2.1.0', $schema: SARIF_SCHEMA, runs: [run] };
}

export function renderSarif(result: ScanResult, options: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarif(result, options), null, 2)}\n`;
}
