/** action.yml and the documented workflow, read as the YAML GitHub reads. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from '../helpers/cli.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, what: string): Json {
  if (!isObject(value)) throw new Error(`${what} is not a mapping`);
  return value;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value;
}

const action = object(parse(readFileSync(path.join(REPO, 'action.yml'), 'utf8')), 'action.yml');
const inputs = object(action['inputs'], 'inputs');
const runs = object(action['runs'], 'runs');
const steps = list(runs['steps'], 'runs.steps').map((s, i) => object(s, `step ${i}`));

/** Every `${{ inputs.NAME }}` in a value. */
function inputRefs(value: unknown): string[] {
  return [...JSON.stringify(value).matchAll(/\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}/g)].map((m) => m[1] ?? '');
}

describe('action.yml', () => {
  it('is a composite action whose steps use only declared inputs, and every input is used', () => {
    expect(runs['using']).toBe('composite');
    const used = new Set(inputRefs(steps));
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((name) => !(name in inputs))).toEqual([]);
    expect(Object.keys(inputs).filter((name) => !used.has(name))).toEqual([]);
    expect(Object.keys(inputs).sort()).toEqual([
      'base-result',
      'cache',
      'comment',
      'fail-on',
      'format',
      'github-token',
      'logs',
      'path',
      'result',
      'scan',
      'version',
    ]);
  });

  it('describes every input and gives optional ones a default', () => {
    for (const [name, spec] of Object.entries(inputs)) {
      const s = object(spec, name);
      expect(typeof s['description'], name).toBe('string');
      expect(s['required'], name).toBe(false);
      expect(typeof s['default'], name).toBe('string');
    }
  });

  it('passes inputs through env, never into a script (no expression in any run), and every run step names its shell', () => {
    const runSteps = steps.filter((s) => typeof s['run'] === 'string');
    expect(runSteps.length).toBe(1);
    for (const s of runSteps) {
      expect(s['shell']).toBe('bash');
      expect(String(s['run'])).not.toContain('${{');
    }
  });

  it('runs its own checkout (github.action_path) through the script the workflow test runs, never npx', () => {
    const [step] = steps;
    expect(steps.length).toBe(1);
    expect(object(step?.['env'], 'env')['LM_ACTION_PATH']).toBe('${{ github.action_path }}');
    expect(step?.['run']).toBe('bash "$LM_ACTION_PATH/scripts/action/run.sh"');
    const script = readFileSync(path.join(REPO, 'scripts/action/run.sh'), 'utf8');
    for (const text of [readFileSync(path.join(REPO, 'action.yml'), 'utf8'), script]) expect(text).not.toMatch(/\bnpx\b/);
    expect(script).toContain('(cd "$LM_ACTION_PATH" && npm ci --no-audit --no-fund)');
    expect(script).toContain('args=(scan "$LM_PATH" -f json -o "$LM_RESULT")');
    expect(steps.some((s) => String(s['uses'] ?? '').includes('upload-artifact'))).toBe(false);
    expect(steps.some((s) => String(s['uses'] ?? '').includes('setup-node'))).toBe(false);
  });

  it('declares every output the script writes, and nothing else', () => {
    // The keys of the `outputs` object literal, quoted or not (Prettier leaves `functions` bare).
    const script = readFileSync(path.join(REPO, 'scripts/action/outputs.mjs'), 'utf8');
    const literal = /^const outputs = \{\n([\s\S]*?)^\};/m.exec(script)?.[1] ?? '';
    const written = [...literal.matchAll(/^ {2}'?([a-z-]+)'?: /gm)].map((m) => m[1]);
    expect(written.length).toBeGreaterThan(5);
    expect(Object.keys(object(action['outputs'], 'outputs')).sort()).toEqual(['report', 'result', ...written].sort());
  });

  it('outputs refer to steps that exist', () => {
    const ids = new Set(steps.map((s) => s['id']));
    for (const [name, spec] of Object.entries(object(action['outputs'], 'outputs'))) {
      const m = /steps\.([a-z-]+)\.outputs/.exec(String(object(spec, name)['value']));
      expect(m?.[1] !== undefined && ids.has(m[1]), name).toBe(true);
    }
  });
});

describe('docs/github-actions.md: the two-job workflow', () => {
  const doc = readFileSync(path.join(REPO, 'docs/github-actions.md'), 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  const workflow = object(parse(block), 'workflow');
  const jobs = object(workflow['jobs'], 'jobs');
  const scanJob = object(jobs['scan'], 'jobs.scan');
  const commentJob = object(jobs['comment'], 'jobs.comment');

  it('scans on pull_request with a read-only token and hands result.json on as an artifact', () => {
    expect(Object.keys(object(workflow['on'], 'on'))).toEqual(['pull_request']);
    expect(scanJob['permissions']).toEqual({ contents: 'read' });
    const scanSteps = list(scanJob['steps'], 'scan steps').map((s, i) => object(s, `scan step ${i}`));
    const ours = scanSteps.filter((s) => String(s['uses']).endsWith('/lambda-migrate@v0'));
    expect(ours.map((s) => object(s['with'], 'with')['result'])).toEqual(['base.json', 'result.json']);
    expect(object(ours[1]?.['with'], 'with')['base-result']).toBe('base.json');
    // Only declared inputs are passed to the action, and no version: the tag decides what runs.
    for (const s of ours) expect(Object.keys(object(s['with'], 'with')).filter((k) => !(k in inputs) || k === 'version')).toEqual([]);
    // The `if:` on the action's output names an output the action declares.
    const conditions = scanSteps.map((s) => String(s['if'] ?? '')).filter((c) => c !== '');
    for (const c of conditions)
      for (const m of c.matchAll(/steps\.lm\.outputs\.([a-z-]+)/g)) expect(Object.keys(object(action['outputs'], 'outputs'))).toContain(m[1]);
    expect(conditions.length).toBe(1);
    const upload = scanSteps.find((s) => String(s['uses']).startsWith('actions/upload-artifact'));
    expect(String(object(upload?.['with'], 'upload')['path'])).toContain('result.json');
  });

  it('comments from a second job that needs the scan, may write to pull requests, and runs no PR code', () => {
    expect(commentJob['needs']).toBe('scan');
    expect(commentJob['permissions']).toEqual({ 'pull-requests': 'write' });
    const commentSteps = list(commentJob['steps'], 'comment steps').map((s, i) => object(s, `comment step ${i}`));
    expect(commentSteps.some((s) => String(s['uses']).startsWith('actions/checkout'))).toBe(false);
    expect(commentSteps.some((s) => String(s['uses']).startsWith('actions/download-artifact'))).toBe(true);
    // The action posts the comment from its own code; no `npx` of a package name.
    const ours = commentSteps.find((s) => String(s['uses']).endsWith('/lambda-migrate@v0'));
    expect(object(ours?.['with'], 'with')).toEqual({
      scan: false,
      result: 'result.json',
      format: 'pr-comment',
      comment: true,
      'fail-on': 'warn,init-ms=100',
    });
    expect(commentSteps.some((s) => String(s['run'] ?? '').includes('npx'))).toBe(false);
  });
});
