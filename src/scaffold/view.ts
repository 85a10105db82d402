import type { FunctionEvent, TriggerKind } from '../discover/events.js';
import type { ExtractedRoute, RouteTable } from '../graph/routes.js';
import type { Evidence, FunctionResult } from '../model/result.js';
import { compareStrings } from '../util/compare.js';
import { resolveCrates, type CrateNeeds, type CrateVersions, type DependencyLine } from './crates.js';
import { samplePath, toAxumPath } from './paths.js';
import { commentText, crateName, hclString, jsString, pascalIdent, rustStringBody, snakeIdent, UniqueNames, yamlString } from './sanitize.js';

/**
 * Everything the templates show, decided here: names made into identifiers, untrusted text sanitised, lines
 * pre-formatted the way rustfmt would format them. Templates only place these values.
 */

/** What `scaffoldFiles` needs: the function as the scan saw it, plus what only the scaffold reads. */
export interface ScaffoldInput {
  fn: FunctionResult;
  /** Triggers declared in the IaC (src/discover/events.ts); empty when the IaC kind is not read. */
  events: readonly FunctionEvent[];
  /** The handler's framework app routes, or null when the handler is not an app (src/graph/routes.ts). */
  routes: RouteTable | null;
  /** `aws-lambda` type names the handler file imports (`SQSEvent`): the event shape when the IaC says nothing. */
  eventTypesInSource: readonly string[];
  /** AWS SDK v2 services the handler's init files create clients for. */
  sdkV2Services: readonly string[];
  versions: CrateVersions;
  /** The CloudWatch Logs Insights query the tool measures cold starts with (src/metrics/insights-query.ts). */
  insightsQuery: string;
}

export type EventKind = Exclude<TriggerKind, 'http' | 'other'>;

interface Signature {
  /** The function's signature, as rustfmt lays it out (one line when it fits in 100 columns). */
  lines: string[];
}

export interface ParamView {
  field: string;
  /** The name in the path when it differs from the field (a `#[serde(rename)]`), already a Rust string body. */
  rename: string | null;
}

export interface RouteView {
  fnName: string;
  typeName: string;
  method: string;
  /** Lines of `.route(...)` in the router, laid out as rustfmt would. */
  routeLines: string[];
  samplePath: string;
  sampleMethod: string;
  params: ParamView[];
  hasParams: boolean;
  hasBody: boolean;
  signature: Signature;
  /** `logic::XInput { params, body }` as the shell builds it. */
  inputExpr: string;
  inputEmpty: boolean;
  coreSignature: Signature;
  /** Where the logic to port is, for the comment above the `todo!()`. */
  portFrom: string;
  /** The test's input value, one Rust line each (8 spaces in). */
  testInput: string[];
  comments: string[];
  docs: string[];
}

export interface EventView {
  kind: EventKind;
  typePath: string;
  typeName: string;
  feature: string;
  sampleFile: string;
  perRecord: boolean;
  batchItemFailures: boolean;
  fnName: string;
  typeName_: string;
  inputFields: { name: string; type: string; expr: string }[];
  coreSignature: Signature;
  portFrom: string;
  testInput: string[];
  comments: string[];
  docs: string[];
  /** Test of the sample file: what is asserted after parsing it. */
  sampleAssert: string;
}

export interface ScaffoldView {
  packageName: string;
  /** One line saying what this crate ports, sanitised. */
  origin: string;
  mode: 'http' | 'event';
  http: boolean;
  routes: RouteView[];
  routeMethods: string;
  usesPath: boolean;
  usesBody: boolean;
  event: EventView | null;
  dependencies: DependencyLine[];
  devDependencies: string[];
  unmapped: { package: string; note: string }[];
  hasUnmapped: boolean;
  clients: { field: string; crate: string; module: string; comment: string }[];
  hasClients: boolean;
  sharedIo: string[];
  hasSharedIo: boolean;
  notes: string[];
  hasNotes: boolean;
  insightsQuery: string;
  deploy: DeployView;
}

