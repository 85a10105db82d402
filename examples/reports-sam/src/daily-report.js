'use strict';

const axios = require('axios');
const { format, subDays, startOfDay } = require('date-fns');
const { pool } = require('./lib/pool');
const logger = require('./lib/logger');

const WEBHOOK_BASE = process.env.SLACK_WEBHOOK_BASE;
const CHANNEL_HOOKS = { EU: 'B00000000/eu-sales', UK: 'B00000001/uk-sales', US: 'B00000002/us-sales' };
const http = axios.create({ timeout: 5000, headers: { 'content-type': 'application/json' } });

const SALES_BY_REGION_SQL = `
  SELECT region,
         count(*)::int                        AS orders,
         sum(total_cents)::bigint             AS revenue_cents,
         count(DISTINCT customer_id)::int     AS customers,
         sum(CASE WHEN coupon_code IS NOT NULL THEN 1 ELSE 0 END)::int AS with_coupon
    FROM orders
   WHERE created_at >= $1 AND created_at < $2
     AND status <> 'CANCELLED'
   GROUP BY region
   ORDER BY revenue_cents DESC`;

function formatCents(cents, currency) {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(Number(cents) / 100);
}

function buildMessage(day, row, previous) {
  const currency = row.region === 'US' ? 'USD' : row.region === 'UK' ? 'GBP' : 'EUR';
  const change = previous && Number(previous.revenue_cents) > 0
    ? ((Number(row.revenue_cents) - Number(previous.revenue_cents)) / Number(previous.revenue_cents)) * 100
    : null;
  const trend = change === null ? 'no data for the day before' : `${change >= 0 ? '+' : ''}${change.toFixed(1)}% vs. the day before`;
  return {
    text: `Sales ${row.region} ${format(day, 'EEE d MMM yyyy')}: ${formatCents(row.revenue_cents, currency)} (${trend})`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${row.orders}* orders from *${row.customers}* customers` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${row.with_coupon} used a coupon` }] },
    ],
  };
}

exports.handler = async (event) => {
  const day = startOfDay(subDays(event && event.time ? new Date(event.time) : new Date(), 1));
  const dayBefore = subDays(day, 1);

  const [{ rows: current }, { rows: previous }] = await Promise.all([
    pool.query(SALES_BY_REGION_SQL, [day, subDays(day, -1)]),
    pool.query(SALES_BY_REGION_SQL, [dayBefore, day]),
  ]);

  for (const row of current) {
    const hook = CHANNEL_HOOKS[row.region];
    if (!hook) continue;
    const before = previous.find((p) => p.region === row.region);
    await http.post(`${WEBHOOK_BASE}/${hook}`, buildMessage(day, row, before));
  }

  await pool.query('INSERT INTO report_runs (report, day, regions) VALUES ($1, $2, $3)', ['daily-sales', day, current.length]);
  logger.info('daily report sent', { day: format(day, 'yyyy-MM-dd'), regions: current.length });
  return { day: format(day, 'yyyy-MM-dd'), regions: current.map((r) => r.region) };
};
