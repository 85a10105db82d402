import { closureFacts, defineRule, perFile, siteAt, type RuleContext } from '../src/engine/rule.js';
import type { CallFact, FileFacts, FunctionFact, ImportFact, Pos } from '../src/graph/facts.js';
import { fnKey, type FnKey } from '../src/graph/reachability.js';

/**
 * A package imported at init whose every use in the importing file is on a rarely taken path:
 * - inside a `catch` block (the error path), directly or in a callback written there;
 * - inside the handler of an administrative route (its path matches `rareRoutes`: /admin, /internal, /reports, ...)
 *   of an app that serves at least `minRoutes` routes;
 * - inside a local, non-exported function that is called only from such places.
 * Any use at module scope (a call, or a variable computed from the package) means init needs it: not reported.
 */
type Place = { kind: 'catch'; line: number } | { kind: 'route'; route: string } | { kind: 'helper'; name: string; via: Place };

function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

function inCatchOf(facts: FileFacts, fn: number | null, at: Pos): number | null {
  for (const c of facts.catchBlocks ?? []) if (c.fn === fn && !before(at, c.start) && before(at, c.end)) return c.start.line;
  return null;
}

class Places {
  private readonly byId: Map<number, FunctionFact>;

  constructor(
    private readonly file: string,
    private readonly facts: FileFacts,
    private readonly reachable: ReadonlySet<FnKey>,
    private readonly routes: number,
    private readonly minRoutes: number,
    private readonly rareRoute: RegExp,
  ) {
    this.byId = new Map(facts.functions.map((f) => [f.id, f]));
  }

  /** Where a position in function `fn` (null: module scope) is rare, or null when it runs on the common path. */
  at(fn: number | null, pos: Pos, depth = 0): Place | null {
    const line = inCatchOf(this.facts, fn, pos);
    if (line !== null) return { kind: 'catch', line };
    if (fn === null) return null;
    return this.ofFunction(fn, depth);
  }

  /** Whether the whole function runs only on a rare path: a route of many, written in a catch, or a helper called only from rare places. */
  ofFunction(id: number, depth = 0): Place | null {
    const f = this.byId.get(id);
    if (!f || depth > 4) return null;
    if (f.route !== null && this.routes >= this.minRoutes && this.rareRoute.test(routePath(f.route)) && this.reachable.has(fnKey(this.file, f.id))) {
      return { kind: 'route', route: f.route };
    }
    // Written inside a rare place of its parent (a callback in a catch block, a function in a route handler).
    const outer = this.at(f.parent, f, depth + 1);
    if (outer !== null) return outer;
    if (f.name === null || this.facts.exports.some((e) => e.name === f.name || e.fn === f.id || e.refs.includes(f.name ?? ''))) return null;
    const callers = this.facts.calls.filter((c) => c.name === f.name && c.root === f.name && c.module === null);
    if (callers.length === 0) return null;
    const via = callers.map((c) => this.at(c.fn, c, depth + 1));
    const first = via[0];
    return first !== null && first !== undefined && via.every((p) => p !== null) ? { kind: 'helper', name: f.name, via: first } : null;
  }
}

/** `GET /admin/report` -> `/admin/report`. */
function routePath(route: string): string {
  return route.slice(route.indexOf(' ') + 1);
}

function describePlace(p: Place, file: string): string {
  switch (p.kind) {
    case 'catch':
      return `on the error path (the catch block at ${file}:${p.line})`;
    case 'route':
      return `for one route (${p.route})`;
    case 'helper':
      return `in ${p.name}(), which runs only ${describePlace(p.via, file)}`;
  }
}

function routeCount(ctx: RuleContext): number {
  let n = 0;
  for (const { file, facts } of closureFacts(ctx)) {
    for (const f of facts.functions) if (f.route !== null && ctx.reachable.has(fnKey(file, f.id))) n++;
  }
  return n;
}

/** An init import of a file whose every use is on a rare path, with those places described. */
interface RareImport {
  imp: ImportFact;
  described: string[];
}

interface Settings {
  minRoutes: number;
  rareRoute: RegExp;
  /** Route-free files' answers, by facts (they die with the scan). */
  byFacts: WeakMap<FileFacts, readonly RareImport[]>;
}

/** One Settings per option values, so the per-file answers are shared across handlers and rule runs. */
const settingsByOptions = new Map<string, Settings>();

function settingsOf(minRoutes: number, rareRoutes: string): Settings {
  const key = `${minRoutes}\0${rareRoutes}`;
  let settings = settingsByOptions.get(key);
  if (settings === undefined) {
    settings = { minRoutes, rareRoute: new RegExp(rareRoutes, 'i'), byFacts: new WeakMap() };
    settingsByOptions.set(key, settings);
  }
  return settings;
}

const NOTHING_REACHABLE: ReadonlySet<FnKey> = new Set();

/** Whether no function of the file serves a route: then nothing the rule decides about it depends on the handler. */
const routeFree = perFile((facts: FileFacts): boolean => facts.functions.every((f) => f.route === null));

function shared(settings: Settings, file: string, facts: FileFacts): readonly RareImport[] {
  let found = settings.byFacts.get(facts);
  if (found === undefined) {
    // Route count and reachability are read only for routed functions, and this file has none.
    found = rareImports(file, facts, new Places(file, facts, NOTHING_REACHABLE, 0, settings.minRoutes, settings.rareRoute));
    settings.byFacts.set(facts, found);
  }
  return found;
}

