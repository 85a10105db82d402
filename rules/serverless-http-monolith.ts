import { defineRule } from '../src/engine/rule.js';
import { normalizeBuiltin } from '../src/graph/io-catalog.js';

/** Packages that run a web framework app inside a Lambda handler. */
const ADAPTERS: ReadonlySet<string> = new Set([
  'serverless-http',
  '@vendia/serverless-express',
  '@codegenie/serverless-express',
  'aws-serverless-express',
  '@fastify/aws-lambda',
  '@hono/aws-lambda',
  'hono/aws-lambda',
  'lambda-api',
]);
const FRAMEWORKS = ['express', 'koa', '@koa/router', 'koa-router', 'fastify', 'hono', '@nestjs/core', 'restify'];

export default defineRule({
  meta: {
    id: 'serverless-http-monolith',
    description: 'Disallow a whole web framework app with several routes behind one Lambda handler',
    rationale:
      'Every cold start loads the framework, the adapter and the dependencies of every route, even when a request needs one route; routing inside the app also hides each route from per-route metrics, memory and IAM.',
    severity: 'warn',
    category: 'io',
    options: {
      minRoutes: {
        type: 'number',
        integer: true,
        minimum: 1,
        default: 2,
        description: 'Report apps with at least this many routes',
      },
    },
  },
  check(ctx) {
    const minRoutes = ctx.options.minRoutes;
    const file = ctx.fn.handler.file;
    if (file === null) return;
    const facts = ctx.facts.get(file);
    if (!facts) return;
    const exported =
      facts.exports.find((e) => e.name === ctx.fn.handler.export) ??
      (ctx.fn.handler.export === 'default' ? facts.exports.find((e) => e.name === '=') : undefined);
    if (!exported) return;
    // `serverless(app)` as the export, or called inside the exported function.
    const adapterOf = (name: string): string | null => {
      const b = facts.bindings[name];
      return b && ADAPTERS.has(normalizeBuiltin(b.specifier)) ? b.specifier : null;
    };
    let adapter: string | null = null;
    for (const ref of exported.refs) adapter ??= adapterOf(ref);
    if (adapter === null && exported.fn !== null) {
      for (const c of facts.calls) if (c.fn === exported.fn && c.root !== null) adapter ??= adapterOf(c.root);
    }
    if (adapter === null) return;

    const routes: string[] = [];
    for (const key of ctx.reachable) {
      const hash = key.lastIndexOf('#');
      const f = ctx.facts.get(key.slice(0, hash));
      const fn = f?.functions.find((x) => x.id === Number(key.slice(hash + 1)));
      if (fn?.route) routes.push(fn.route);
    }
    const distinct = [...new Set(routes)].sort();
    if (distinct.length < minRoutes) return;
    const frameworks = ctx.graph.closure.packages.filter((p) => FRAMEWORKS.includes(p.name) || p.name === adapter);
    const ms = frameworks.reduce((s, p) => s + (p.estInitMs ?? 0), 0);
    const loaded = frameworks.map((p) => p.name).join(' + ') || adapter;
    const shown = distinct.slice(0, 6).join(', ') + (distinct.length > 6 ? `, … (${distinct.length - 6} more)` : '');
    ctx.report({
      file,
      line: exported.line,
      column: exported.column,
      message:
        `The handler runs a web app with ${distinct.length} routes (${shown}) behind ${adapter}: every cold start loads ${loaded}` +
        `${ms > 0 ? ` (~${Math.round(ms)} ms)` : ''} and the code of every route, even when a request needs one. ` +
        'Split it into one function per route (API Gateway routes each to a small handler), or at least route API Gateway events directly without the framework. ' +
        'In Rust the routes map to an axum Router behind lambda_http.',
    });
  },
});
