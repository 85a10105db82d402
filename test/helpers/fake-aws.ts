/**
 * A fake AWS on 127.0.0.1 that speaks enough of the real protocols for the real SDK clients:
 * - Lambda REST-JSON: GET /2015-03-31/functions/?Marker=&MaxItems= (ListFunctions), GET
 *   /2015-03-31/functions/{name}/configuration (GetFunctionConfiguration); errors as `x-amzn-ErrorType` + JSON body;
 * - CloudWatch Logs JSON 1.1: POST / with `X-Amz-Target: Logs_20140328.StartQuery|GetQueryResults|StopQuery`;
 *   errors as HTTP 400 with `{"__type": …, "message": …}`;
 * - STS Query: POST / form-encoded `Action=AssumeRole&RoleArn=…&RoleSessionName=…&Version=2011-06-15`, told apart by
 *   the SigV4 credential scope (`…/sts/aws4_request`) or the `Action=` of the body; XML answers, errors as
 *   `<ErrorResponse><Error><Type>Sender</Type><Code>…`.
 * Faults are injected per test: throttling (the real error shapes), AccessDenied, missing log groups, expired
 * tokens, a repeated page marker, queries that stay Running, and (`answer`) an endpoint that accepts the request and
 * never answers, or answers 200 with a body of the test's choosing (malformed JSON, wrong field types).
 */
import { createServer, type ServerResponse } from 'node:http';
import { readBody } from './http.js';

export const ACCOUNT = '123456789012';

export interface FakeFunction {
  FunctionName: string;
  Runtime?: string;
  MemorySize?: number;
  Architectures?: string[];
  PackageType?: string;
  CodeSize?: number;
  LoggingConfig?: { LogFormat?: string; LogGroup?: string };
  Environment?: { Variables: Record<string, string> };
  Role?: string;
  Handler?: string;
}

export interface FakeAwsOptions {
  functions: FakeFunction[];
  pageSize?: number;
  /** Insights stats row per log group (field -> value), as the REPORT_STATS_QUERY would return it. */
  stats?: Record<string, Record<string, string>>;
  throttle?: { listFunctions?: number; startQuery?: number; getQueryResults?: number };
  deniedGroups?: string[];
  missingGroups?: string[];
  /** Every call, AssumeRole included, answers that the security token is expired. */
  expiredToken?: boolean;
  repeatMarker?: boolean;
  /** GetQueryResults answers Running this many times before Complete (default 1). */
  runningPolls?: number;
  neverComplete?: boolean;
  /** These functions come without LoggingConfig in ListFunctions: only GetFunctionConfiguration has it. */
  configOnlyInGet?: string[];
  /** What STS AssumeRole hands out; without it AssumeRole is an unknown operation. */
  sts?: FakeStsOptions;
  /**
   * Per action (ListFunctions, GetFunctionConfiguration, StartQuery, GetQueryResults, StopQuery, AssumeRole): 'hang'
   * reads the request and never answers (the socket stays open until close()), a string is sent as a 200 body as it
   * is (malformed JSON, a `Functions` that is not an array). The request is recorded either way.
   */
  answer?: Partial<Record<string, 'hang' | string>>;
  /** Requests signed for these regions (the SigV4 scope) are read and never answered: one region's endpoint hung. */
  hangRegions?: string[];
}

export interface FakeStsOptions {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Default: one hour after the call. */
  expiration?: Date;
  /** AssumeRole on these role ARNs answers AccessDenied. */
  deniedRoles?: string[];
}

export interface RecordedRequest {
  service: 'lambda' | 'logs' | 'sts';
  action: string;
  url: string;
  /** JSON bodies parsed; STS form bodies as their parameters. */
  body: unknown;
  authorization: string;
  /** `X-Amz-Security-Token`, sent with temporary credentials; '' when absent. */
  securityToken: string;
}

/** The access key id a SigV4 `Authorization` header was signed with, and the region and service of its scope. */
export function signedWith(authorization: string): { accessKeyId: string; region: string; service: string } | null {
  const m = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
  return m ? { accessKeyId: m[1] ?? '', region: m[2] ?? '', service: m[3] ?? '' } : null;
}

export interface FakeAws {
  endpoint: string;
  requests: RecordedRequest[];
  count(action: string): number;
  close(): Promise<void>;
}

interface Query {
  groups: string[];
  polls: number;
  stopped: boolean;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': 'fake-req',
    ...headers,
  });
  res.end(text);
}