export interface DeployView {
  kind: 'serverless' | 'sam' | 'cdk' | 'terraform';
  serverless: boolean;
  sam: boolean;
  cdk: boolean;
  terraform: boolean;
  file: string;
  /** Where the Node function is declared (sanitised for a comment). */
  declaredIn: string;
  /** The function's name, quoted for each format. */
  nameYaml: string;
  nameJs: string;
  deployedNameHcl: string;
  /** An identifier for a SAM logical id / Terraform resource name. */
  logicalId: string;
  resourceName: string;
  memoryMB: number;
  timeoutS: number;
  /** The cargo-lambda output folder (`target/lambda/<binary>`). */
  binary: string;
}

const EVENT_TYPES: Readonly<Record<EventKind, { module: string; type: string; feature: string; perRecord: boolean; sampleAssert: string }>> = {
  sqs: { module: 'sqs', type: 'SqsEvent', feature: 'sqs', perRecord: true, sampleAssert: 'assert_eq!(event.records.len(), 1);' },
  sns: { module: 'sns', type: 'SnsEvent', feature: 'sns', perRecord: true, sampleAssert: 'assert_eq!(event.records.len(), 1);' },
  s3: { module: 's3', type: 'S3Event', feature: 's3', perRecord: true, sampleAssert: 'assert_eq!(event.records.len(), 1);' },
  dynamodb: { module: 'dynamodb', type: 'Event', feature: 'dynamodb', perRecord: true, sampleAssert: 'assert_eq!(event.records.len(), 1);' },
  kinesis: { module: 'kinesis', type: 'KinesisEvent', feature: 'kinesis', perRecord: true, sampleAssert: 'assert_eq!(event.records.len(), 1);' },
  eventbridge: {
    module: 'eventbridge',
    type: 'EventBridgeEvent',
    feature: 'eventbridge',
    perRecord: false,
    sampleAssert: 'assert!(!event.detail_type.is_empty());',
  },
  schedule: {
    module: 'eventbridge',
    type: 'EventBridgeEvent',
    feature: 'eventbridge',
    perRecord: false,
    sampleAssert: 'assert_eq!(event.detail_type, "Scheduled Event");',
  },
};

/** What the shell passes the core for one record (or the whole event), per kind: field, type, expression. */
const EVENT_INPUTS: Readonly<Record<EventKind, { name: string; type: string; expr: string }[]>> = {
  sqs: [
    { name: 'message_id', type: 'String', expr: 'record.message_id.clone().unwrap_or_default()' },
    { name: 'body', type: 'String', expr: 'record.body.clone().unwrap_or_default()' },
  ],
  sns: [
    { name: 'message_id', type: 'String', expr: 'record.sns.message_id.clone()' },
    { name: 'message', type: 'String', expr: 'record.sns.message.clone()' },
  ],
  s3: [
    { name: 'bucket', type: 'String', expr: 'record.s3.bucket.name.clone().unwrap_or_default()' },
    { name: 'key', type: 'String', expr: 'record.s3.object.key.clone().unwrap_or_default()' },
  ],
  dynamodb: [
    { name: 'event_name', type: 'String', expr: 'record.event_name.clone()' },
    { name: 'change', type: 'serde_json::Value', expr: 'serde_json::to_value(&record.change).unwrap_or_default()' },
  ],
  kinesis: [{ name: 'record', type: 'serde_json::Value', expr: 'serde_json::to_value(record).unwrap_or_default()' }],
  eventbridge: [
    { name: 'detail_type', type: 'String', expr: 'event.payload.detail_type.clone()' },
    { name: 'detail', type: 'serde_json::Value', expr: 'event.payload.detail.clone()' },
  ],
  schedule: [{ name: 'detail_type', type: 'String', expr: 'event.payload.detail_type.clone()' }],
};

/** `aws-lambda` type names -> the event kind they stand for. */
const SOURCE_TYPES: Readonly<Record<string, EventKind | 'http'>> = {
  SQSEvent: 'sqs',
  SQSHandler: 'sqs',
  SNSEvent: 'sns',
  SNSHandler: 'sns',
  S3Event: 's3',
  S3Handler: 's3',
  DynamoDBStreamEvent: 'dynamodb',
  DynamoDBStreamHandler: 'dynamodb',
  KinesisStreamEvent: 'kinesis',
  KinesisStreamHandler: 'kinesis',
  EventBridgeEvent: 'eventbridge',
  EventBridgeHandler: 'eventbridge',
  ScheduledEvent: 'schedule',
  ScheduledHandler: 'schedule',
  APIGatewayProxyEvent: 'http',
  APIGatewayProxyEventV2: 'http',
  APIGatewayProxyHandler: 'http',
  APIGatewayProxyHandlerV2: 'http',
  ALBEvent: 'http',
  LambdaFunctionURLEvent: 'http',
};

