import { closureCalls, defineRule, perFile, reportCall } from '../src/engine/rule.js';

const moduleScopeCalls = perFile((facts) => facts.calls.filter((c) => c.fn === null));
const topLevelAwaitLines = perFile((facts) => new Set(facts.topLevelAwaits.map((t) => t.line)));

export default defineRule({
  meta: {
    id: 'module-scope-io',
    description: 'Disallow network and disk I/O at module scope and in top-level await',
    rationale:
      'I/O at module scope runs inside INIT: it is billed since 2025-08-01, every cold start waits for it, it counts against the 10 s init limit, and a failure there fails the whole init.',
    severity: 'warn',
    category: 'init-cost',
    options: {},
  },
  check(ctx) {
    for (const { file, facts, call: c } of closureCalls(ctx, moduleScopeCalls, false)) {
      const viaHelper = c.io === null;
      if (viaHelper && !(c.root !== null && c.root === c.callee && ctx.callsIo(file, c.root))) continue;
      const what = c.argNew ? `${c.callee}(new ${c.argNew}(...))` : `${c.callee}(...)`;
      const how = c.awaited && topLevelAwaitLines(facts).has(c.line) ? 'with top-level await' : 'at module scope';
      reportCall(
        ctx,
        { file, call: c },
        `${what} runs ${how}${viaHelper ? ' and does I/O' : ''}: the round trip happens inside INIT, which is billed and which every cold start waits for (a failure fails the init). ` +
          'Do it on first use inside the handler and cache the result in a module variable, or read it from a cached source (Parameters and Secrets extension, Powertools parameters).',
      );
    }
  },
});
