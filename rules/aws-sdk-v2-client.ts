import { closureFacts, defineRule, perFile, siteAt } from '../src/engine/rule.js';

/** `aws-sdk/clients/<svc>` and `aws-sdk/global`, with or without `.js`. */
const V2_PART = /^aws-sdk\/(clients\/([a-z0-9]+)|global)(?:\.js)?$/;

/** A file's v2 imports with the service each names (undefined for aws-sdk/global), found once per file. */
const v2Imports = perFile((facts) =>
  facts.imports.flatMap((imp) => {
    const m = V2_PART.exec(imp.specifier);
    return m ? [{ imp, service: m[2] }] : [];
  }),
);

/** v2 client module -> v3 client package, where the name is not simply `client-<svc>`. */
const V3_NAME: Readonly<Record<string, string>> = {
  cognitoidentityserviceprovider: 'client-cognito-identity-provider',
  cognitoidentity: 'client-cognito-identity',
  stepfunctions: 'client-sfn',
  iotdata: 'client-iot-data-plane',
  cloudwatchlogs: 'client-cloudwatch-logs',
  cloudwatchevents: 'client-cloudwatch-events',
  elbv2: 'client-elastic-load-balancing-v2',
  elb: 'client-elastic-load-balancing',
  secretsmanager: 'client-secrets-manager',
  resourcegroupstaggingapi: 'client-resource-groups-tagging-api',
  apigatewaymanagementapi: 'client-apigatewaymanagementapi',
};

function v3For(service: string): string {
  const client = `@aws-sdk/${V3_NAME[service] ?? `client-${service}`}`;
  return service === 'dynamodb' ? `${client} with @aws-sdk/lib-dynamodb (for DocumentClient)` : client;
}

export default defineRule({
  meta: {
    id: 'aws-sdk-v2-client',
    description: 'Disallow AWS SDK v2 per-service imports (aws-sdk/clients/*, aws-sdk/global)',
    rationale:
      'A v2 service client still loads the v2 core and its service model, ships the whole aws-sdk package (not in the nodejs18.x and later runtimes) and has reached end of support; the v3 client for the same service is modular.',
    severity: 'warn',
    category: 'init-cost',
    options: {},
  },
  check(ctx) {
    for (const { file, facts } of closureFacts(ctx)) {
      for (const { imp, service } of v2Imports(facts)) {
        const site = imp.init ? siteAt(ctx.graph, file, imp) : undefined;
        const cost = site && ctx.packageCost ? ctx.packageCost(site) : null;
        const ms = cost?.estInitMs ?? null;
        const priced = !imp.init
          ? 'loaded lazily, so no init cost, but it still ships the whole v2 package'
          : ms !== null
            ? `~${Math.round(ms)} ms of billed INIT per cold start (${cost?.basis ?? 'catalog'})`
            : `not priced (the catalog has no entry '${imp.specifier.replace(/\.js$/, '')}'${cost ? `: ${cost.basis}` : ''})`;
        const fix =
          service !== undefined
            ? `Replace it with ${v3For(service)}, and call commands with client.send(...)`
            : 'It sets up v2 credentials and configuration for the v2 clients; v3 clients take their configuration per client (region, credentials from @aws-sdk/credential-providers), so drop it with the last v2 client';
        ctx.report({
          file,
          line: imp.line,
          column: imp.column,
          estInitMs: imp.init ? ms : null,
          chain: ctx.graph.chainOf(file),
          message:
            `AWS SDK v2 '${imp.specifier}' is ${imp.init ? 'loaded at init' : 'imported'}: ${priced}. ` +
            `v2 is past end of support and is not in the nodejs18.x and later runtimes, so the whole aws-sdk package is deployed with it. ${fix}.`,
        });
      }
    }
  },
});
