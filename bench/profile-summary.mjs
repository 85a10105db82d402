#!/usr/bin/env node
// Reads a V8 CPU profile (`node --cpu-prof`) and prints where the time went: self time by script, and
// inclusive time of the functions in the scanner's own code (dist/src). `scan-bench.mjs --profile` runs one
// profiled scan of the patterns tree and prints this; it also works on any .cpuprofile:
//
//   node bench/profile-summary.mjs <file.cpuprofile> [--top 25] [--match <regexp on "function file:line">]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseArgs } from 'node:util';

const shortUrl = (url) => url.replace(/^file:\/\//, '').replace(/.*\/(dist|node_modules)\//, '$1/');

/** Self and inclusive milliseconds per `function file:line`, self per script, and the total. */
export function summarize(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfById = new Map();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    totalUs += dt;
    selfById.set(id, (selfById.get(id) ?? 0) + dt);
  });
  const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const byScript = new Map();
  const inclusive = new Map();
  for (const [id, us] of selfById) {
    const node = nodes.get(id);
    const script = shortUrl(node.callFrame.url) || node.callFrame.functionName;
    byScript.set(script, (byScript.get(script) ?? 0) + us);
    // A function counts once per sample however deep it recurses.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const key = label(nodes.get(cur));
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const ms = (m) => new Map([...m].map(([k, v]) => [k, v / 1000]));
  return { totalMs: totalUs / 1000, byScript: ms(byScript), inclusive: ms(inclusive) };
}

/** The summary as text lines: the top scripts by self time, the top matching functions by inclusive time. */
export function formatSummary(summary, { top = 25, match = /dist\/src\// } = {}) {
  const rows = (m, n) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${Math.round(v).toLocaleString('en-US').padStart(8)} ms  ${((100 * v) / summary.totalMs).toFixed(1).padStart(5)}%  ${k}`);
  return [
    `profile: ${Math.round(summary.totalMs).toLocaleString('en-US')} ms sampled`,
    'self time by script:',
    ...rows(summary.byScript, Math.min(top, 15)),
    `inclusive time, functions matching ${match}:`,
    ...rows(new Map([...summary.inclusive].filter(([k]) => match.test(k))), top),
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' }, match: { type: 'string' } },
  });
  if (positionals.length !== 1) {
    console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [--top 25] [--match <regexp>]');
    process.exit(2);
  }
  const summary = summarize(JSON.parse(readFileSync(positionals[0], 'utf8')));
  console.log(
    formatSummary(summary, { top: Number(values.top), ...(values.match !== undefined ? { match: new RegExp(values.match) } : {}) }).join('\n'),
  );
}
