import { isBuiltin } from 'node:module';
import type { HandlerGraph } from '../graph/closure.js';
import type { FactSource, FileFacts } from '../graph/facts.js';
import type { FnKey } from '../graph/reachability.js';
import type { Effort, IoTangle, PackageEquivalent, Portability, PortabilityIssue, PortabilityTarget } from '../model/result.js';
import { compareStrings } from '../util/compare.js';
import type { PortabilityCatalogs } from './catalogs.js';

/**
 * What stands between one handler and a port to Rust (provided.al2023) or to LLRT, and how much work
 * the port is. Reads the handler's init graph and lazy edges, the facts of the files it loads and of
 * the files its per-request code lives in; never the packages' own code, except for the optional
 * `isNativeInstalled` probe (a binding.gyp or .node file in an installed package).
 */

export interface PortabilityInputs {
  graph: HandlerGraph;
  facts: FactSource;
  reachable: ReadonlySet<FnKey>;
  catalogs: PortabilityCatalogs;
  /** Whether the installed package (if any) ships a native addon; null when not installed. */
  isNativeInstalled?: (pkg: string) => boolean | null;
}

/** Builtins a Rust port has no counterpart for, or must redesign. */
const RUST_BUILTIN_NOTES: Readonly<Record<string, { blocker: boolean; note: string }>> = {
  vm: { blocker: true, note: 'runs JavaScript built at run time: a Rust port needs an embedded JS engine or a redesign' },
  worker_threads: { blocker: false, note: 'threads: std::thread, rayon or tokio::task::spawn_blocking (Lambda gives one vCPU below 1,769 MB)' },
  cluster: { blocker: false, note: 'process clustering is meaningless in Lambda (one request per environment): drop it' },
  child_process: { blocker: false, note: 'spawns a binary: std::process::Command works, but the binary must be shipped (layer) for provided.al2023' },
  inspector: { blocker: false, note: 'the V8 inspector has no Rust counterpart: drop it' },
  v8: { blocker: true, note: 'V8 internals (heap snapshots, serialize) have no Rust counterpart' },
  repl: { blocker: true, note: 'a JavaScript REPL has no Rust counterpart' },
};

export function portability(inputs: PortabilityInputs): Portability {
  const { graph, facts, catalogs } = inputs;
  const rust = newTarget();
  const llrt = newTarget();
  const packages = new Map<string, PackageEquivalent>();

  const sites = new Map<string, { file: string; line: number; column: number }>();
  // The closure lists each package once; its first import site is the one the chain explains.
  const wanted = new Set(graph.closure.packages.map((p) => p.name));
  for (const s of graph.packageSites) {
    if (!wanted.has(s.name)) continue;
    wanted.delete(s.name);
    sites.set(s.name, { file: s.file, line: s.line, column: s.column });
    if (wanted.size === 0) break;
  }
  for (const l of graph.closure.lazy) {
    if (isRelative(l.specifier) || isBuiltin(l.specifier)) continue;
    const name = packageName(l.specifier);
    if (!sites.has(name)) sites.set(name, { file: l.file, line: l.line, column: 1 });
  }

  for (const [name, at] of [...sites].sort(([a], [b]) => compareStrings(a, b))) {
    const eq = catalogs.equivalentOf(name);
    packages.set(name, eq);
    if (eq.fit === 'none') {
      rust.blockers.push({ kind: 'no-equivalent', name, ...at, note: `no Rust equivalent: ${eq.note}` });
    } else if (eq.fit === 'unknown') {
      rust.risks.push({ kind: 'unknown-package', name, ...at, note: eq.note });
    } else if (eq.fit === 'partial') {
      rust.risks.push({ kind: 'no-equivalent', name, ...at, note: `partial equivalent (${eq.crates.join(', ') || 'std'}): ${eq.note}` });
    }
    const addon =
      catalogs.nativeAddon(name) ?? (inputs.isNativeInstalled?.(name) ? 'installed package ships a native addon (binding.gyp or .node file)' : null);
    if (addon !== null) {
      llrt.blockers.push({ kind: 'native-addon', name, ...at, note: `native addon (${addon}): LLRT has no N-API` });
      rust.risks.push({ kind: 'native-addon', name, ...at, note: `native addon (${addon}): use the underlying library's crate or a pure-Rust one` });
    }
    const onLlrt = catalogs.llrtPackage(name);
    if (onLlrt?.support === 'none') llrt.blockers.push({ kind: 'llrt-unsupported', name, ...at, note: `does not run on LLRT: ${onLlrt.why}` });
    else if (onLlrt?.support === 'partial') llrt.risks.push({ kind: 'llrt-unsupported', name, ...at, note: `verify on LLRT: ${onLlrt.why}` });
  }

  // Builtins and dynamic features in the files the handler loads or runs (finish() sorts the issues).
  // A builtin imported by many files is one obstacle: its first site in file order, and a count.
  const builtins = new Map<string, { list: PortabilityIssue[]; first: PortabilityIssue; more: number }>();
  const take = (list: PortabilityIssue[], from: readonly PortabilityIssue[], tag: string): void => {
    for (const i of from) {
      if (i.kind !== 'builtin') {
        list.push(i);
        continue;
      }
      const key = `${tag}\0${i.name}`;
      const b = builtins.get(key);
      if (!b) builtins.set(key, { list, first: i, more: 0 });
      else {
        b.more++;
        if (order(i, b.first) < 0) b.first = i;
      }
    }
  };
  for (const file of ownFiles(graph, inputs.reachable)) {
    const f = facts.get(file);
    if (!f) continue;
    const issues = fileIssues(file, f, catalogs);
    take(rust.blockers, issues.rust.blockers, 'rb');
    take(rust.risks, issues.rust.risks, 'rr');
    take(llrt.blockers, issues.llrt.blockers, 'lb');
    take(llrt.risks, issues.llrt.risks, 'lr');
  }
  for (const { list, first, more } of builtins.values()) {
    list.push(more > 0 ? { ...first, note: `${first.note} (imported by ${more} more file${more === 1 ? '' : 's'})` } : first);
  }

  finish(rust);
  finish(llrt);
  return { rust, llrt, packages: [...packages.values()] };
}

