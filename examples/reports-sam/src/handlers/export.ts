import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { S3Client, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Pool } from 'pg';
import pino from 'pino';
import { differenceInCalendarDays, formatISO, isValid, parseISO } from 'date-fns';
import { toCsv, type Column } from '../lib/csv';

const s3 = new S3Client({});
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'reports', fn: 'export' } });
const pool = new Pool({
  host: process.env.DB_HOST,
  database: process.env.DB_NAME,
  user: process.env.DB_USER,
  password: process.env.DB_PASSWORD,
  max: 1,
  ssl: { rejectUnauthorized: true },
});

const BUCKET = process.env.EXPORTS_BUCKET ?? '';
const MAX_RANGE_DAYS = Number(process.env.MAX_RANGE_DAYS ?? 31);
const MAX_ROWS = 200_000;

interface OrderRow {
  order_id: string;
  created_at: Date;
  region: string;
  status: string;
  currency: string;
  total_cents: string;
  line_count: number;
}

const COLUMNS: Column<OrderRow>[] = [
  { header: 'order_id', value: (r) => r.order_id },
  { header: 'created_at', value: (r) => formatISO(r.created_at) },
  { header: 'region', value: (r) => r.region },
  { header: 'status', value: (r) => r.status },
  { header: 'currency', value: (r) => r.currency },
  { header: 'total', value: (r) => (Number(r.total_cents) / 100).toFixed(2) },
  { header: 'lines', value: (r) => r.line_count },
];

function badRequest(message: string): APIGatewayProxyResult {
  return { statusCode: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) };
}

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const body = JSON.parse(event.body ?? '{}') as { from?: string; to?: string; region?: string };
  const from = parseISO(body.from ?? '');
  const to = parseISO(body.to ?? '');
  if (!isValid(from) || !isValid(to) || to < from) return badRequest('from and to must be ISO dates, from <= to');
  if (differenceInCalendarDays(to, from) > MAX_RANGE_DAYS) return badRequest(`at most ${MAX_RANGE_DAYS} days per export`);

  const { rows } = await pool.query<OrderRow>(
    `SELECT order_id, created_at, region, status, currency, total_cents, line_count
       FROM orders
      WHERE created_at >= $1 AND created_at < $2 AND ($3::text IS NULL OR region = $3)
      ORDER BY created_at
      LIMIT $4`,
    [from, to, body.region ?? null, MAX_ROWS + 1],
  );
  if (rows.length > MAX_ROWS) return badRequest('range too large for one export; narrow it down');

  const key = `exports/${formatISO(from, { representation: 'date' })}_${formatISO(to, { representation: 'date' })}_${event.requestContext.requestId}.csv`;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: toCsv(rows, COLUMNS), ContentType: 'text/csv' }));
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 3600 });

  logger.info({ rows: rows.length, key }, 'export written');
  return { statusCode: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows: rows.length, url }) };
};
