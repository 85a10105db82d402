import type { DiscoveryProvider, RelPath } from '../model/result.js';
import { isRecord, parseYamlWithIntrinsics, type ParsedYaml } from './cfn-yaml.js';

/**
 * What triggers a function, read from the IaC that declares it: Serverless `functions.<name>.events` and SAM
 * `Properties.Events`. Read on demand (the Rust scaffold needs it; a scan does not), from the file the function is
 * declared in, as data. Other providers give an empty list.
 */

export type TriggerKind = 'http' | 'sqs' | 's3' | 'dynamodb' | 'kinesis' | 'sns' | 'eventbridge' | 'schedule' | 'other';

export interface FunctionEvent {
  kind: TriggerKind;
  /** As declared: the Serverless event key (`httpApi`, `sqs`) or the SAM `Type` (`Api`, `SQS`). */
  declared: string;
  /** HTTP events: `GET`, `POST`, ... or `ANY`. */
  method?: string;
  /** HTTP events: the path as declared (`/v2/orders/{orderId}`). */
  path?: string;
  /** SQS: the mapping reports partial batch failures (`functionResponseType: ReportBatchItemFailures`). */
  batchItemFailures?: boolean;
  file: RelPath;
  line: number;
}

const SERVERLESS_KINDS: Readonly<Record<string, TriggerKind>> = {
  http: 'http',
  httpApi: 'http',
  alb: 'http',
  sqs: 'sqs',
  s3: 's3',
  sns: 'sns',
  eventBridge: 'eventbridge',
  cloudwatchEvent: 'eventbridge',
  schedule: 'schedule',
};

const SAM_KINDS: Readonly<Record<string, TriggerKind>> = {
  Api: 'http',
  HttpApi: 'http',
  SQS: 'sqs',
  S3: 's3',
  SNS: 'sns',
  DynamoDB: 'dynamodb',
  Kinesis: 'kinesis',
  EventBridgeRule: 'eventbridge',
  CloudWatchEvent: 'eventbridge',
  Schedule: 'schedule',
  ScheduleV2: 'schedule',
};

export interface EventSource {
  name: string;
  provider: DiscoveryProvider;
  declaredIn: { file: RelPath; line: number };
}

/** The declared triggers of one function; empty when the IaC kind is not read or the file does not parse. */
export function functionEvents(fn: EventSource, read: (rel: RelPath) => string | undefined): FunctionEvent[] {
  if (fn.provider !== 'serverless' && fn.provider !== 'sam' && fn.provider !== 'cloudformation') return [];
  const text = read(fn.declaredIn.file);
  if (text === undefined || !/\.(ya?ml|json)$/.test(fn.declaredIn.file)) return [];
  let parsed: ParsedYaml;
  try {
    parsed = parseYamlWithIntrinsics(text);
  } catch {
    return [];
  }
  return fn.provider === 'serverless' ? serverlessEvents(fn, parsed, text) : samEvents(fn, parsed);
}

function serverlessEvents(fn: EventSource, parsed: ParsedYaml, text: string): FunctionEvent[] {
  const data = parsed.data;
  if (!isRecord(data)) return [];
  // The function is under `functions:` in the service file, or at the top of a `${file(...)}` include.
  const fromFunctions = isRecord(data['functions']) ? data['functions'][fn.name] : undefined;
  const path = fromFunctions !== undefined ? ['functions', fn.name, 'events'] : [fn.name, 'events'];
  const body = fromFunctions ?? data[fn.name];
  if (!isRecord(body) || !Array.isArray(body['events'])) return [];
  const eventsLine = parsed.lineOf(path) ?? fn.declaredIn.line;
  const itemLines = sequenceItemLines(text, eventsLine);
  const out: FunctionEvent[] = [];
  body['events'].forEach((item: unknown, i: number) => {
    if (!isRecord(item)) return;
    const key = Object.keys(item)[0];
    if (key === undefined) return;
    const value = item[key];
    const at = { file: fn.declaredIn.file, line: itemLines[i] ?? eventsLine };
    const kind = key === 'stream' ? streamKind(value) : (SERVERLESS_KINDS[key] ?? 'other');
    const event: FunctionEvent = { kind, declared: key, ...at };
    if (kind === 'http') Object.assign(event, serverlessHttp(key, value));
    if (kind === 'sqs' && isRecord(value) && value['functionResponseType'] === 'ReportBatchItemFailures') event.batchItemFailures = true;
    out.push(event);
  });
  return out;
}