const AXUM_METHODS: Readonly<Record<string, string>> = {
  GET: 'get',
  POST: 'post',
  PUT: 'put',
  PATCH: 'patch',
  DELETE: 'delete',
  HEAD: 'head',
  OPTIONS: 'options',
  ANY: 'any',
};

const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'ANY']);
const WIDTH = 100;
/** rustfmt's `fn_call_width`: wider arguments go one per line. */
const CALL_WIDTH = 60;
/** Names main.rs defines itself: a route fn must not take them. */
const RESERVED = [
  'main',
  'router',
  'init_tracing',
  'handle',
  'tests',
  'test_state',
  'logic',
  'core',
  'any',
  'delete',
  'get',
  'head',
  'options',
  'patch',
  'post',
  'put',
];

interface RawRoute {
  /** Where the logic to port is. */
  portFrom: string;
  method: string;
  declaredPath: string;
  label: string;
  origin: string[];
  io: Evidence[];
  noIoNote: string;
}

export function buildView(input: ScaffoldInput): ScaffoldView {
  const { fn } = input;
  const notes: string[] = [];
  const handlerAt = `${fn.handler.file ?? fn.handler.declared}:${fn.handler.line ?? '?'}`;
  const evidence = (fn.ioTangle?.evidence ?? []).filter((e) => !e.what.startsWith('route '));
  const appRoutes = input.routes?.routes ?? [];
  const httpEvents = input.events.filter((e) => e.kind === 'http');
  const otherEvents = input.events.filter((e): e is FunctionEvent & { kind: EventKind } => e.kind !== 'http' && e.kind !== 'other');
  const sourceKinds = input.eventTypesInSource.map((t) => SOURCE_TYPES[t]).filter((k): k is EventKind | 'http' => k !== undefined);

  const { mode, eventKind, trigger } = triggerOf(input, otherEvents, sourceKinds, httpEvents.length + appRoutes.length > 0, notes);

  // Routes: from the app's route table, else from the IaC's HTTP events, else one catch-all.
  const raw: RawRoute[] = [];
  const usedEvidence = new Set<Evidence>();
  if (mode === 'http' && appRoutes.length > 0) {
    for (const r of appRoutes) {
      const io = evidence.filter((e) => inHandler(e, r));
      for (const e of io) usedEvidence.add(e);
      const h = r.handler;
      raw.push({
        portFrom:
          h.file !== null && h.line !== null
            ? `Port the Node code of ${r.method} ${r.path}: ${h.file}:${h.line}-${h.endLine ?? h.line}`
            : `Port the Node code of ${r.method} ${r.path}: ${h.name ?? 'the handler'} registered at ${r.file}:${r.line}`,
        method: r.method,
        declaredPath: r.path,
        label: `${r.method} ${r.path}`,
        origin: routeOrigin(r),
        io,
        noIoNote: 'No I/O found in this route by the analysis.',
      });
    }
    notes.push(...(input.routes?.notes ?? []));
  } else if (mode === 'http') {
    const sources = httpEvents.length > 0 ? httpEvents : [null];
    for (const e of sources) {
      const method = e?.method ?? 'ANY';
      const declaredPath = e?.path ?? '/';
      for (const x of evidence) usedEvidence.add(x);
      raw.push({
        portFrom: `Port the Node code of the export ${fn.handler.export} at ${handlerAt}`,
        method: AXUM_METHODS[method] !== undefined ? method : 'ANY',
        declaredPath,
        label: `${method} ${declaredPath}`,
        origin: [
          `${method} ${declaredPath} replaces the export ${fn.handler.export} of ${handlerAt}`,
          e !== null ? `(${e.declared} event at ${e.file}:${e.line})` : '(no HTTP event in the IaC: one catch-all route)',
        ],
        io: evidence,
        noIoNote: 'No I/O found in this handler by the analysis.',
      });
    }
  }
  if (mode === 'event') for (const e of evidence) usedEvidence.add(e);
  const sharedIo = evidence.filter((e) => !usedEvidence.has(e)).map((e) => commentText(`${e.file}:${e.line} ${e.what}`));

  const names = new UniqueNames(RESERVED);
  const routes = mode === 'http' ? routeViews(raw, names, notes) : [];
  const event = mode === 'event' && eventKind !== null ? eventView(eventKind, trigger, fn, handlerAt, evidence, names) : null;

  const packages = fn.portability?.packages ?? [];
  // The local server's tokio::net::TcpListener needs tokio's `net` feature: asked for here rather than left to
  // axum's `tokio` feature turning it on.
  const tokioHttpFeatures = [...new Set([...(input.versions.get('tokio')?.features ?? ['macros', 'rt-multi-thread']), 'net'])];
  const base = baseCrates(mode, eventKind, event?.feature ?? 'sqs', tokioHttpFeatures);
  const crates = resolveCrates({ base, packages, sdkV2Services: input.sdkV2Services }, input.versions);
  const clientNames = new UniqueNames(['config']);
  const clients = crates.sdkClients.map((c) => ({
    field: clientNames.take(snakeIdent(c.crate.replace(/^aws-sdk-/, ''))),
    crate: c.crate,
    module: c.crate.replace(/-/g, '_'),
    comment: commentText(`${c.crate} client: replaces ${c.replaces}`),
  }));
  const devDependencies: string[] = [];
  if (mode === 'http') {
    const tower = input.versions.get('tower');
    const towerHttp = input.versions.get('tower-http');
    if (tower) devDependencies.push(`tower = { version = "${tower.version}", features = ["util"] }`);
    if (towerHttp) devDependencies.push(`tower-http = { version = "${towerHttp.version}", features = ["catch-panic"] }`);
  }

  const packageName = crateName(fn.name);
  return {
    packageName,
    origin: commentText(`${fn.name} (${fn.id}), export ${fn.handler.export} of ${handlerAt}`),
    mode,
    http: mode === 'http',
    routes,
    routeMethods: [...new Set(routes.map((r) => AXUM_METHODS[r.method] ?? 'any'))].sort(compareStrings).join(', '),
    usesPath: routes.some((r) => r.hasParams),
    usesBody: routes.some((r) => r.hasBody),
    event,
    dependencies: crates.dependencies,
    devDependencies,
    unmapped: crates.unmapped,
    hasUnmapped: crates.unmapped.length > 0,
    clients,
    hasClients: clients.length > 0,
    sharedIo,
    hasSharedIo: sharedIo.length > 0,
    notes: [...new Set(notes.map(commentText))],
    hasNotes: notes.length > 0,
    insightsQuery: input.insightsQuery,
    deploy: deployView(fn, packageName),
  };
}

