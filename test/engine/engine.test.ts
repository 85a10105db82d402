import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProjectConfig } from '../../src/config/config.js';
import { fromData } from '../../src/config/config.js';
import { defineAnalysis, type RegisteredAnalysis } from '../../src/engine/analysis.js';
import { loadEngine, runEngine, type EngineFunction, type EngineInput, type EngineUnits } from '../../src/engine/index.js';
import { ruleRegistry } from '../../src/engine/registry.js';
import { defineRule, type Rule } from '../../src/engine/rule.js';
import { InputError } from '../../src/errors.js';
import type { HandlerGraph } from '../../src/graph/closure.js';
import type { FnKey } from '../../src/graph/reachability.js';
import { FactStore } from '../../src/graph/fact-store.js';
import { ModuleResolver } from '../../src/graph/resolve.js';
import type { FunctionSpec } from '../../src/model/result.js';
import { MemorySourceTree } from '../../src/source/tree.js';
import { RULES } from '../../rules/index.js';

/*
 * The engine on its own: two small rules and three small analyses registered as the shipped ones are, over a service
 * held in memory, so every figure below is worked out by hand from the text.
 */

/** Reports every call of `mark()` in the handler's file, with the rule's severity. */
const markCall = defineRule({
  meta: {
    id: 'mark-call',
    description: 'Disallow calls of mark',
    rationale: 'A test rule.',
    severity: 'warn',
    category: 'io',
    options: {
      minColumn: { type: 'number', integer: true, minimum: 1, default: 1, description: 'Report calls from this column on' },
    },
  },
  check(ctx) {
    const file = ctx.fn.handler.file;
    if (file === null) return;
    for (const c of ctx.facts.get(file)?.calls ?? []) {
      if (c.callee === 'mark' && c.column >= ctx.options.minColumn)
        ctx.report({ file, line: c.line, column: c.column, message: `mark at ${c.line}`, estInitMs: c.line });
    }
  },
});

/** Reports the handler's first line, at info. */
const firstLine = defineRule({
  meta: { id: 'first-line', description: 'Enforce nothing', rationale: 'A test rule.', severity: 'info', category: 'init-cost', options: {} },
  check(ctx) {
    const file = ctx.fn.handler.file;
    if (file !== null) ctx.report({ file, line: 1, column: 1, message: 'first line' });
  },
});

const UNITS_RULES = ruleRegistry({
  'mark-call': async () => ({ default: markCall }),
  'first-line': async () => ({ default: firstLine }),
});

const started: string[] = [];
const countCalls = defineAnalysis({
  meta: {
    id: 'io-tangle',
    description: 'Counts the calls (a stand-in for the tangle score)',
    produces: 'ioTangle',
    requires: [],
    configKey: 'ioTangle',
    options: {
      mixedFrom: { type: 'number', minimum: 0, maximum: 1, default: 0.2, description: 'Mixed from' },
      tangledFrom: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Tangled from' },
    },
  },
  start() {
    started.push('io-tangle');
    return {
      analyse(ctx) {
        const calls = ctx.facts.get(ctx.graph.closure.files[0] ?? '')?.calls.length ?? 0;
        const score = calls / 10;
        return { score, ioCalls: calls, verdict: score >= ctx.options.tangledFrom ? 'tangled' : score >= ctx.options.mixedFrom ? 'mixed' : 'clean' };
      },
    };
  },
});
const noPortability = defineAnalysis({
  meta: { id: 'portability', description: 'Nothing stands in the way', produces: 'portability', requires: [], options: {} },
  start() {
    started.push('portability');
    const target = { verdict: 'ready' as const, blockers: [], risks: [] };
    return { analyse: () => ({ rust: target, llrt: target, packages: [] }) };
  },
});
const effortFromTangle = defineAnalysis({
  meta: { id: 'effort', description: 'Points from the tangle score', produces: 'effort', requires: ['ioTangle', 'portability'], options: {} },
  start() {
    started.push('effort');
    return {
      analyse(ctx) {
        const points = ctx.values.ioTangle.score * 10 + ctx.values.portability.packages.length;
        return {
          size: 'S',
          points,
          inputs: {
            ownLines: 0,
            ownFiles: 0,
            packages: 0,
            packagesWithoutEquivalent: [],
            tangleScore: ctx.values.ioTangle.score,
            dynamicFeatures: 0,
            blockers: 0,
          },
          basis: 'tangle score x 10',
        };
      },
    };
  },
});
const ANALYSES: RegisteredAnalysis[] = [countCalls, noPortability, effortFromTangle];
const UNITS: EngineUnits = { rules: UNITS_RULES, analyses: ANALYSES };

