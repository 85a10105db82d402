import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { json } from '../lib/http';

// Load balancer and uptime probes hit this every few seconds: it must stay free of SDK clients and I/O.
const startedAt = new Date().toISOString();
const REQUIRED_ENV = ['ORDERS_TABLE', 'ORDERS_QUEUE_URL', 'INVOICE_BUCKET'] as const;

interface HealthReport {
  status: 'ok' | 'degraded';
  service: string;
  stage: string;
  version: string;
  region: string;
  coldStartAt: string;
  missingConfig: string[];
}

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const missingConfig = REQUIRED_ENV.filter((name) => !process.env[name]);
  const report: HealthReport = {
    status: missingConfig.length === 0 ? 'ok' : 'degraded',
    service: 'orders',
    stage: process.env.STAGE ?? 'dev',
    version: process.env.GIT_SHA ?? 'unknown',
    region: process.env.AWS_REGION ?? 'unknown',
    coldStartAt: startedAt,
    missingConfig: [...missingConfig],
  };
  const verbose = event.queryStringParameters?.verbose === '1';
  const body = verbose ? report : { status: report.status };
  return json(report.status === 'ok' ? 200 : 503, body, { 'cache-control': 'no-store' });
};