/**
 * HTTP when the app has routes or the IaC HTTP events; else the first other event the IaC declares, else the event
 * type the handler's aws-lambda types name. Says in `notes` what the scaffold leaves out.
 */
function triggerOf(
  input: ScaffoldInput,
  otherEvents: Array<FunctionEvent & { kind: EventKind }>,
  sourceKinds: Array<EventKind | 'http'>,
  hasHttp: boolean,
  notes: string[],
): { mode: 'http' | 'event'; eventKind: EventKind | null; trigger: FunctionEvent | null } {
  let mode: 'http' | 'event' = 'http';
  let eventKind: EventKind | null = null;
  let trigger: FunctionEvent | null = null;
  if (!hasHttp) {
    const first = otherEvents[0];
    const fromSource = sourceKinds[0];
    if (first) {
      mode = 'event';
      eventKind = first.kind;
      trigger = first;
    } else if (fromSource !== undefined && fromSource !== 'http') {
      mode = 'event';
      eventKind = fromSource;
      notes.push(`event type ${eventKind} taken from the handler's aws-lambda types: the IaC declares no event the scaffold reads`);
    }
  }
  for (const e of input.events.filter((x) => x.kind === 'other'))
    notes.push(`event ${e.declared} at ${e.file}:${e.line} has no scaffold shape: port it by hand`);
  if (mode === 'http' && otherEvents.length > 0) {
    for (const e of otherEvents)
      notes.push(`the function also has a ${e.kind} event (${e.file}:${e.line}): a second Rust function (lambda_runtime) would handle it`);
  }
  if (mode === 'event' && otherEvents.length > 1) {
    for (const e of otherEvents.slice(1))
      notes.push(`another ${e.kind} event (${e.file}:${e.line}): this scaffold handles the first one (${eventKind ?? ''})`);
  }
  return { mode, eventKind, trigger };
}