function streamKind(value: unknown): TriggerKind {
  const type = isRecord(value) ? value['type'] : undefined;
  if (type === 'dynamodb' || type === 'kinesis') return type;
  const arn = isRecord(value) ? value['arn'] : value;
  const text = typeof arn === 'string' ? arn : JSON.stringify(arn ?? '');
  return /kinesis/i.test(text) ? 'kinesis' : 'dynamodb';
}

function serverlessHttp(key: string, value: unknown): { method: string; path: string } {
  if (typeof value === 'string') {
    // `http: GET /users`, `httpApi: 'GET /users'`, `httpApi: '*'`
    if (value.trim() === '*') return { method: 'ANY', path: '/{proxy+}' };
    const [method = 'ANY', path = '/'] = value.trim().split(/\s+/, 2);
    return { method: normaliseMethod(method), path };
  }
  if (isRecord(value)) {
    if (key === 'alb') {
      const conditions = isRecord(value['conditions']) ? value['conditions'] : {};
      const paths = conditions['path'];
      const first: unknown = Array.isArray(paths) ? paths[0] : paths;
      return { method: 'ANY', path: typeof first === 'string' ? first : '/' };
    }
    const method = typeof value['method'] === 'string' ? value['method'] : 'ANY';
    const path = typeof value['path'] === 'string' ? value['path'] : '/';
    return { method: normaliseMethod(method), path };
  }
  return { method: 'ANY', path: '/' };
}

function normaliseMethod(method: string): string {
  const m = method.toUpperCase();
  return m === '*' ? 'ANY' : m;
}

/** Lines of the `- key:` items of the YAML sequence under the key at `keyLine` (1-based), in order. */
function sequenceItemLines(text: string, keyLine: number): number[] {
  const lines = text.split(/\r?\n/);
  const keyText = lines[keyLine - 1] ?? '';
  const keyIndent = keyText.length - keyText.trimStart().length;
  const out: number[] = [];
  let itemIndent: number | null = null;
  for (let i = keyLine; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = line.length - trimmed.length;
    if (indent <= keyIndent && !trimmed.startsWith('-')) break;
    if (indent < keyIndent) break;
    if (trimmed.startsWith('-')) {
      itemIndent ??= indent;
      if (indent === itemIndent) out.push(i + 1);
    }
  }
  return out;
}

function samEvents(fn: EventSource, parsed: ParsedYaml): FunctionEvent[] {
  const data = parsed.data;
  const resources = isRecord(data) && isRecord(data['Resources']) ? data['Resources'] : {};
  const resource = resources[fn.name];
  const props = isRecord(resource) && isRecord(resource['Properties']) ? resource['Properties'] : {};
  const events = isRecord(props['Events']) ? props['Events'] : {};
  const out: FunctionEvent[] = [];
  for (const [name, raw] of Object.entries(events)) {
    if (!isRecord(raw)) continue;
    const type = typeof raw['Type'] === 'string' ? raw['Type'] : 'unknown';
    const p = isRecord(raw['Properties']) ? raw['Properties'] : {};
    const kind = SAM_KINDS[type] ?? 'other';
    const line = parsed.lineOf(['Resources', fn.name, 'Properties', 'Events', name]) ?? fn.declaredIn.line;
    const event: FunctionEvent = { kind, declared: type, file: fn.declaredIn.file, line };
    if (kind === 'http') {
      event.method = normaliseMethod(typeof p['Method'] === 'string' ? p['Method'] : 'ANY');
      event.path = typeof p['Path'] === 'string' ? p['Path'] : '/';
    }
    const responseTypes = p['FunctionResponseTypes'];
    if (kind === 'sqs' && Array.isArray(responseTypes) && responseTypes.includes('ReportBatchItemFailures')) event.batchItemFailures = true;
    out.push(event);
  }
  return out;
}
