/**
 * `--logs PATH`: aggregates REPORT records from exported log files, streaming (a multi-GB export is read in chunks and
 * never held), gzip included. Formats are sniffed per file, not taken from the extension:
 * - text: one event per line, REPORT lines optionally prefixed by `<log group>\t<time>\t` or `<time> <stream> `;
 * - JSON lines: `platform.report` records, `filter-log-events` events, Insights rows, one per line;
 * - one JSON document: `aws logs filter-log-events` output (`{"events":[…]}`), Insights JSON exports (`[{…}]`);
 * - CSV: Logs Insights exports (`@timestamp,@message,@log…` or discovered fields `@duration,@initDuration,…`).
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';
import { compareStrings } from '../util/compare.js';
import { ReportAccumulator } from './aggregate.js';
import { CsvRecords } from './csv.js';
import { JsonElementScanner } from './json-stream.js';
import { parseReportText, reportFromJson, type ReportRecord } from './report-record.js';
import type { MeasuredEntry, MetricsSet } from './types.js';

export interface ReadLogsOptions {
  /** Files or directories (read recursively), as the user gave them. */
  paths: readonly string[];
  cwd: string;
  /**
   * `--function FILE=NAME`: lines without a log group in FILE (or any file under a directory FILE) belong to NAME
   * (a deployed name, log group, function id or logical name). Without one, the file's name says.
   */
  attributions?: readonly { path: string; name: string }[];
  functionMap?: Record<string, string>;
  onFile?: (file: string, done: number, total: number) => void;
}

export interface ReadLogsStats {
  files: number;
  bytes: number;
  reports: number;
}

/** Extensions read when walking a directory (after an optional `.gz`); other files (README, scripts) are not logs. */
const LOG_EXTENSIONS = new Set(['.log', '.txt', '.json', '.jsonl', '.ndjson', '.csv', '.out']);
const MAX_LINE_CHARS = 1_000_000;
const GZIP_BLOCK = 4096;

export async function readLogs(options: ReadLogsOptions): Promise<MetricsSet & { stats: ReadLogsStats }> {
  const files = await listLogFiles(options.paths, options.cwd);
  const attributions = (options.attributions ?? []).map((a) => ({ abs: path.resolve(options.cwd, a.path), name: a.name }));
  const groups = new Map<string, ReportAccumulator>();
  const warnings: string[] = [];
  const stats: ReadLogsStats = { files: files.length, bytes: 0, reports: 0 };

  for (const [i, file] of files.entries()) {
    options.onFile?.(file.shown, i, files.length);
    const explicit = attributionFor(file.abs, attributions);
    const fallback = explicit ?? fileStem(file.abs);
    let unattributed = 0;
    let fileReports = 0;
    const sink = (record: ReportRecord): void => {
      stats.reports++;
      fileReports++;
      const key = record.logGroup ?? fallback;
      if (record.logGroup === null && explicit === null) unattributed++;
      let acc = groups.get(key);
      if (!acc) groups.set(key, (acc = new ReportAccumulator()));
      acc.add(record);
    };
    let outcome: FileOutcome;
    try {
      outcome = await readOneFile(file.abs, sink);
    } catch (err) {
      // A corrupt .gz or an unreadable file: the others still count; the reason is the error's code, never content.
      const code = typeof err === 'object' && err !== null ? Reflect.get(err, 'code') : undefined;
      warnings.push(`${file.shown}: cannot be read${typeof code === 'string' ? ` (${code})` : ''}; records read before the error are kept`);
      continue;
    }
    stats.bytes += outcome.bytes;
    if (unattributed > 0) {
      warnings.push(
        `${file.shown}: ${unattributed} REPORT record(s) without a log group, attributed to '${fallback}' by the file name (set it with --function ${file.shown}=NAME)`,
      );
    }
    if (outcome.readError !== undefined) {
      warnings.push(
        `${file.shown}: reading stopped at an error (${outcome.readError}: corrupt, truncated, or trailing data after the gzip stream); the ${fileReports} REPORT record(s) read before it are kept${outcome.gzip ? ' (records in the last 4 KB before it may be missing)' : ''}`,
      );
    }
    if (outcome.oversized > 0) warnings.push(`${file.shown}: ${outcome.oversized} record(s) over ${MAX_LINE_CHARS} characters skipped`);
    if (outcome.format === 'csv' && outcome.csvWithoutMessage) {
      warnings.push(`${file.shown}: CSV without @message or @duration columns (an aggregated Insights export?): not readable as REPORT records`);
    }
  }

  const entries: MeasuredEntry[] = [...groups.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([key, acc]) => {
      const isGroup = key.includes('/');
      const deployed = key.startsWith('/aws/lambda/') ? key.slice('/aws/lambda/'.length) : isGroup ? null : key;
      return { key, figures: acc.figures(isGroup ? key : null, deployed) };
    });
  if (stats.reports === 0) warnings.push(`--logs: no REPORT records found in ${files.length} file(s)`);
  return { source: 'logs', measuredBy: 'logs', entries, warnings, functionMap: options.functionMap ?? {}, stats };
}

