#!/usr/bin/env node
// Regenerates the sample Lambda logs in this folder: `node generate.mjs`.
// Deterministic: a seeded PRNG and fixed start times, so the output only changes when this file changes.
// The numbers are shaped after what these functions load at init (see ../../README.md), not measured.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT_DIR = dirname(fileURLToPath(import.meta.url));
const SEED = 20261120;
const RUNTIME_VERSION = 'nodejs:20.v48';
const RUNTIME_ARN = {
  x86_64: 'arn:aws:lambda:eu-west-1::runtime:0a25e3e7a1cc9ce404bc435eeb2ad358d8fa64338e618d0c224fe509403583ca',
  arm64: 'arn:aws:lambda:eu-west-1::runtime:9c0a3b1f6e47d2c85b1e0f4a7d93c26e15b8f0a4c7e2d9b3a61f5c8e0d4b7a29',
};

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const between = (lo, hi) => lo + (hi - lo) * rand();
const intBetween = (lo, hi) => Math.floor(between(lo, hi + 1));
const pick = (items) => items[Math.floor(rand() * items.length)];
const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
const ms = (v) => v.toFixed(2);

// Application lines. Some carry customer e-mail addresses and phone numbers on purpose (all fake, example.*
// domains): lambda-migrate must aggregate REPORT records and never echo raw messages.
const APP_LINES = {
  createOrder: [
    ['INFO', () => '{"level":"info","message":"order created","service":"orders","orderId":"' + uuid() + '","lines":' + intBetween(1, 6) + ',"totalCents":' + intBetween(1500, 48000) + '}'],
    ['WARN', () => 'Coupon WELCOME10 rejected for customer jane.doe@example.com: already redeemed'],
  ],
  getOrder: [['INFO', () => '{"level":"debug","message":"order read","service":"orders","orderId":"' + uuid() + '","status":"PAID"}']],
  ordersApi: [
    ['ERROR', () => 'Validation failed for POST /v1/orders from maria.schmidt@example.org (+49 151 23456789): "lines[0].quantity" must be greater than or equal to 1'],
    ['INFO', () => 'GET /v1/customers/cus_7Hq2/orders 200 - customer tom.baker@example.net'],
  ],
  processOrders: [['INFO', () => '{"level":"info","message":"stock reserved","service":"orders","orderId":"' + uuid() + '","skus":' + intBetween(1, 5) + '}']],
  paymentWebhook: [['WARN', () => '{"level":"warn","message":"webhook rejected","reason":"' + pick(['stale', 'mismatch']) + '"}']],
  generateInvoice: [['INFO', () => 'Invoice rendered for billing contact accounts@example-customer.com, 2 pages']],
  health: [],
  adminListOrders: [['INFO', () => 'admin list by ops.lead@example.com status=PENDING']],
  adminPurgeOrders: [['INFO', () => '{"level":"info","message":"purged cancelled orders","service":"orders","scanned":500,"expired":' + intBetween(20, 140) + '}']],
};

