import { defineRule } from '../src/engine/rule.js';

/**
 * Fix hints for packages with a well-known lighter path. Kept short: the message carries one.
 * Anything not listed gets the generic advice (lazy import, deep import, bundling).
 */
const FIX_HINTS: Readonly<Record<string, string>> = {
  'aws-sdk': 'switch to the modular v3 clients (@aws-sdk/client-<service>) for the services you call',
  moment: 'use date-fns deep imports or the built-in Intl APIs',
  'moment-timezone': 'use Intl.DateTimeFormat with timeZone, or date-fns-tz',
  lodash: 'import the functions you use (lodash/get) or use the built-ins',
  express: 'route API Gateway events directly (or a light router) instead of an express app',
  mongoose: 'open the connection once and load the models lazily, or use the plain mongodb driver',
  axios: 'use the built-in fetch (Node 18+)',
  'node-fetch': 'use the built-in fetch (Node 18+)',
  winston: 'log JSON to stdout (console or pino) and let CloudWatch Logs take it',
  'date-fns': 'import the functions you use (date-fns/format) so the bundler keeps only those',
  joi: 'validate with a lighter schema library or a compiled validator',
};

function isModularAwsSdk(name: string): boolean {
  return name.startsWith('@aws-sdk/');
}

export default defineRule({
  meta: {
    id: 'heavy-init-import',
    description: 'Disallow packages on the init path whose measured load cost is over a threshold',
    rationale:
      'Everything imported at module scope loads during INIT, which Lambda bills for Node.js since 2025-08-01 and which every cold start waits for.',
    severity: 'warn',
    category: 'init-cost',
    options: {
      thresholdMs: {
        type: 'number',
        default: 20,
        minimum: 0,
        description: 'Report a package when its estimated load cost in ms is at or above this value',
      },
      // aws-sdk (v2) has its own rule, aws-sdk-v2-whole, which carries the same estimate.
      ignorePackages: {
        type: 'string',
        default: 'aws-sdk',
        description: "Comma-separated packages never reported (the config file's allow.packages join them)",
      },
    },
  },
  check(ctx) {
    const threshold = ctx.options.thresholdMs;
    const ignored = new Set(
      ctx.options.ignorePackages
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    );
    for (const pkg of ctx.graph.closure.packages) {
      if (pkg.estInitMs === null || pkg.estInitMs < threshold || ignored.has(pkg.name)) continue;
      const site = ctx.graph.packageSites.find((s) => s.name === pkg.name);
      if (!site) continue;
      const via = pkg.chain.length > 1 ? ` via ${pkg.chain.join(' > ')}` : '';
      const cost = `costs ~${Math.round(pkg.estInitMs)} ms of billed INIT on every cold start (${pkg.basis})`;
      // The modular v3 SDK is already the lean way to call AWS from Node: telling people to
      // lazy-load a client every request uses would contradict client-in-handler.
      const sdk = isModularAwsSdk(pkg.name);
      const advice = sdk
        ? 'It is the modular v3 SDK already: keep the client at module scope if most requests use it, or load it on first use if few do. ' +
          'This cost is the floor in Node; LLRT embeds the SDK and a Rust port uses the aws-sdk-rust crate instead.'
        : `Import it inside the function that needs it (await import('${site.specifier}')) if few requests use it, or ${FIX_HINTS[pkg.name] ?? 'bundle and tree-shake it (esbuild), or drop it'}.`;
      ctx.report({
        file: site.file,
        line: site.line,
        column: site.column,
        estInitMs: pkg.estInitMs,
        chain: pkg.chain,
        ...(sdk ? { severity: 'info' as const } : {}),
        message: `'${site.specifier}' is loaded at init${via} and ${cost}. ${advice}`,
      });
    }
  },
});
