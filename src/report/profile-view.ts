/** Text lines for what `lambda-migrate profile` measured and what the runtime adds, beside a function's estimate. */
import type { FunctionProfile, FunctionResult } from '../model/result.js';
import { formatMs, plural } from './format.js';

function groupsLine(p: FunctionProfile): string {
  const g = p.groups;
  const parts = [
    `own code ${formatMs(g.own.ms)} ms (${plural(g.own.modules, 'module')})`,
    `packages ${formatMs(g.packages.ms)} ms (${plural(g.packages.modules, 'module')})`,
    `layers ${formatMs(g.layers.ms)} ms (${plural(g.layers.modules, 'module')})`,
    `Node core ${plural(g.core.modules, 'module')}`,
  ];
  return `  ${parts.join(' · ')}`;
}

/**
 * `profiled init 182.4 ms (estimate 140 ms) · loaded dist/h.js on v20.20.2`, then the groups and the costliest
 * packages; or why there is no measurement. Empty when the function was not profiled.
 */
export function profileLines(fn: FunctionResult): string[] {
  const p = fn.profile;
  if (p === undefined) return [];
  const estimate = p.estInitMs === null ? '' : ` (estimate ${formatMs(p.estInitMs)} ms)`;
  if (p.status !== 'ok' || p.measuredInitMs === null) {
    const blocked = p.blocked.length > 0 ? ` · blocked: ${p.blocked.map((b) => b.what).join(', ')}` : '';
    return [`profile ${p.status}: ${p.detail ?? 'no measurement'}${blocked}`];
  }
  const lines = [`profiled init ${formatMs(p.measuredInitMs)} ms${estimate} · loaded ${p.loaded ?? '?'} on ${p.node ?? '?'}`, groupsLine(p)];
  const top = p.packages.slice(0, 5).map((x) => `${x.name} ${formatMs(x.ms)} ms`);
  if (top.length > 0) lines.push(`  slowest packages: ${top.join(', ')}`);
  if (p.detail !== null) lines.push(`  note: ${p.detail}`);
  return lines;
}

/** `runtime adds ~215 ms: Datadog Lambda Extension 80 ms (serverless.yml:10), ...`; empty when the IaC adds nothing. */
export function runtimeAdditionLines(fn: FunctionResult): string[] {
  const added = fn.init?.runtimeAdditions;
  if (added === undefined || added.items.length === 0) return [];
  const items = added.items.map((i) => `${i.what} ${i.estInitMs === null ? 'not priced' : `${formatMs(i.estInitMs)} ms`} (${i.file}:${i.line})`);
  return [`runtime adds ~${formatMs(added.estInitMs)} ms at init: ${items.join(', ')}`];
}