// One profile per function in ../serverless.yml. initMs: Init Duration range; durMs: warm Duration range;
// firstCallExtraMs: extra Duration on the first call of an environment (TLS handshakes, lazy pdfkit import);
// pLongGap: share of calls that come after a quiet spell long enough for Lambda to reclaim the environment.
const FUNCTIONS = [
  { fn: 'createOrder', arch: 'x86_64', memory: 1024, count: 64, pCold: 0.1, initMs: [720, 980], durMs: [95, 230], firstCallExtraMs: [60, 130], memUsed: [131, 164], pLongGap: 0.15 },
  { fn: 'getOrder', arch: 'x86_64', memory: 512, count: 56, pCold: 0.1, initMs: [610, 800], durMs: [18, 62], firstCallExtraMs: [40, 90], memUsed: [108, 126], pLongGap: 0.15 },
  { fn: 'ordersApi', arch: 'x86_64', memory: 1024, count: 78, pCold: 0.08, initMs: [880, 1100], durMs: [34, 185], firstCallExtraMs: [70, 150], memUsed: [148, 191], pLongGap: 0.1 },
  { fn: 'processOrders', arch: 'x86_64', memory: 512, count: 48, pCold: 0.1, initMs: [355, 450], durMs: [120, 940], firstCallExtraMs: [50, 110], memUsed: [96, 118], pLongGap: 0.15 },
  { fn: 'paymentWebhook', arch: 'x86_64', memory: 1024, count: 42, pCold: 0.12, initMs: [520, 690], durMs: [24, 72], firstCallExtraMs: [30, 70], memUsed: [92, 105], pLongGap: 0.2 },
  { fn: 'generateInvoice', arch: 'arm64', memory: 1536, count: 34, pCold: 0.15, initMs: [385, 470], durMs: [180, 420], firstCallExtraMs: [260, 410], memUsed: [171, 236], pLongGap: 0.25 },
  { fn: 'health', arch: 'x86_64', memory: 128, count: 80, pCold: 0.04, initMs: [148, 202], durMs: [1.1, 3.6], firstCallExtraMs: [1, 4], memUsed: [64, 71], pLongGap: 0.02 },
  { fn: 'adminListOrders', arch: 'x86_64', memory: 1024, count: 30, pCold: 0.55, initMs: [600, 790], durMs: [150, 460], firstCallExtraMs: [50, 120], memUsed: [118, 136], pLongGap: 0.6 },
  { fn: 'adminPurgeOrders', arch: 'x86_64', memory: 1024, count: 30, pCold: 0.65, initMs: [610, 805], durMs: [420, 2480], firstCallExtraMs: [50, 120], memUsed: [121, 142], pLongGap: 0.75 },
];

// An environment is reclaimed after a while idle; beyond this gap the next call is always a cold start.
const IDLE_RECLAIM_MIN = 25;

function simulate(profile, startIso) {
  const invocations = [];
  let t = Date.parse(startIso) + intBetween(0, 3600) * 1000;
  for (let i = 0; i < profile.count; i++) {
    // Traffic comes in bursts (a checkout session, a batch of SQS messages) separated by quiet spells.
    const gap = i === 0 ? 0 : rand() < profile.pLongGap ? between(30, 420) : between(0.05, 9);
    t += Math.round(gap * 60_000 + between(0, 59_999));
    const cold = i === 0 || gap > IDLE_RECLAIM_MIN || rand() < profile.pCold;
    const init = cold ? between(profile.initMs[0], profile.initMs[1]) : undefined;
    let duration = between(profile.durMs[0], profile.durMs[1]);
    if (cold) duration += between(profile.firstCallExtraMs[0], profile.firstCallExtraMs[1]);
    // INIT is billed for on-demand ZIP managed runtimes since 2025-08-01: Billed Duration covers Init + Duration.
    const billed = Math.ceil(duration + (init ?? 0));
    invocations.push({
      time: t,
      requestId: uuid(),
      cold,
      init,
      duration,
      billed,
      memUsed: intBetween(profile.memUsed[0], profile.memUsed[1]),
      verbose: cold || rand() < 0.06,
    });
  }
  return invocations;
}

const iso = (epochMs) => new Date(epochMs).toISOString();
const logGroupOf = (fn) => `/aws/lambda/orders-dev-${fn}`;