function lambdaError(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, { Type: 'User', message }, { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.lambda/` });
}

function xml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': 'fake-req' });
  res.end(text);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function stsError(res: ServerResponse, status: number, code: string, message: string): void {
  xml(
    res,
    status,
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>fake-req</RequestId></ErrorResponse>`,
  );
}

function logsError(res: ServerResponse, type: string, message: string): void {
  res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'fake-req' });
  res.end(JSON.stringify({ __type: `com.amazonaws.logs#${type}`, message }));
}

/** Applies `answer` for the action: true when the request was taken care of (answered or left hanging). */
function overridden(options: FakeAwsOptions, action: string, res: ServerResponse): boolean {
  const how = options.answer?.[action];
  if (how === undefined) return false;
  if (how === 'hang') return true;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(how), 'x-amzn-requestid': 'fake-req' });
  res.end(how);
  return true;
}

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const requests: RecordedRequest[] = [];
  const queries = new Map<string, Query>();
  const throttled = { listFunctions: 0, startQuery: 0, getQueryResults: 0 };
  let nextQuery = 1;
  const pageSize = options.pageSize ?? 50;
  const configOnlyInGet = new Set(options.configOnlyInGet ?? []);

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const authorization = String(req.headers['authorization'] ?? '');
      const target = String(req.headers['x-amz-target'] ?? '');
      const securityToken = String(req.headers['x-amz-security-token'] ?? '');
      if (options.hangRegions?.includes(signedWith(authorization)?.region ?? '') === true) {
        requests.push({ service: 'lambda', action: 'hung', url: url.pathname, body: null, authorization, securityToken });
        return;
      }
      const form = new URLSearchParams(String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') ? raw : '');

      if (signedWith(authorization)?.service === 'sts' || form.has('Action')) {
        const action = form.get('Action') ?? '';
        const params = Object.fromEntries(form);
        requests.push({ service: 'sts', action, url: url.pathname, body: params, authorization, securityToken });
        if (overridden(options, action, res)) return;
        const sts = options.sts;
        if (action !== 'AssumeRole' || sts === undefined || form.get('Version') !== '2011-06-15') {
          return stsError(res, 400, 'InvalidAction', `Could not find operation ${action} for version ${form.get('Version') ?? ''}`);
        }
        if (options.expiredToken) return stsError(res, 403, 'ExpiredToken', 'The security token included in the request is expired');
        const roleArn = form.get('RoleArn') ?? '';
        const session = form.get('RoleSessionName') ?? '';
        if (roleArn === '' || !/^[\w+=,.@-]{2,64}$/.test(session)) {
          return stsError(res, 400, 'ValidationError', 'RoleArn and a valid RoleSessionName are required');
        }
        const caller = signedWith(authorization)?.accessKeyId ?? 'unknown';
        if (sts.deniedRoles?.includes(roleArn)) {
          return stsError(
            res,
            403,
            'AccessDenied',
            `User: arn:aws:iam::${ACCOUNT}:user/${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
          );
        }
        const expiration = (sts.expiration ?? new Date(Date.now() + 3_600_000)).toISOString();
        const roleName = roleArn.split('/').pop() ?? 'role';
        return xml(
          res,
          200,
          '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>' +
            `<AssumedRoleUser><Arn>arn:aws:sts::${ACCOUNT}:assumed-role/${escapeXml(roleName)}/${escapeXml(session)}</Arn><AssumedRoleId>AROAFAKEROLEID:${escapeXml(session)}</AssumedRoleId></AssumedRoleUser>` +
            `<Credentials><AccessKeyId>${escapeXml(sts.accessKeyId)}</AccessKeyId><SecretAccessKey>${escapeXml(sts.secretAccessKey)}</SecretAccessKey>` +
            `<SessionToken>${escapeXml(sts.sessionToken)}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
            '</AssumeRoleResult><ResponseMetadata><RequestId>fake-req</RequestId></ResponseMetadata></AssumeRoleResponse>',
        );
      }

      if (target.startsWith('Logs_20140328.')) {
        const action = target.slice('Logs_20140328.'.length);
        const body: unknown = raw === '' ? {} : JSON.parse(raw);
        requests.push({ service: 'logs', action, url: url.pathname, body, authorization, securityToken });
        if (overridden(options, action, res)) return;
        if (options.expiredToken) return logsError(res, 'ExpiredTokenException', 'The security token included in the request is expired');
        const b = typeof body === 'object' && body !== null ? body : {};
        if (action === 'StartQuery') {
          if (throttled.startQuery < (options.throttle?.startQuery ?? 0)) {
            throttled.startQuery++;
            return logsError(res, 'ThrottlingException', 'Rate exceeded');
          }
          const groups: unknown = Reflect.get(b, 'logGroupNames');
          const list = Array.isArray(groups) ? groups.map(String) : [];
          if (list.length === 0 || list.length > 50) return logsError(res, 'InvalidParameterException', 'logGroupNames: 1..50');
          const denied = list.find((g) => options.deniedGroups?.includes(g));
          if (denied) {
            return logsError(
              res,
              'AccessDeniedException',
              `User: arn:aws:sts::${ACCOUNT}:assumed-role/ro/x is not authorized to perform: logs:StartQuery on resource: arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${denied}:*`,
            );
          }
          const missing = list.find((g) => options.missingGroups?.includes(g));
          if (missing) return logsError(res, 'ResourceNotFoundException', `Log group '${missing}' does not exist for account ID '${ACCOUNT}'`);
          const id = `q-${nextQuery++}`;
          queries.set(id, { groups: list, polls: 0, stopped: false });
          return send(res, 200, { queryId: id });
        }
        if (action === 'GetQueryResults') {
          if (throttled.getQueryResults < (options.throttle?.getQueryResults ?? 0)) {
            throttled.getQueryResults++;
            return logsError(res, 'ThrottlingException', 'Rate exceeded');
          }
          const q = queries.get(String(Reflect.get(b, 'queryId')));
          if (!q) return logsError(res, 'InvalidParameterException', 'unknown query');
          q.polls++;
          if (q.stopped) return send(res, 200, { status: 'Cancelled', results: [] });
          const rows = q.groups
            .filter((g) => options.stats?.[g] !== undefined)
            .map((g) => Object.entries({ ...options.stats?.[g], '@log': `${ACCOUNT}:${g}` }).map(([field, value]) => ({ field, value })));
          if (options.neverComplete || q.polls <= (options.runningPolls ?? 1)) {
            // Running results are partial on purpose: a client that takes them as final gets wrong numbers.
            return send(res, 200, { status: 'Running', results: rows.slice(0, 1), statistics: { recordsMatched: 1 } });
          }
          return send(res, 200, {
            status: 'Complete',
            results: rows,
            statistics: { recordsMatched: rows.length, recordsScanned: 1000, bytesScanned: 100000 },
          });
        }
        if (action === 'StopQuery') {
          const q = queries.get(String(Reflect.get(b, 'queryId')));
          if (q) q.stopped = true;
          return send(res, 200, { success: q !== undefined });
        }
        return logsError(res, 'UnknownOperationException', action);
      }

      const list = /^\/2015-03-31\/functions\/?$/.exec(url.pathname);
      const config = /^\/2015-03-31\/functions\/([^/]+)\/configuration$/.exec(url.pathname);
      const action = list ? 'ListFunctions' : config ? 'GetFunctionConfiguration' : `unknown ${req.method} ${url.pathname}`;
      requests.push({ service: 'lambda', action, url: url.pathname + url.search, body: null, authorization, securityToken });
      if (overridden(options, action, res)) return;
      if (options.expiredToken) return lambdaError(res, 403, 'ExpiredTokenException', 'The security token included in the request is expired');
      if (list) {
        if (throttled.listFunctions < (options.throttle?.listFunctions ?? 0)) {
          throttled.listFunctions++;
          // Lambda's real throttling answer: 429 TooManyRequestsException with a Reason.
          return send(
            res,
            429,
            { Type: 'User', message: 'Rate exceeded', Reason: 'CallerRateLimitExceeded' },
            { 'x-amzn-errortype': 'TooManyRequestsException' },
          );
        }
        const start = Number(url.searchParams.get('Marker') ?? '0');
        const max = Math.min(pageSize, Number(url.searchParams.get('MaxItems') ?? pageSize));
        const page = options.functions.slice(start, start + max).map((f) => {
          if (!configOnlyInGet.has(f.FunctionName)) return f;
          const { LoggingConfig: _omit, ...rest } = f;
          return rest;
        });
        const next = start + max < options.functions.length ? String(options.repeatMarker ? max : start + max) : undefined;
        return send(res, 200, { Functions: page, ...(next !== undefined ? { NextMarker: next } : {}) });
      }
      if (config) {
        const name = decodeURIComponent(config[1] ?? '');
        const f = options.functions.find((x) => x.FunctionName === name);
        if (!f) return lambdaError(res, 404, 'ResourceNotFoundException', `Function not found: ${name}`);
        return send(res, 200, f);
      }
      return lambdaError(res, 404, 'UnknownOperationException', action);
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake AWS: no TCP address');
  const port = address.port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    count: (action) => requests.filter((r) => r.action === action).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