/** The crates every scaffold of this mode needs, before the ones the Node packages map to. */
function baseCrates(mode: 'http' | 'event', eventKind: EventKind | null, eventFeature: string, tokioHttpFeatures: string[]): CrateNeeds['base'] {
  return mode === 'http'
    ? [
        { crate: 'axum', why: 'HTTP routing: one Router for the local server and for Lambda' },
        { crate: 'lambda_http', why: 'runs the Router in Lambda (API Gateway / Function URL events to http::Request)' },
        { crate: 'tokio', why: 'async runtime (net: the local server)', features: tokioHttpFeatures },
        { crate: 'tower-http', why: 'CORS, compression and request tracing layers' },
        { crate: 'tracing', why: 'structured logs' },
        { crate: 'tracing-subscriber', why: 'JSON logs for CloudWatch' },
        { crate: 'serde', why: 'request and response types' },
        { crate: 'serde_json', why: 'JSON bodies' },
      ]
    : [
        { crate: 'lambda_runtime', why: 'runs the event handler in Lambda' },
        {
          crate: 'aws_lambda_events',
          why: `the ${eventKind ?? ''} event type`,
          defaultFeatures: false,
          features: [eventFeature],
        },
        { crate: 'tokio', why: 'async runtime' },
        { crate: 'tracing', why: 'structured logs' },
        { crate: 'tracing-subscriber', why: 'JSON logs for CloudWatch' },
        { crate: 'serde', why: 'event and core types' },
        { crate: 'serde_json', why: 'JSON payloads' },
      ];
}

function inHandler(e: Evidence, r: ExtractedRoute): boolean {
  const h = r.handler;
  return h.file !== null && h.line !== null && h.endLine !== null && e.file === h.file && e.line >= h.line && e.line <= h.endLine;
}

function routeOrigin(r: ExtractedRoute): string[] {
  const mounted = r.mountedAt.length > 0 ? ` (on a router mounted at ${r.mountedAt.join(' then ')})` : '';
  const lines = [`${r.method} ${r.localPath}${mounted} replaces ${r.file}:${r.line}`];
  const h = r.handler;
  if (h.file !== null && h.line !== null) {
    lines.push(`handler ${h.name ?? 'inline function'} at ${h.file}:${h.line}-${h.endLine ?? h.line}`);
  } else if (h.name !== null) {
    lines.push(`handler ${h.name} (defined elsewhere: not followed)`);
  }
  if (r.middleware.length > 0) lines.push(`middleware before it: ${r.middleware.join(', ')} (a tower layer or an extractor in axum)`);
  return lines;
}