// (a) Text format, 2026-11-18..20, every function: `<log group>\t<timestamp>\t<message>`.
const textLines = [];
for (const profile of FUNCTIONS) {
  const group = logGroupOf(profile.fn);
  const out = (epochMs, message) => textLines.push(`${group}\t${iso(epochMs)}\t${message}`);
  for (const inv of simulate(profile, '2026-11-18T06:00:00.000Z')) {
    const initStart = inv.time - Math.ceil(inv.init ?? 0) - 2;
    if (inv.cold && inv.verbose) {
      out(initStart, `INIT_START Runtime Version: ${RUNTIME_VERSION}\tRuntime Version ARN: ${RUNTIME_ARN[profile.arch]}`);
    }
    if (inv.verbose) {
      out(inv.time, `START RequestId: ${inv.requestId} Version: $LATEST`);
      const lines = APP_LINES[profile.fn];
      if (lines.length > 0 && rand() < 0.7) {
        const [level, make] = pick(lines);
        const at = inv.time + Math.round(inv.duration / 2);
        out(at, `${iso(at)}\t${inv.requestId}\t${level}\t${make()}`);
      }
      out(inv.time + Math.round(inv.duration), `END RequestId: ${inv.requestId}`);
    }
    const init = inv.init === undefined ? '' : `\tInit Duration: ${ms(inv.init)} ms`;
    out(
      inv.time + Math.round(inv.duration) + 1,
      `REPORT RequestId: ${inv.requestId}\tDuration: ${ms(inv.duration)} ms\tBilled Duration: ${inv.billed} ms\t` +
        `Memory Size: ${profile.memory} MB\tMax Memory Used: ${inv.memUsed} MB${init}\t`,
    );
  }
}
writeFileSync(join(OUT_DIR, 'text-report.log'), textLines.join('\n') + '\n');

// (b) JSON format, 2026-11-23..25, after processOrders and generateInvoice moved to LogFormat JSON.
// Each line is Lambda's record with one field added by the export: "logGroup".
const jsonLines = [];
const JSON_FUNCTIONS = ['processOrders', 'generateInvoice'];
for (const profile of FUNCTIONS.filter((p) => JSON_FUNCTIONS.includes(p.fn))) {
  const logGroup = logGroupOf(profile.fn);
  const emit = (record) => jsonLines.push(JSON.stringify({ logGroup, ...record }));
  const invocations = simulate({ ...profile, count: Math.round(profile.count * 0.9) }, '2026-11-23T06:00:00.000Z');
  // One visibility-timeout storm: a batch that ran into the 30 s function timeout.
  const timeoutIndex = profile.fn === 'processOrders' ? 17 : -1;
  invocations.forEach((inv, i) => {
    if (inv.cold) {
      emit({
        time: iso(inv.time - Math.ceil(inv.init ?? 0) - 2),
        type: 'platform.initStart',
        record: {
          initializationType: 'on-demand',
          phase: 'init',
          runtimeVersion: RUNTIME_VERSION,
          runtimeVersionArn: RUNTIME_ARN[profile.arch],
          functionName: `orders-dev-${profile.fn}`,
          functionVersion: '$LATEST',
        },
      });
    }
    emit({ time: iso(inv.time), type: 'platform.start', record: { requestId: inv.requestId, version: '$LATEST' } });
    const lines = APP_LINES[profile.fn];
    if (inv.verbose && lines.length > 0) {
      const [level, make] = pick(lines);
      const at = inv.time + Math.round(inv.duration / 2);
      jsonLines.push(JSON.stringify({ logGroup, timestamp: iso(at), level, requestId: inv.requestId, message: make() }));
    }
    const timedOut = i === timeoutIndex;
    const duration = timedOut ? 30000 : inv.duration;
    const metrics = {
      durationMs: Number(ms(duration)),
      billedDurationMs: timedOut ? Math.ceil(30000 + (inv.init ?? 0)) : inv.billed,
      memorySizeMB: profile.memory,
      maxMemoryUsedMB: timedOut ? profile.memUsed[1] + 9 : inv.memUsed,
    };
    if (inv.init !== undefined) metrics.initDurationMs = Number(ms(inv.init));
    emit({
      time: iso(inv.time + Math.round(duration) + 1),
      type: 'platform.report',
      record: { requestId: inv.requestId, metrics, status: timedOut ? 'timeout' : 'success' },
    });
  });
}
writeFileSync(join(OUT_DIR, 'platform-report.jsonl'), jsonLines.join('\n') + '\n');
