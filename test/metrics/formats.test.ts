import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvRecords } from '../../src/metrics/csv.js';
import { JsonElementScanner } from '../../src/metrics/json-stream.js';
import { parseReportText, parseTimestamp, reportFromJson } from '../../src/metrics/report-record.js';

const REPORT =
  'REPORT RequestId: 9f9c1ad2-7f48-456d-b208-f7b6c3148fa7\tDuration: 261.36 ms\tBilled Duration: 1146 ms\tMemory Size: 1024 MB\tMax Memory Used: 132 MB\tInit Duration: 883.83 ms\t';

describe('REPORT records', () => {
  it("reads the text line with the example's `<group>\\t<time>\\t` prefix", () => {
    expect(parseReportText(`/aws/lambda/orders-dev-createOrder\t2026-11-18T06:54:00.644Z\t${REPORT}`)).toEqual({
      durationMs: 261.36,
      billedDurationMs: 1146,
      memorySizeMB: 1024,
      maxMemoryUsedMB: 132,
      initDurationMs: 883.83,
      timestamp: Date.UTC(2026, 10, 18, 6, 54, 0, 644),
      logGroup: '/aws/lambda/orders-dev-createOrder',
    });
  });

  it('reads `aws logs tail` output (`<time> <stream> <message>`): the stream is not a log group', () => {
    const r = parseReportText(`2026-11-18T06:54:00.644000+00:00 2026/11/18/[$LATEST]0a1b ${REPORT.replace('\tInit Duration: 883.83 ms', '')}`);
    expect([r?.timestamp, r?.logGroup, r?.initDurationMs, r?.durationMs]).toEqual([Date.UTC(2026, 10, 18, 6, 54, 0, 644), null, null, 261.36]);
  });

  it('ignores lines that only mention REPORT, and never takes message text for a log group', () => {
    expect(parseReportText('2026-11-18T06:54:00Z\tINFO\tREPORT generated for customer a@example.com')).toBeNull();
    expect(parseReportText(`hello world a@example.com\t2026-11-18T06:54:00.644Z\t${REPORT}`)?.logGroup).toBeNull();
  });

  it('reads platform.report with and without initDurationMs, and filter-log-events events wrapping either', () => {
    const json = {
      time: '2026-11-23T06:40:24.732Z',
      type: 'platform.report',
      record: { metrics: { durationMs: 371.73, billedDurationMs: 750, memorySizeMB: 512, maxMemoryUsedMB: 117 } },
    };
    expect(reportFromJson(json)).toEqual({
      durationMs: 371.73,
      billedDurationMs: 750,
      memorySizeMB: 512,
      maxMemoryUsedMB: 117,
      initDurationMs: null,
      timestamp: Date.UTC(2026, 10, 23, 6, 40, 24, 732),
      logGroup: null,
    });
    const event = { logStreamName: 's', timestamp: 1_795_000_000_000, message: JSON.stringify(json), logGroupName: '/aws/lambda/x' };
    expect(reportFromJson(event)?.logGroup).toBe('/aws/lambda/x');
    expect(reportFromJson({ timestamp: 1_795_000_000_000, message: REPORT })?.timestamp).toBe(1_795_000_000_000);
    expect(reportFromJson({ type: 'platform.start', record: {} })).toBeNull();
    expect(reportFromJson({ message: 'user a@example.com signed up' })).toBeNull();
  });

  it('reads Insights timestamps as UTC', () => {
    expect(parseTimestamp('2026-11-18 06:54:00.644')).toBe(Date.UTC(2026, 10, 18, 6, 54, 0, 644));
    expect(parseTimestamp('not a time')).toBeNull();
  });
});

describe('JsonElementScanner', () => {
  const doc = JSON.stringify(
    {
      events: [
        { message: 'a "quoted" } ] { [ brace', n: 1 },
        { message: 'b\\', nested: { x: [1, { y: 2 }] } },
      ],
      searchedLogStreams: [{ logStreamName: 's' }],
    },
    null,
    2,
  );
  const expected = [{ message: 'a "quoted" } ] { [ brace', n: 1 }, { message: 'b\\', nested: { x: [1, { y: 2 }] } }, { logStreamName: 's' }];

  it('cuts out each element of the arrays, whatever the chunk boundaries', () => {
    for (const size of [1, 2, 7, 64, doc.length]) {
      const got: unknown[] = [];
      const scanner = new JsonElementScanner((t) => got.push(JSON.parse(t)));
      for (let i = 0; i < doc.length; i += size) scanner.write(doc.slice(i, i + size));
      expect(got, `chunks of ${size}`).toEqual(expected);
    }
  });

  it('drops an element over the size limit and counts it', () => {
    const got: string[] = [];
    const scanner = new JsonElementScanner((t) => got.push(t), 20);
    scanner.write('[{"a":"short"},{"a":"this one is far too long"},{"b":1}]');
    expect(got).toEqual(['{"a":"short"}', '{"b":1}']);
    expect(scanner.oversized).toBe(1);
  });
});

describe('CsvRecords', () => {
  it('joins a quoted field across lines and unescapes doubled quotes', () => {
    const csv = new CsvRecords();
    expect(csv.push('@timestamp,@message')).toEqual(['@timestamp', '@message']);
    expect(csv.push('2026-11-18 00:00:00.000,"line one')).toBeNull();
    expect(csv.push('line ""two"", still"')).toEqual(['2026-11-18 00:00:00.000', 'line one\nline "two", still']);
  });
});

describe('layering', () => {
  it('@aws-sdk/* is imported only under src/metrics, and there only as types or lazily (a static scan never loads it)', () => {
    const root = path.resolve(import.meta.dirname, '../../src');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name.endsWith('.ts')) {
          const text = readFileSync(full, 'utf8');
          for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*from\s+'(@aws-sdk\/[^']+)'/gm)) {
            const inMetrics = path.relative(root, full).startsWith('metrics');
            if (!inMetrics || m[1] === undefined) offenders.push(`${path.relative(root, full)}: ${m[2] ?? ''}`);
          }
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
    expect(readFileSync(path.join(root, 'metrics/aws.ts'), 'utf8')).toContain("await import('@aws-sdk/client-lambda')");
  });
});

describe('CloudFormation-generated names', () => {
  it('matches <stack>-<LogicalId>-<suffix> to the stack-qualified candidate and to the bare logical id', async () => {
    const { isGeneratedName } = await import('../../src/metrics/match.js');
    expect(isGeneratedName('reports-GenerateReportFunction', 'reports-GenerateReportFunction-AbC123xYz9')).toBe(true);
    expect(isGeneratedName('GenerateReportFunction', 'reports-GenerateReportFunction-AbC123xYz9')).toBe(true);
    expect(isGeneratedName('GenerateReportFunction', 'reports-GenerateReportFunction')).toBe(false);
    expect(isGeneratedName('ReportFunction', 'reports-GenerateReportFunction-AbC123xYz9')).toBe(false);
    expect(isGeneratedName('GenerateReportFunction', 'reports-GenerateReportFunction-has-more-parts')).toBe(false);
  });
});