/** Builtins and dynamic features of one file: the same for every handler that loads it, so cached. */
const fileIssueCache = new WeakMap<FileFacts, { rust: PortabilityTarget; llrt: PortabilityTarget }>();

function fileIssues(file: string, f: FileFacts, catalogs: PortabilityCatalogs): { rust: PortabilityTarget; llrt: PortabilityTarget } {
  const hit = fileIssueCache.get(f);
  if (hit) return hit;
  const rust = newTarget();
  const llrt = newTarget();
  const seenBuiltin = new Set<string>();
  {
    for (const imp of f.imports) {
      const spec = imp.specifier.startsWith('node:') ? imp.specifier.slice(5) : imp.specifier;
      if (imp.specifier.endsWith('.node')) {
        const issue = {
          kind: 'native-addon' as const,
          name: imp.specifier,
          file,
          line: imp.line,
          column: imp.column,
          note: 'loads a compiled .node addon',
        };
        llrt.blockers.push({ ...issue, note: `${issue.note}: LLRT has no N-API` });
        rust.risks.push({ ...issue, note: `${issue.note}: port the native library's functionality with a crate` });
        continue;
      }
      if (!isBuiltin(spec) || isRelative(spec)) continue;
      const key = spec;
      if (seenBuiltin.has(key)) continue;
      seenBuiltin.add(key);
      const at = { file, line: imp.line, column: imp.column };
      const support = catalogs.llrtBuiltin(spec);
      if (support === 'none') llrt.blockers.push({ kind: 'builtin', name: `node:${spec}`, ...at, note: `node:${spec} is not available on LLRT` });
      else if (support === 'partial')
        llrt.risks.push({
          kind: 'builtin',
          name: `node:${spec}`,
          ...at,
          note: `node:${spec} is partly implemented on LLRT: check the functions used`,
        });
      const r = RUST_BUILTIN_NOTES[spec.split('/')[0] ?? spec];
      if (r) (r.blocker ? rust.blockers : rust.risks).push({ kind: 'builtin', name: `node:${spec}`, ...at, note: r.note });
    }
    for (const d of f.dynamicCode) {
      const issue: PortabilityIssue = {
        kind: 'dynamic-code',
        name: d.what,
        file,
        line: d.line,
        column: d.column,
        note: `${d.what} builds code at run time: no static port (Rust) and no bundling`,
      };
      rust.blockers.push(issue);
      llrt.risks.push({ ...issue, note: `${d.what} works on QuickJS, but the code it builds cannot be checked or bundled ahead of time` });
    }
    for (const d of f.dynamicRequires) {
      const issue: PortabilityIssue = {
        kind: 'dynamic-require',
        name: `require(${d.expression})`,
        file,
        line: d.line,
        column: d.column,
        note: 'module chosen at run time',
      };
      rust.risks.push({ ...issue, note: 'module chosen at run time: a Rust port needs the set of modules spelled out (an enum or a match)' });
      llrt.risks.push({ ...issue, note: 'module chosen at run time: LLRT needs a bundle, and a bundler cannot follow it' });
    }
  }
  const out = { rust, llrt };
  fileIssueCache.set(f, out);
  return out;
}