const HANDLER = [
  "import { mark } from './mark.js';", // 1
  'export const handler = async () => {', // 2
  '  mark();', // 3
  '  // lambda-migrate-disable-next-line mark-call -- measured, it is cheap', // 4
  '  mark();', // 5
  '      mark();', // 6
  '};', // 7
].join('\n');
const OTHER = "import { mark } from './mark.js';\nexport const handler = async () => mark();\n";

function service() {
  const tree = new MemorySourceTree({ 'api.js': HANDLER, 'gen/other.js': OTHER, 'mark.js': 'export const mark = () => 1;\n' });
  const facts = new FactStore(tree);
  const resolver = new ModuleResolver(tree.files, (rel) => tree.read(rel));
  return { tree, facts, resolver };
}

function spec(id: string, file: string | null): FunctionSpec {
  return {
    id,
    name: id,
    provider: 'serverless',
    deployedNames: [],
    runtime: 'nodejs20.x',
    architecture: 'arm64',
    memoryMB: 512,
    timeoutS: 6,
    declaredIn: { file: 'serverless.yml', line: 1 },
    handler: { file, export: 'handler', declared: `${file ?? 'missing'}.handler`, mapping: file === null ? 'unresolved' : 'exact' },
  };
}

function graphOf(file: string): HandlerGraph {
  return {
    closure: { estInitMs: 0, modules: 1, lines: 7, files: [file], packages: [], lazy: [], unresolved: [], topLevelAwait: [] },
    chainOf: (f) => (f === file ? [file] : undefined),
    packageSites: [],
    packageCopies: [],
    priceCopy: () => null,
  };
}

function config(data: unknown = {}): ProjectConfig {
  return fromData(data, '.lambda-migrate.json');
}

function inputOf(s: ReturnType<typeof service>, reads: string[] = [], baseline: EngineInput['baseline'] = null): EngineInput {
  const functions: EngineFunction[] = [
    { spec: spec('api', 'api.js'), graph: graphOf('api.js'), reachable: new Set() },
    { spec: spec('other', 'gen/other.js'), graph: graphOf('gen/other.js'), reachable: new Set() },
    { spec: spec('lost', null), graph: null, reachable: new Set() },
  ];
  return {
    facts: s.facts,
    resolver: s.resolver,
    ioFns: new Set(),
    callsIo: () => false,
    functions,
    readText: (rel) => {
      reads.push(rel);
      return s.tree.tryRead(rel);
    },
    baseline,
  };
}

const fp = (ruleId: string, file: string, line: string, n = 0): string =>
  createHash('sha256').update(`${ruleId}\0${file}\0${line}\0${n}`).digest('hex').slice(0, 16);

