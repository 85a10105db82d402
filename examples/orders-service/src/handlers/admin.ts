import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import chunk from 'lodash/chunk';
import { deleteOrders, scanOrdersByStatus, type OrderRecord } from '../lib/db';
import type { OrderStatus } from '../lib/order-model';
import { json } from '../lib/http';
import { logger } from '../lib/logger';

const STATUSES: OrderStatus[] = ['PENDING', 'RESERVED', 'PAID', 'SHIPPED', 'CANCELLED'];
const ADMIN_GROUP = 'orders-admin';
const PURGE_MIN_AGE_DAYS = 90;

type AdminEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

function isAdmin(event: AdminEvent): boolean {
  const groups = String(event.requestContext.authorizer.jwt.claims['cognito:groups'] ?? '');
  return groups.split(/[\s,]+/).includes(ADMIN_GROUP);
}

function summarise(order: OrderRecord) {
  return { orderId: order.orderId, customerId: order.customerId, status: order.status, totalCents: order.totalCents, createdAt: order.createdAt };
}

// GET /admin/orders?status=PAID&limit=50&cursor=...
export const list = async (event: AdminEvent): Promise<APIGatewayProxyResultV2> => {
  if (!isAdmin(event)) return json(403, { message: 'admin only' });
  const status = (event.queryStringParameters?.status ?? 'PENDING').toUpperCase() as OrderStatus;
  if (!STATUSES.includes(status)) return json(400, { message: `status must be one of ${STATUSES.join(', ')}` });
  const limit = Math.min(Number(event.queryStringParameters?.limit ?? 50) || 50, 200);

  const page = await scanOrdersByStatus(status, limit, event.queryStringParameters?.cursor);
  return json(200, { items: page.items.map(summarise), cursor: page.cursor ?? null });
};

// POST /admin/orders/purge — removes one page of cancelled orders older than the retention window.
export const purge = async (event: AdminEvent): Promise<APIGatewayProxyResultV2> => {
  if (!isAdmin(event)) return json(403, { message: 'admin only' });
  const cutoff = new Date(Date.now() - PURGE_MIN_AGE_DAYS * 24 * 3600 * 1000).toISOString();
  const page = await scanOrdersByStatus('CANCELLED', 500, event.queryStringParameters?.cursor);
  const expired = page.items.filter((order) => order.createdAt < cutoff).map(({ pk, sk }) => ({ pk, sk }));

  const deletedPerBatch = await Promise.all(chunk(expired, 25).map((batch) => deleteOrders(batch)));
  const deleted = deletedPerBatch.reduce((sum, n) => sum + n, 0);
  logger.info('purged cancelled orders', { scanned: page.items.length, expired: expired.length, deleted, cutoff });
  return json(200, { deleted, failed: expired.length - deleted, cursor: page.cursor ?? null });
};