function routeViews(raw: readonly RawRoute[], names: UniqueNames, notes: string[]): RouteView[] {
  const byShape = new Map<string, string>();
  const taken = new Map<string, string>();
  const out: RouteView[] = [];
  for (const r of raw) {
    const converted = toAxumPath(r.declaredPath);
    for (const n of converted.notes) notes.push(`${r.label}: ${n}`);
    // axum rejects two routes whose parameters differ only in name: the first route's names are kept.
    const path = byShape.get(converted.shape) ?? converted.path;
    byShape.set(converted.shape, path);
    const params = path === converted.path ? converted.params : toAxumPath(path).params;
    const existing = taken.get(path);
    if (existing !== undefined && (existing === r.method || existing === 'ANY' || r.method === 'ANY')) {
      notes.push(`${r.label}: another route already handles ${r.method === 'ANY' ? 'this path' : `${r.method} on this path`}; not added`);
      continue;
    }
    taken.set(path, existing === undefined ? r.method : existing);
    const method = r.method === 'ANY' ? 'any' : r.method.toLowerCase();
    const fnName = names.take(snakeIdent(`${method}_${snakeIdent(r.declaredPath, 'root')}`, 'route'));
    const typeName = pascalIdent(fnName);
    const fields = new UniqueNames();
    const paramViews: ParamView[] = params.map((p) => {
      const field = fields.take(snakeIdent(p, 'param'));
      return { field, rename: field === p ? null : rustStringBody(p) };
    });
    const hasBody = BODY_METHODS.has(r.method);
    const axumMethod = AXUM_METHODS[r.method] ?? 'any';
    const args = ['State(state): State<AppState>'];
    if (paramViews.length > 0) args.push(`Path(params): Path<logic::${typeName}Params>`);
    if (hasBody) args.push('Json(body): Json<Value>');
    out.push({
      fnName,
      typeName,
      method: r.method,
      routeLines: routeLines(rustStringBody(path), `${axumMethod}(${fnName})`),
      samplePath: rustStringBody(samplePath(path)),
      sampleMethod: r.method === 'ANY' ? 'GET' : r.method,
      params: paramViews,
      hasParams: paramViews.length > 0,
      hasBody,
      signature: signature(`async fn ${fnName}(`, args, ') -> Reply {'),
      inputExpr: inputExpr(`logic::${typeName}Input`, [paramViews.length > 0 ? 'params' : null, hasBody ? 'body' : null]),
      inputEmpty: paramViews.length === 0 && !hasBody,
      coreSignature: signature(`pub fn ${fnName}(`, [`input: ${typeName}Input`], `) -> Result<${typeName}Output, CoreError> {`),
      portFrom: commentText(r.portFrom),
      testInput: structLines(`${typeName}Input`, [
        ...(paramViews.length > 0
          ? [
              {
                name: 'params',
                value: {
                  type: `${typeName}Params`,
                  fields: paramViews.map((p, i) => ({ name: p.field, value: `String::from("${rustStringBody(params[i] ?? p.field)}")` })),
                },
              },
            ]
          : []),
        ...(hasBody ? [{ name: 'body', value: 'serde_json::json!({})' }] : []),
      ]),
      comments: [...r.origin, ...ioComments(r.io, r.noIoNote)].map(commentText),
      docs: [
        `Pure logic of ${r.label}: no I/O here.`,
        'The shell reads what this needs, passes it in, and performs the writes the output asks for.',
      ].map(commentText),
    });
  }
  return out;
}

function ioComments(io: readonly Evidence[], none: string): string[] {
  if (io.length === 0) return [none];
  return [
    'I/O the Node code does here (keep it in this shell, through the clients in AppState):',
    ...io.map((e) => `  ${e.file}:${e.line} ${e.what}`),
  ];
}

/**
 * `.route("/x", get(h))` on one line when it fits, else rustfmt's vertical form (8 spaces of indent in the chain):
 * rustfmt breaks a call whose arguments are wider than 60 columns (`fn_call_width`) or whose line is over 100.
 */
function routeLines(path: string, handler: string): string[] {
  const args = `"${path}", ${handler}`;
  const one = `        .route(${args})`;
  if (one.length <= WIDTH && args.length <= CALL_WIDTH) return [one];
  return ['        .route(', `            "${path}",`, `            ${handler},`, '        )'];
}

/** A fn signature as rustfmt lays it out: one line when it fits, else one parameter per line. */
function signature(head: string, args: readonly string[], tail: string): Signature {
  const one = `${head}${args.join(', ')}${tail}`;
  if (one.length <= WIDTH) return { lines: [one] };
  return { lines: [head, ...args.map((a) => `    ${a},`), tail] };
}

function inputExpr(type: string, fields: readonly (string | null)[]): string {
  const list = fields.filter((f): f is string => f !== null);
  return list.length === 0 ? `${type} {}` : `${type} { ${list.join(', ')} }`;
}

interface StructField {
  name: string;
  value: string | { type: string; fields: StructField[] };
}