async function inputError(run: () => Promise<unknown>): Promise<{ message: string; hint: string | undefined }> {
  try {
    await run();
  } catch (err) {
    if (err instanceof InputError) return { message: err.message, hint: err.hint };
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('loadEngine: rule ids and option values checked once, before anything runs', () => {
  it('resolves each rule its defaults, then the config file, then the flags (text read as the declared type)', async () => {
    const engine = await loadEngine(UNITS, {
      config: config({ rules: { 'mark-call': { options: { minColumn: 3 } } } }),
      cli: { options: { 'mark-call': { minColumn: '5' } } },
    });
    expect(engine.rules.map((r) => r.meta.id)).toEqual(['first-line', 'mark-call']);
    expect(Object.fromEntries(engine.ruleOptions)).toEqual({ 'first-line': {}, 'mark-call': { minColumn: 5 } });
    expect(engine.analyses.map((a) => [a.analysis.meta.id, a.options])).toEqual([
      ['io-tangle', { mixedFrom: 0.2, tangledFrom: 0.5 }],
      ['portability', {}],
      ['effort', {}],
    ]);
    expect(engine.summaries.map((s) => s.docs)).toEqual(['rules/first-line.md', 'rules/mark-call.md']);
  });

  it('feeds an analysis the config section its metadata names', async () => {
    const engine = await loadEngine(UNITS, { config: config({ ioTangle: { mixedFrom: 0.1, tangledFrom: 0.3 } }) });
    expect(engine.analyses[0]?.options).toEqual({ mixedFrom: 0.1, tangledFrom: 0.3 });
  });

  it('refuses a rule the config file names that the registry does not know', async () => {
    expect(await inputError(() => loadEngine(UNITS, { config: config({ rules: { 'no-such-rule': {} } }) }))).toEqual({
      message: '.lambda-migrate.json: rules.no-such-rule: unknown rule, expected one of: first-line, mark-call',
      hint: 'lambda-migrate rules lists them',
    });
  });

  it('refuses --disable-rule and --rule-option naming an unknown rule', async () => {
    expect(await inputError(() => loadEngine(UNITS, { config: config(), cli: { disabled: ['nope'] } }))).toEqual({
      message: "unknown rule 'nope'",
      hint: 'known rules: first-line, mark-call (lambda-migrate rules)',
    });
    expect((await inputError(() => loadEngine(UNITS, { config: config(), cli: { options: { nope: { minColumn: '2' } } } }))).message).toBe(
      "--rule-option nope.minColumn: unknown rule 'nope'",
    );
  });

  it('checks the options of a disabled rule too, and the config file before the flags', async () => {
    const disabled = config({ rules: { 'mark-call': { severity: 'off', options: { minColum: 2 } } } });
    expect((await inputError(() => loadEngine(UNITS, { config: disabled }))).message).toBe(
      '.lambda-migrate.json: rules.mark-call.options.minColum: unknown option, expected one of: minColumn',
    );
    const both = config({ rules: { 'mark-call': { options: { minColumn: 0 } } } });
    expect((await inputError(() => loadEngine(UNITS, { config: both, cli: { options: { 'mark-call': { minColumn: 'x' } } } }))).message).toBe(
      '.lambda-migrate.json: rules.mark-call.options.minColumn: expected an integer >= 1, got 0',
    );
    expect((await inputError(() => loadEngine(UNITS, { config: config(), cli: { options: { 'mark-call': { minColumn: 'x' } } } }))).message).toBe(
      '--rule-option mark-call.minColumn: expected an integer >= 1, got "x"',
    );
    expect((await inputError(() => loadEngine(UNITS, { config: config(), cli: { options: { 'first-line': { any: '1' } } } }))).message).toBe(
      '--rule-option first-line.any: unknown option, expected none (this rule has no options)',
    );
  });

  it('joins the config allow.packages to heavy-init-import’s own ignore list', async () => {
    const engine = await loadEngine(
      { rules: RULES, analyses: [] },
      { config: config({ allow: { packages: ['pg', 'moment'] } }), cli: { options: { 'heavy-init-import': { ignorePackages: 'aws-sdk,lodash' } } } },
    );
    expect(engine.ruleOptions.get('heavy-init-import')).toEqual({ thresholdMs: 20, ignorePackages: 'aws-sdk,lodash,pg,moment' });
  });

  it('refuses a registry whose analyses come before what they require, or whose line loads another rule', async () => {
    await expect(loadEngine({ rules: UNITS_RULES, analyses: [effortFromTangle, countCalls] }, { config: config() })).rejects.toThrow(
      'analysis effort requires ioTangle, portability, which no analysis before it produces',
    );
    const wrong = ruleRegistry({ 'first-line': async () => ({ default: markCall }) });
    await expect(loadEngine({ rules: wrong, analyses: [] }, { config: config() })).rejects.toThrow(
      "rule registry: 'first-line' loads a rule whose id is 'mark-call'",
    );
  });

  it('every shipped rule’s defaults pass its own schema', async () => {
    const engine = await loadEngine({ rules: RULES, analyses: [] }, { config: config() });
    expect(engine.rules.length).toBe(RULES.ids.length);
    for (const rule of engine.rules as Rule[]) {
      const options = engine.ruleOptions.get(rule.meta.id) ?? {};
      await expect(
        loadEngine({ rules: RULES, analyses: [] }, { config: config(), cli: { options: { [rule.meta.id]: options } } }),
      ).resolves.toBeDefined();
      for (const spec of Object.values(rule.meta.options)) expect(spec.description, rule.meta.id).not.toBe('');
    }
  });
});

describe('runEngine: findings and analyses of every function, then suppressions, severities, fingerprints, baseline', () => {
  it('runs rules and analyses per function and applies the inline suppression', async () => {
    const engine = await loadEngine(UNITS, { config: config() });
    started.length = 0;
    const s = service();
    const out = runEngine(engine, inputOf(s));
    // Each analysis starts once per run, however many functions there are.
    expect(started).toEqual(['io-tangle', 'portability', 'effort']);
    const [api, other, lost] = out.functions;
    // Line 5's mark() is suppressed by the comment on line 4; ranked by estInitMs (the line), then severity.
    expect(api?.findings.map((f) => [f.ruleId, f.line, f.column, f.severity])).toEqual([
      ['mark-call', 6, 7, 'warn'],
      ['mark-call', 3, 3, 'warn'],
      ['first-line', 1, 1, 'info'],
    ]);
    // api.js has 3 calls of mark (score 0.3: mixed), other.js one (0.1: clean); effort reads the tangle's value.
    expect([api?.ioTangle?.score, api?.ioTangle?.verdict, api?.effort?.points]).toEqual([0.3, 'mixed', 3]);
    expect([other?.ioTangle?.score, other?.ioTangle?.verdict, other?.effort?.points]).toEqual([0.1, 'clean', 1]);
    expect(lost).toEqual({ spec: spec('lost', null), findings: [], ioTangle: null, portability: null, effort: null });
    expect(out.suppressed).toEqual({ inline: 1, config: 0, baseline: 0 });
    expect(out.notes).toEqual([]);
  });

  it('fingerprints each finding from the line text the caller reads, asking for each file once', async () => {
    const engine = await loadEngine(UNITS, { config: config() });
    const reads: string[] = [];
    const out = runEngine(engine, inputOf(service(), reads));
    expect(reads).toEqual(['api.js', 'gen/other.js']);
    expect(out.functions[0]?.findings.map((f) => f.fingerprint)).toEqual([
      fp('mark-call', 'api.js', 'mark();', 1),
      fp('mark-call', 'api.js', 'mark();', 0),
      fp('first-line', 'api.js', "import { mark } from './mark.js';"),
    ]);
  });

  it('applies config severities and allow.files, and counts what they drop', async () => {
    const engine = await loadEngine(UNITS, { config: config({ rules: { 'first-line': 'error' }, allow: { files: ['gen/**'] } }) });
    const out = runEngine(engine, inputOf(service()));
    expect(out.functions[0]?.findings.map((f) => `${f.ruleId}:${f.line}:${f.severity}`)).toEqual([
      'mark-call:6:warn',
      'mark-call:3:warn',
      'first-line:1:error',
    ]);
    expect(out.functions[1]?.findings).toEqual([]);
    // gen/other.js: first-line and one mark-call.
    expect(out.suppressed).toEqual({ inline: 1, config: 2, baseline: 0 });
  });

  it('drops what the baseline lists, matched on the fingerprint, not the line', async () => {
    const engine = await loadEngine(UNITS, { config: config() });
    const baseline = {
      version: 1 as const,
      tool: 'lambda-migrate' as const,
      findings: [
        { ruleId: 'first-line', file: 'api.js', fingerprint: fp('first-line', 'api.js', "import { mark } from './mark.js';"), line: 99, message: '' },
      ],
    };
    const out = runEngine(engine, inputOf(service(), [], baseline));
    expect(out.functions[0]?.findings.map((f) => `${f.ruleId}:${f.line}`)).toEqual(['mark-call:6', 'mark-call:3']);
    expect(out.suppressed.baseline).toBe(1);
  });

  it('notes suppressions without a reason or naming unknown rules', async () => {
    const engine = await loadEngine(UNITS, { config: config() });
    const tree = new MemorySourceTree({ 'api.js': '// lambda-migrate-disable-next-line first-line, nope\nexport const handler = () => 1;\n' });
    const input = {
      ...inputOf(service()),
      facts: new FactStore(tree),
      functions: [{ spec: spec('api', 'api.js'), graph: graphOf('api.js'), reachable: new Set<FnKey>() }],
    };
    const out = runEngine(engine, input);
    expect(out.notes).toEqual([
      "api.js:1: lambda-migrate-disable-next-line names unknown rule 'nope'",
      "api.js:1: lambda-migrate-disable-next-line without a reason (add '-- why')",
    ]);
  });

  it('takes values and returns new ones: the same input gives the same output, with fresh findings', async () => {
    const engine = await loadEngine(UNITS, { config: config({ rules: { 'first-line': 'error' } }) });
    const input = inputOf(service());
    const a = runEngine(engine, input);
    const b = runEngine(engine, input);
    expect(b).toEqual(a);
    expect(b.functions[0]?.findings[0]).not.toBe(a.functions[0]?.findings[0]);
  });
});
