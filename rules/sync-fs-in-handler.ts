import { closureCalls, defineRule, perFile, reportCall } from '../src/engine/rule.js';

/** Blocking fs calls inside functions; whether they run per request depends on the handler. */
const syncFsCalls = perFile((facts) => facts.calls.filter((c) => c.fn !== null && c.io === 'fs' && c.name.endsWith('Sync')));

export default defineRule({
  meta: {
    id: 'sync-fs-in-handler',
    description: 'Disallow synchronous file system calls in code that runs per request',
    rationale:
      'readFileSync and friends block the event loop for the whole disk round trip on every request; the work that does not change between requests belongs at init, the rest should be async.',
    severity: 'warn',
    category: 'io',
    options: {},
  },
  check(ctx) {
    for (const { file, call: c } of closureCalls(ctx, syncFsCalls, true)) {
      const where = c.inLoop ? ' inside a loop' : '';
      reportCall(
        ctx,
        { file, call: c },
        `${c.callee}(...) blocks the event loop${where} on every request: the function waits for the disk with nothing else running, ` +
          'and Lambda bills that time. Read files that do not change (templates, config, certificates) once at module scope or on first use into a ' +
          `module variable; use the async ${c.name.replace(/Sync$/, '')} from 'node:fs/promises' for per-request files. In Rust: include_str!/once_cell for fixed files, tokio::fs otherwise.`,
      );
    }
  },
});
