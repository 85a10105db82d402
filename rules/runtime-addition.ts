import { defineRule } from '../src/engine/rule.js';
import type { RuntimeAddition } from '../src/model/result.js';

const FIX: Record<RuntimeAddition['kind'], string> = {
  layer:
    'Keep it only where its data is used: attach the layer to the functions you monitor, load only the instrumentations you need, or bundle the library with esbuild instead of loading it from /opt.',
  'node-option': 'Drop the flag from NODE_OPTIONS in production (upload source maps to your error tracker instead), or preload less.',
  'exec-wrapper':
    'Remove AWS_LAMBDA_EXEC_WRAPPER where the wrapper is not needed, or start the instrumentation from the handler module so it can be bundled.',
};

function costOf(item: RuntimeAddition): string {
  if (item.estInitMs === null) return 'not priced (see the basis: the catalog has no figure for it)';
  if (item.estInitMs === 0) return `0 ms of its own: ${item.basis}`;
  return `~${Math.round(item.estInitMs)} ms of billed INIT per cold start (${item.basis.split(':')[0]})`;
}

export default defineRule({
  meta: {
    id: 'runtime-addition',
    description: 'Disallow costly runtime additions to INIT (layers, extensions, NODE_OPTIONS flags, exec wrappers)',
    rationale:
      'Layers, extensions, NODE_OPTIONS preloads and exec wrappers run inside INIT on every cold start, which AWS bills for managed runtimes since 2025-08-01, yet they appear in no import graph.',
    severity: 'warn',
    category: 'init-cost',
    options: {
      thresholdMs: {
        type: 'number',
        minimum: 0,
        default: 50,
        description: 'Additions estimated at this many ms or more are reported as warn, the rest as info',
      },
    },
  },
  check(ctx) {
    const additions = ctx.graph.closure.runtimeAdditions;
    if (!additions) return;
    const threshold = ctx.options.thresholdMs;
    // One finding per IaC line: a `layers:` list may be reported on one line for all its entries.
    const byLine = new Map<string, RuntimeAddition[]>();
    for (const item of additions.items) {
      // The function's own layer is priced where its modules are imported: nothing to say here.
      if (item.kind === 'layer' && item.basis.startsWith("this repository's own layer")) continue;
      const key = `${item.file}\0${item.line}`;
      byLine.set(key, [...(byLine.get(key) ?? []), item]);
    }
    for (const items of byLine.values()) {
      const first = items[0];
      if (first === undefined) continue;
      const priced = items.filter((i) => i.estInitMs !== null);
      const ms = priced.length === 0 ? null : Math.round(priced.reduce((s, i) => s + (i.estInitMs ?? 0), 0) * 10) / 10;
      const what = items.map((item) => `${item.what} (${item.ref}): ${costOf(item)}`).join('; ');
      const kinds = [...new Set(items.map((i) => i.kind))];
      ctx.report({
        file: first.file,
        line: first.line,
        column: 1,
        estInitMs: ms,
        severity: ms !== null && ms >= threshold ? 'warn' : 'info',
        message: `${items.length > 1 ? `${items.length} additions run` : 'Runs'} at init before the handler: ${what}. ${kinds.map((k) => FIX[k]).join(' ')}`,
      });
    }
  },
});