function newTarget(): PortabilityTarget {
  return { verdict: 'ready', blockers: [], risks: [] };
}

function finish(t: PortabilityTarget): void {
  t.blockers = dedupe(t.blockers).sort(order);
  t.risks = dedupe(t.risks).sort(order);
  t.verdict = t.blockers.length > 0 ? 'blocked' : t.risks.length > 0 ? 'risky' : 'ready';
}

function order(a: PortabilityIssue, b: PortabilityIssue): number {
  return compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column || compareStrings(a.name, b.name) || compareStrings(a.kind, b.kind);
}

function dedupe(list: PortabilityIssue[]): PortabilityIssue[] {
  const seen = new Set<string>();
  return list.filter((i) => {
    const k = `${i.kind}\0${i.name}\0${i.file}\0${i.line}\0${i.column}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Weights of the effort points; the formula is printed in `basis` so a reader can redo it. */
export const EFFORT_WEIGHTS = {
  perHundredLines: 1,
  perPackage: 0.25,
  perPackageWithoutEquivalent: 3,
  tangle: 6,
  perDynamicFeature: 2,
  perBlocker: 2,
} as const;

export interface EffortInputs {
  graph: HandlerGraph;
  facts: FactSource;
  reachable: ReadonlySet<FnKey>;
  portability: Portability;
  tangle: IoTangle | null;
}

/** A port-effort estimate for one handler, from its own code size, dependencies, tangle and blockers. */
export function effort(inputs: EffortInputs): Effort {
  const { graph, facts, portability: p } = inputs;
  const files = ownFiles(graph, inputs.reachable);
  let ownLines = 0;
  let dynamicFeatures = 0;
  for (const file of files) {
    const f = facts.get(file);
    if (!f) continue;
    ownLines += f.lines;
    dynamicFeatures += f.dynamicCode.length + f.dynamicRequires.length;
  }
  const without = p.packages.filter((e) => e.fit === 'none' || e.fit === 'unknown').map((e) => e.package);
  const blockers = p.rust.blockers.filter((b) => b.kind !== 'no-equivalent' && b.kind !== 'dynamic-code').length;
  const tangleScore = inputs.tangle?.score ?? 0;
  const w = EFFORT_WEIGHTS;
  const points =
    Math.round(
      ((ownLines / 100) * w.perHundredLines +
        p.packages.length * w.perPackage +
        without.length * w.perPackageWithoutEquivalent +
        tangleScore * w.tangle +
        dynamicFeatures * w.perDynamicFeature +
        blockers * w.perBlocker) *
        10,
    ) / 10;
  const size = points < 4 ? 'S' : points < 10 ? 'M' : points < 20 ? 'L' : 'XL';
  return {
    size,
    points,
    inputs: {
      ownLines,
      ownFiles: files.size,
      packages: p.packages.length,
      packagesWithoutEquivalent: without,
      tangleScore,
      dynamicFeatures,
      blockers,
    },
    basis:
      `lines/100 x ${w.perHundredLines} + packages x ${w.perPackage} + packages without a Rust equivalent x ${w.perPackageWithoutEquivalent} + ` +
      `tangle score x ${w.tangle} + dynamic features x ${w.perDynamicFeature} + other blockers x ${w.perBlocker}; S < 4 <= M < 10 <= L < 20 <= XL`,
  };
}

/** The service files a handler loads at init or runs per request; memoised for the pair of calls above. */
let lastOwnFiles: { graph: HandlerGraph; reachable: ReadonlySet<FnKey>; files: Set<string> } | null = null;

function ownFiles(graph: HandlerGraph, reachable: ReadonlySet<FnKey>): Set<string> {
  if (lastOwnFiles && lastOwnFiles.graph === graph && lastOwnFiles.reachable === reachable) return lastOwnFiles.files;
  const files = new Set(graph.closure.files);
  let prefix = '\0';
  for (const key of reachable) {
    // Keys of one file come in runs: skip the slice while the prefix matches.
    if (key.startsWith(prefix)) continue;
    const file = key.slice(0, key.lastIndexOf('#'));
    files.add(file);
    prefix = `${file}#`;
  }
  lastOwnFiles = { graph, reachable, files };
  return files;
}

function isRelative(s: string): boolean {
  return s.startsWith('.') || s.startsWith('/');
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}