/**
 * `let input = T { ... };` in a test, 8 spaces in, as rustfmt lays it out: every value here is wider than
 * rustfmt's 18-column struct-literal limit, so each field goes on its own line.
 */
function structLines(type: string, fields: readonly StructField[]): string[] {
  if (fields.length === 0) return [`        let input = ${type} {};`];
  const out = [`        let input = ${type} {`];
  const emit = (list: readonly StructField[], indent: string): void => {
    for (const f of list) {
      if (typeof f.value === 'string') out.push(`${indent}${f.name}: ${f.value},`);
      else {
        out.push(`${indent}${f.name}: ${f.value.type} {`);
        emit(f.value.fields, `${indent}    `);
        out.push(`${indent}},`);
      }
    }
  };
  emit(fields, '            ');
  out.push('        };');
  return out;
}

function eventView(
  kind: EventKind,
  trigger: FunctionEvent | null,
  fn: FunctionResult,
  handlerAt: string,
  evidence: readonly Evidence[],
  names: UniqueNames,
): EventView {
  const t = EVENT_TYPES[kind];
  const fnName = names.take(snakeIdent(`on_${kind}`));
  const typeName = pascalIdent(fnName);
  const origin = [
    `Replaces the export ${fn.handler.export} of ${handlerAt}`,
    trigger !== null ? `(${trigger.declared} event at ${trigger.file}:${trigger.line})` : '(event type from the handler source)',
  ];
  return {
    kind,
    typePath: `aws_lambda_events::event::${t.module}::${t.type}`,
    typeName: t.type,
    feature: t.feature,
    sampleFile: `events/${kind}.json`,
    perRecord: t.perRecord,
    batchItemFailures: kind === 'sqs' && trigger?.batchItemFailures === true,
    fnName,
    typeName_: typeName,
    inputFields: EVENT_INPUTS[kind],
    coreSignature: signature(`pub fn ${fnName}(`, [`input: ${typeName}Input`], `) -> Result<${typeName}Output, CoreError> {`),
    portFrom: commentText(`Port the Node code of the export ${fn.handler.export} at ${handlerAt}`),
    testInput: structLines(
      `${typeName}Input`,
      EVENT_INPUTS[kind].map((f) => ({ name: f.name, value: f.type === 'String' ? 'String::from("sample")' : 'serde_json::json!({})' })),
    ),
    comments: [...origin, ...ioComments(evidence, 'No I/O found in this handler by the analysis.')].map(commentText),
    docs: [
      `Pure logic for one ${t.perRecord ? `${kind} record` : `${kind} event`}: no I/O here.`,
      'The shell reads what this needs, passes it in, and performs the writes the output asks for.',
    ].map(commentText),
    sampleAssert: t.sampleAssert,
  };
}

function deployView(fn: FunctionResult, packageName: string): DeployView {
  const kind: DeployView['kind'] =
    fn.provider === 'serverless' ? 'serverless' : fn.provider === 'cdk' ? 'cdk' : fn.provider === 'terraform' ? 'terraform' : 'sam';
  const file = { serverless: 'deploy/serverless.yml', sam: 'deploy/template.yaml', cdk: 'deploy/rust-function.ts', terraform: 'deploy/main.tf' }[
    kind
  ];
  const logical = fn.name.replace(/[^A-Za-z0-9]/g, '');
  return {
    kind,
    serverless: kind === 'serverless',
    sam: kind === 'sam',
    cdk: kind === 'cdk',
    terraform: kind === 'terraform',
    file,
    declaredIn: commentText(`${fn.declaredIn.file}:${fn.declaredIn.line}`),
    nameYaml: yamlString(fn.name),
    nameJs: jsString(fn.name),
    deployedNameHcl: hclString(fn.deployedNames[0] ?? fn.name),
    logicalId: /^[A-Za-z]/.test(logical) ? logical : `Fn${logical}`,
    // A Terraform name: letters, digits, underscores; Rust keywords are fine there.
    resourceName: snakeIdent(fn.name, 'function').replace(/_$/, ''),
    memoryMB: fn.memoryMB ?? 128,
    timeoutS: fn.timeoutS ?? 3,
    binary: packageName,
  };
}