/** The file's init imports (those a package site could be) whose every use is on a rare path. */
function rareImports(file: string, facts: FileFacts, places: Places): RareImport[] {
  const out: RareImport[] = [];
  let uses: FileUses | undefined;
  for (const imp of facts.imports) {
    if (!imp.init || imp.kind === 'side-effect' || imp.kind === 're-export') continue;
    uses ??= usesOf(facts);
    const where = rareUses(facts, uses, imp.specifier, places);
    if (where !== null) out.push({ imp, described: [...new Set(where.map((p) => describePlace(p, file)))].sort() });
  }
  return out;
}

/** A file's bound names and calls by the module they come from, grouped in one pass each. */
interface FileUses {
  /** Names an import binds (not derived), by specifier. */
  names: Map<string, Set<string>>;
  /** Calls whose callee's root is bound to the module, by specifier. */
  calls: Map<string, CallFact[]>;
}

function usesOf(facts: FileFacts): FileUses {
  const names = new Map<string, Set<string>>();
  for (const [name, b] of Object.entries(facts.bindings)) {
    if (b.derived === true) continue;
    const set = names.get(b.specifier);
    if (set) set.add(name);
    else names.set(b.specifier, new Set([name]));
  }
  const calls = new Map<string, CallFact[]>();
  for (const c of facts.calls) {
    if (c.module === null) continue;
    const list = calls.get(c.module);
    if (list) list.push(c);
    else calls.set(c.module, [c]);
  }
  return { names, calls };
}

/** Where the import's uses are, when every one is on a rare path; null when one is on the common path (or none). */
function rareUses(facts: FileFacts, uses: FileUses, specifier: string, places: Places): Place[] | null {
  // Names the import binds (variables computed from them are followed through the calls' `module`).
  const names = uses.names.get(specifier);
  if (names === undefined) return null;
  const calls = uses.calls.get(specifier) ?? [];
  // A call at module scope (`new Client()`, `z.object(...)`) is init work that needs the package.
  if (calls.some((c) => c.fn === null && inCatchOf(facts, null, c) === null)) return null;
  const users = new Set<number>(calls.flatMap((c) => (c.fn === null ? [] : [c.fn])));
  for (const f of facts.functions) if (f.refs.some((r) => names.has(r))) users.add(f.id);
  const moduleCatchCalls = calls.filter((c) => c.fn === null);
  if (users.size === 0 && moduleCatchCalls.length === 0) return null;
  const where: Place[] = [];
  for (const c of moduleCatchCalls) {
    const p = places.at(null, c);
    if (!p) return null;
    where.push(p);
  }
  for (const id of users) {
    const own = calls.filter((c) => c.fn === id);
    // Every call of the package in the function is on a rare path, or the function itself is.
    const p =
      places.ofFunction(id) ??
      (own.length > 0 && own.every((c) => places.at(id, c) !== null) ? places.at(id, own[0] ?? { line: 0, column: 0 }) : null);
    if (!p) return null;
    where.push(p);
  }
  return where.length > 0 ? where : null;
}

export default defineRule({
  meta: {
    id: 'rare-path-import',
    description: 'Disallow loading a package at init that only a rarely taken path uses',
    rationale:
      'A package imported at module scope is loaded, and its INIT billed, on every cold start, even when only an error branch, one route of many or a helper called from them ever uses it.',
    severity: 'warn',
    category: 'init-cost',
    options: {
      minRoutes: {
        type: 'number',
        integer: true,
        minimum: 1,
        default: 2,
        description: "How many routes the handler's app must serve before an administrative route's packages count as a rare path",
      },
      rareRoutes: {
        type: 'string',
        format: 'regex',
        default: '(^|/)(admin|internal|debug|ops|backoffice|maintenance|migrate|migrations|reports?)(/|$)',
        description: 'The route paths that count as rarely used, matched case-insensitively',
      },
    },
  },
  check(ctx) {
    const settings = settingsOf(ctx.options.minRoutes, ctx.options.rareRoutes);
    let routes: number | undefined;
    for (const { file, facts } of closureFacts(ctx)) {
      // A file with a routed function answers per handler (the routes it serves, what it reaches); any other file
      // answers the same for every handler whose closure holds it, so that answer is computed once.
      let found = routeFree(facts) ? shared(settings, file, facts) : null;
      if (found === null) {
        routes ??= routeCount(ctx);
        found = rareImports(file, facts, new Places(file, facts, ctx.reachable, routes, settings.minRoutes, settings.rareRoute));
      }
      for (const { imp, described } of found) {
        const site = siteAt(ctx.graph, file, imp);
        if (!site) continue;
        const cost = ctx.packageCost ? ctx.packageCost(site) : null;
        const ms = cost?.estInitMs ?? null;
        ctx.report({
          file,
          line: imp.line,
          column: imp.column,
          estInitMs: ms,
          chain: ctx.graph.chainOf(file),
          message:
            `'${imp.specifier}' is loaded at init but used only ${described.join('; ')}: ${ms === null ? 'its load time (not priced)' : `~${Math.round(ms)} ms of billed INIT`} on every cold start for code most requests never run. ` +
            `Load it where it is used: \`const { ... } = await import('${imp.specifier}')\` (or require it) inside that path, so only the requests that take it pay, once per environment.`,
        });
      }
    }
  },
});