interface LogFile {
  abs: string;
  /** As the user would write it: relative to cwd when inside it. */
  shown: string;
}

async function listLogFiles(paths: readonly string[], cwd: string): Promise<LogFile[]> {
  const out = new Map<string, LogFile>();
  for (const given of paths) {
    const abs = path.resolve(cwd, given);
    let info;
    try {
      info = await stat(abs);
    } catch {
      throw new InputError(`--logs: not found: ${given}`, 'pass a log file or a directory of exported logs');
    }
    if (info.isDirectory()) {
      for (const file of await walk(abs)) out.set(file, { abs: file, shown: shown(file, cwd) });
    } else if (!info.isFile()) {
      // A device or a pipe (/dev/zero, a FIFO) may never end: a log export is a file.
      throw new InputError(`--logs: not a file or directory: ${given}`, 'pass a log file or a directory of exported logs');
    } else {
      out.set(abs, { abs, shown: shown(abs, cwd) });
    }
  }
  return [...out.values()].sort((a, b) => compareStrings(a.abs, b.abs));
}

function shown(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) out.push(...(await walk(full)));
    } else if (entry.isFile() && LOG_EXTENSIONS.has(path.extname(entry.name.replace(/\.gz$/i, '')).toLowerCase())) {
      out.push(full);
    }
  }
  return out;
}

/** `logs/orders-dev-health.log.gz` -> `orders-dev-health`. */
export function fileStem(file: string): string {
  let base = path.basename(file).replace(/\.gz$/i, '');
  const ext = path.extname(base);
  if (LOG_EXTENSIONS.has(ext.toLowerCase())) base = base.slice(0, -ext.length);
  return base;
}

function attributionFor(abs: string, attributions: readonly { abs: string; name: string }[]): string | null {
  let best: { abs: string; name: string } | null = null;
  for (const a of attributions) {
    const inside = abs === a.abs || abs.startsWith(a.abs + path.sep);
    if (inside && (best === null || a.abs.length > best.abs.length)) best = a;
  }
  return best?.name ?? null;
}

type Format = 'text' | 'jsonl' | 'json' | 'csv';

interface FileOutcome {
  format: Format;
  /** The error code that stopped the read (a corrupt or truncated .gz, garbage after it); what came before is kept. */
  readError?: string;
  gzip: boolean;
  bytes: number;
  oversized: number;
  csvWithoutMessage: boolean;
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function readOneFile(file: string, sink: (record: ReportRecord) => void): Promise<FileOutcome> {
  // Sniff before opening the stream: a 'data' listener or an await between opening and iterating loses chunks.
  const gzip = await isGzip(file);
  const bytes = (await stat(file)).size;
  const raw = createReadStream(file, { highWaterMark: 1 << 18 });
  let stream: NodeJS.ReadableStream = raw;
  if (gzip) {
    // Small output blocks: on a gzip error (garbage after the stream, a corrupt or cut tail) zlib drops the output
    // block it was filling, so a 4 KB block bounds what the error costs to the last few records before it.
    const gunzip = createGunzip({ chunkSize: GZIP_BLOCK });
    // pipe() does not forward errors: without this a read error would leave the loop below waiting forever.
    raw.on('error', (err) => gunzip.destroy(err));
    stream = raw.pipe(gunzip);
  }
  const decoder = new StringDecoder('utf8');
  const outcome: FileOutcome = { format: 'text', bytes: 0, oversized: 0, csvWithoutMessage: false, gzip };

  // One holder object: the closure below assigns it, and TypeScript keeps tracking property types across that.
  const state: { handler: ((chunk: string) => void) | null; lines: LineSplitter | null; scanner: JsonElementScanner | null } = {
    handler: null,
    lines: null,
    scanner: null,
  };
  let head = '';

  const decide = (text: string, final: boolean): void => {
    head += text;
    const body = head.replace(/^\uFEFF/, '');
    const firstChar = /\S/.exec(body)?.[0];
    const newline = body.indexOf('\n', body.search(/\S/));
    if (!final && (firstChar === undefined || (newline < 0 && body.length < 65_536))) return;
    const firstLine = (newline < 0 ? body : body.slice(0, newline)).trim();
    if (firstChar === '{' || firstChar === '[') {
      // One object per line is JSON lines, unless that object is a whole export on one line (`jq -c` of
      // filter-log-events output): its records are inside an array, which the element scanner takes apart.
      if (firstChar === '{' && isJson(firstLine) && !holdsRecordArray(firstLine)) {
        outcome.format = 'jsonl';
      } else {
        outcome.format = 'json';
      }
    } else if (/^"?@?[\w@.()]+"?(,"?@?[\w@.() ]+"?)+$/.test(firstLine) && !firstLine.includes('REPORT RequestId')) {
      outcome.format = 'csv';
    }
    if (outcome.format === 'json') {
      const scanner = new JsonElementScanner((element) => {
        const record = parseJson(element);
        if (record) sink(record);
      }, MAX_LINE_CHARS);
      state.scanner = scanner;
      state.handler = (chunk) => scanner.write(chunk);
    } else {
      const onLine = outcome.format === 'csv' ? csvLineHandler(sink, outcome) : outcome.format === 'jsonl' ? jsonLine(sink) : textLine(sink);
      const lines = new LineSplitter(onLine, MAX_LINE_CHARS);
      state.lines = lines;
      state.handler = (chunk) => lines.write(chunk);
    }
    state.handler(body);
    head = '';
  };

  // 'data' events, not an async iterator: on a gzip error the iterator drops what was decompressed but not yet taken,
  // while each 'data' is handed over as it is produced, so every record before the error is kept.
  try {
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: unknown) => {
        const text = typeof chunk === 'string' ? chunk : decoder.write(chunk instanceof Buffer ? chunk : Buffer.from(String(chunk)));
        if (state.handler === null) decide(text, false);
        else state.handler(text);
      });
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
  } catch (err) {
    const code = typeof err === 'object' && err !== null ? Reflect.get(err, 'code') : undefined;
    outcome.readError = typeof code === 'string' ? code : 'error';
    raw.destroy();
  }
  const rest = decoder.end();
  if (state.handler === null) decide(rest, true);
  else if (rest) state.handler(rest);
  if (state.lines !== null) {
    state.lines.end();
    outcome.oversized += state.lines.oversized;
  }
  if (state.scanner !== null) outcome.oversized += state.scanner.oversized;
  outcome.bytes = bytes;
  return outcome;
}

