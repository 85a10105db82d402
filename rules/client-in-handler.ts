import { closureCalls, defineRule, perFile, reportCall } from '../src/engine/rule.js';
import { isClientFactory } from '../src/graph/io-catalog.js';

/** Calls in functions that create a client; whether they run per request depends on the handler. */
const clientFactories = perFile((facts) =>
  facts.calls.filter((c) => c.fn !== null && c.module !== null && isClientFactory(c.module, c.callee.replace(/^new /, ''), c.isNew)),
);

export default defineRule({
  meta: {
    id: 'client-in-handler',
    description: 'Disallow constructing SDK and database clients inside the code that runs per request',
    rationale:
      'A client created per invocation repeats credential resolution, TLS handshakes and connection setup on every request instead of once per execution environment.',
    severity: 'warn',
    category: 'io',
    options: {},
  },
  check(ctx) {
    for (const { file, call: c } of closureCalls(ctx, clientFactories, true)) {
      reportCall(
        ctx,
        { file, call: c },
        `${c.callee}(...) (${c.module}) is created inside code that runs on every request: each invocation pays for a new client ` +
          '(credential resolution, TLS handshake, connection setup, a few ms of CPU) and loses connection reuse. ' +
          'Create it once at module scope (or lazily on first use into a module variable) and reuse it.',
      );
    }
  },
});
