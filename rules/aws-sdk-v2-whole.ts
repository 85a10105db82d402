import { closureFacts, defineRule, perFile } from '../src/engine/rule.js';

const importsWholeSdk = perFile((facts) => facts.imports.some((i) => i.specifier === 'aws-sdk'));

export default defineRule({
  meta: {
    id: 'aws-sdk-v2-whole',
    description: 'Disallow loading the whole AWS SDK for JavaScript v2 (aws-sdk)',
    rationale:
      'The v2 SDK loads every service model it ships, is not included in the nodejs18.x and later runtimes (so it is bundled into the deployment package), and has reached end of support.',
    severity: 'warn',
    category: 'init-cost',
    options: {},
  },
  check(ctx) {
    const pkg = ctx.graph.closure.packages.find((p) => p.name === 'aws-sdk');
    // The closure already knows whether aws-sdk is imported anywhere in it, at init or lazily.
    if (!pkg && !ctx.graph.closure.lazy.some((l) => l.specifier === 'aws-sdk')) return;
    for (const { file, facts } of closureFacts(ctx)) {
      if (!importsWholeSdk(facts)) continue;
      const services = new Set<string>();
      for (const c of facts.calls) {
        if (c.isNew && c.module === 'aws-sdk') {
          // `new AWS.DynamoDB.DocumentClient()` -> DynamoDB.DocumentClient
          const name = c.callee.replace(/^new /, '').split('.').slice(1).join('.');
          if (name) services.add(name);
        }
      }
      const used = services.size > 0 ? ` (used here: ${[...services].sort().join(', ')})` : '';
      for (const imp of facts.imports) {
        if (imp.specifier !== 'aws-sdk') continue;
        const cost = imp.init && pkg?.estInitMs != null ? `~${Math.round(pkg.estInitMs)} ms of billed INIT per cold start` : 'its load time';
        ctx.report({
          file,
          line: imp.line,
          column: imp.column,
          estInitMs: imp.init ? (pkg?.estInitMs ?? null) : null,
          chain: ctx.graph.chainOf(file),
          message:
            `The whole AWS SDK v2 is loaded${imp.init ? ' at init' : ''}${used}: ${cost}, and it must be bundled because nodejs18.x and later runtimes do not ship it. ` +
            'Replace it with the modular v3 clients for the services you call (@aws-sdk/client-dynamodb with @aws-sdk/lib-dynamodb, @aws-sdk/client-s3, ...).',
        });
      }
    }
  },
});