function holdsRecordArray(text: string): boolean {
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && ['events', 'results', 'logEvents'].some((k) => Array.isArray(Reflect.get(value, k)));
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function parseJson(text: string): ReportRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return reportFromJson(value);
}

function textLine(sink: (r: ReportRecord) => void): (line: string) => void {
  return (line) => {
    // Cheap pre-check: most lines of a log are not REPORT lines. A file that starts with text may still hold JSON
    // lines further on (a function switched to JSON logging mid-export): `platform.report` has no "REPORT".
    if (!line.includes('REPORT') && !line.includes('platform.report')) return;
    const trimmed = line.trimStart();
    const record = trimmed.startsWith('{') ? parseJson(trimmed) : parseReportText(line);
    if (record) sink(record);
  };
}

function jsonLine(sink: (r: ReportRecord) => void): (line: string) => void {
  return (line) => {
    if (!line.includes('eport') && !line.includes('@duration') && !line.includes('REPORT')) return;
    const trimmed = line.trim();
    const record = trimmed.startsWith('{') || trimmed.startsWith('[') ? parseJson(trimmed) : parseReportText(line);
    if (record) sink(record);
  };
}

function csvLineHandler(sink: (r: ReportRecord) => void, outcome: FileOutcome): (line: string) => void {
  const records = new CsvRecords(MAX_LINE_CHARS);
  let header: string[] | null = null;
  return (line) => {
    const fields = records.push(line);
    if (fields === null) return;
    if (header === null) {
      header = fields.map((f) => f.trim());
      outcome.csvWithoutMessage = !header.includes('@message') && !header.includes('message') && !header.includes('@duration');
      return;
    }
    const row: Record<string, string> = {};
    header.forEach((name, i) => {
      row[name] = fields[i] ?? '';
    });
    const record = reportFromJson(row);
    if (record) sink(record);
  };
}

/** Splits decoded text into lines; a line longer than `max` is dropped whole (counted), never buffered without end. */
class LineSplitter {
  private partial = '';
  private dropping = false;
  oversized = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly max: number,
  ) {}

  write(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      start = nl + 1;
      if (this.dropping) {
        this.dropping = false;
        this.partial = '';
        continue;
      }
      const line = this.partial === '' ? piece : this.partial + piece;
      this.partial = '';
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    if (this.dropping) return;
    this.partial += chunk.slice(start);
    if (this.partial.length > this.max) {
      this.partial = '';
      this.dropping = true;
      this.oversized++;
    }
  }

  end(): void {
    if (!this.dropping && this.partial !== '') this.onLine(this.partial);
    this.partial = '';
  }
}
