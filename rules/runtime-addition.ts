import { defineRule, numberOption } from '../src/engine/rule.js';
import type { RuntimeAddition } from '../src/model/result.js';

const FIX: Record<RuntimeAddition['kind'], string> = {
  layer:
    'Keep it only where its data is used: attach the layer to the functions you monitor, load only the instrumentations you need, or bundle the library with esbuild instead of loading it from /opt.',
  'node-option':
    'Drop the flag from NODE_OPTIONS in production (upload source maps to your error tracker instead), or preload less.',
  'exec-wrapper':
    'Remove AWS_LAMBDA_EXEC_WRAPPER where the wrapper is not needed, or start the instrumentation from the handler module so it can be bundled.',
};

export default defineRule({
  meta: {
    id: 'runtime-addition',
    description: 'Disallow costly runtime additions to INIT (layers, extensions, NODE_OPTIONS flags, exec wrappers)',
    rationale:
      'Layers, extensions, NODE_OPTIONS preloads and exec wrappers run inside INIT on every cold start, which AWS bills for managed runtimes since 2025-08-01, yet they appear in no import graph.',
    severity: 'warn',
    category: 'init-cost',
    defaultOptions: { thresholdMs: 50 },
  },
  check(ctx) {
    const additions = ctx.graph.closure.runtimeAdditions;
    if (!additions) return;
    const threshold = numberOption(ctx, 'thresholdMs');
    for (const item of additions.items) {
      // The function's own layer is priced where its modules are imported: nothing to say here.
      if (item.kind === 'layer' && item.basis.startsWith("this repository's own layer")) continue;
      const cost =
        item.estInitMs === null
          ? 'not priced (see the basis: the catalog has no figure for it)'
          : item.estInitMs === 0
            ? `0 ms of its own: ${item.basis}`
            : `~${Math.round(item.estInitMs)} ms of billed INIT per cold start (${item.basis.split(':')[0]})`;
      ctx.report({
        file: item.file,
        line: item.line,
        column: 1,
        estInitMs: item.estInitMs,
        severity: item.estInitMs !== null && item.estInitMs >= threshold ? 'warn' : 'info',
        message: `${item.what} (${item.ref}) runs at init before the handler: ${cost}. ${FIX[item.kind]}`,
      });
    }
  },
});
