/**
 * One Lambda REPORT record, read from any of the shapes logs come in: the text `REPORT RequestId: …` line, the JSON
 * `platform.report` record, a CloudWatch `filter-log-events` event, a Logs Insights export row. Only the numbers,
 * the timestamp and the log group are kept: message text never leaves this module.
 */

export interface ReportRecord {
  durationMs: number;
  billedDurationMs: number | null;
  memorySizeMB: number | null;
  maxMemoryUsedMB: number | null;
  /** Present on cold starts only. */
  initDurationMs: number | null;
  /** Epoch ms; null when the line carries no timestamp. */
  timestamp: number | null;
  logGroup: string | null;
}

const NUM = String.raw`(\d+(?:\.\d+)?)`;
const REPORT_TEXT = new RegExp(
  String.raw`REPORT RequestId: [^\s]+\s+Duration: ${NUM} ms\s+Billed Duration: ${NUM} ms\s+Memory Size: (\d+) MB\s+Max Memory Used: (\d+) MB(?:\s+Init Duration: ${NUM} ms)?`,
);
/** CloudWatch log group names: 1-512 of [.-_/#A-Za-z0-9]. Anything else in a prefix column is not a group. */
const LOG_GROUP = /^[\w\-./#]{1,512}$/;
const ISO_TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?$/;

export function isLogGroupName(value: string): boolean {
  return LOG_GROUP.test(value);
}

/** `123456789012:/aws/lambda/x` (Insights `@log`) or `/aws/lambda/x` -> the group; null when it is not a name. */
export function normalizeLogGroup(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^\d{12}:(.+)$/.exec(value);
  const group = m?.[1] ?? value;
  return isLogGroupName(group) ? group : null;
}

/** ISO-8601, Insights' `2026-11-18 06:54:00.644` (UTC) or epoch ms. */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d{12,14}$/.test(text)) return Number(text);
  if (!ISO_TIME.test(text)) return null;
  const iso = text.replace(' ', 'T');
  const ms = Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * A text line that holds a REPORT message, with whatever the export put before it: `<group>\t<time>\t` (the
 * bundled example), `<time> <stream> ` (`aws logs tail`), or nothing (a plain export).
 */
export function parseReportText(line: string): ReportRecord | null {
  const m = REPORT_TEXT.exec(line);
  if (!m) return null;
  let logGroup: string | null = null;
  let timestamp: number | null = null;
  const prefix = line.slice(0, m.index);
  const columns = prefix
    .split('\t')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  for (const column of columns.length > 1 ? columns : prefix.split(/\s+/)) {
    const t = parseTimestamp(column);
    if (t !== null) {
      timestamp ??= t;
      continue;
    }
    if (logGroup === null && (columns.length > 1 || column.startsWith('/aws/'))) logGroup = normalizeLogGroup(column);
  }
  return {
    durationMs: Number(m[1]),
    billedDurationMs: Number(m[2]),
    memorySizeMB: Number(m[3]),
    maxMemoryUsedMB: Number(m[4]),
    initDurationMs: m[5] === undefined ? null : Number(m[5]),
    timestamp,
    logGroup,
  };
}

function field(obj: object, key: string): unknown {
  return Reflect.get(obj, key);
}

function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** `[{ field, value }, …]` (GetQueryResults rows) -> `{ field: value }`; null when it is not such a row. */
function rowToObject(value: unknown[]): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const cell of value) {
    if (!isObject(cell)) return null;
    const name = field(cell, 'field');
    if (typeof name !== 'string') return null;
    out[name] = field(cell, 'value');
  }
  return out;
}

/**
 * A parsed JSON value from a log export -> the REPORT it holds, or null (application lines, other platform events).
 * `depth` stops a message that holds JSON that holds a message… from recursing without end.
 */
export function reportFromJson(value: unknown, depth = 0): ReportRecord | null {
  if (depth > 2) return null;
  if (Array.isArray(value)) {
    const row = rowToObject(value);
    return row === null ? null : reportFromJson(row, depth + 1);
  }
  if (!isObject(value)) return null;
  const group = normalizeLogGroup(field(value, 'logGroup') ?? field(value, 'logGroupName') ?? field(value, '@log'));

  if (field(value, 'type') === 'platform.report') {
    const record = field(value, 'record');
    const metrics = isObject(record) ? field(record, 'metrics') : undefined;
    if (!isObject(metrics)) return null;
    const duration = num(field(metrics, 'durationMs'));
    if (duration === null) return null;
    return {
      durationMs: duration,
      billedDurationMs: num(field(metrics, 'billedDurationMs')),
      memorySizeMB: num(field(metrics, 'memorySizeMB')),
      maxMemoryUsedMB: num(field(metrics, 'maxMemoryUsedMB')),
      initDurationMs: num(field(metrics, 'initDurationMs')),
      timestamp: parseTimestamp(field(value, 'time')),
      logGroup: group,
    };
  }

  // Insights rows of discovered fields: memory fields are in bytes there (1 MB = 1,000,000).
  const insightsDuration = num(field(value, '@duration'));
  if (insightsDuration !== null) {
    const mem = num(field(value, '@memorySize'));
    const used = num(field(value, '@maxMemoryUsed'));
    return {
      durationMs: insightsDuration,
      billedDurationMs: num(field(value, '@billedDuration')),
      memorySizeMB: mem === null ? null : Math.round(mem / 1_000_000),
      maxMemoryUsedMB: used === null ? null : Math.round(used / 1_000_000),
      initDurationMs: num(field(value, '@initDuration')),
      timestamp: parseTimestamp(field(value, '@timestamp')),
      logGroup: group,
    };
  }

  const message = field(value, 'message') ?? field(value, '@message');
  if (typeof message !== 'string') return null;
  const timestamp = parseTimestamp(field(value, 'timestamp') ?? field(value, '@timestamp'));
  let inner: ReportRecord | null;
  const trimmed = message.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      inner = reportFromJson(JSON.parse(trimmed), depth + 1);
    } catch {
      inner = null;
    }
  } else {
    inner = parseReportText(message);
  }
  if (inner === null) return null;
  return { ...inner, timestamp: inner.timestamp ?? timestamp, logGroup: group ?? inner.logGroup };
}
