import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { getOrder } from '@lib/db';
import { json } from '../lib/http';
import { logger } from '../lib/logger';

const SUPPORT_GROUP = 'support';

function canRead(claims: Record<string, string | number | boolean | string[]>, customerId: string): boolean {
  if (claims.sub === customerId) return true;
  const groups = String(claims['cognito:groups'] ?? '').split(/[\s,]+/);
  return groups.includes(SUPPORT_GROUP);
}

export const handler = async (event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyResultV2> => {
  const orderId = event.pathParameters?.orderId;
  if (!orderId || !/^[0-9a-f-]{36}$/.test(orderId)) return json(400, { message: 'orderId must be a UUID' });

  const record = await getOrder(orderId);
  if (!record || !canRead(event.requestContext.authorizer.jwt.claims, record.customerId)) {
    // Same answer for "absent" and "not yours" so order ids cannot be probed.
    return json(404, { message: 'order not found' });
  }

  const { pk, sk, gsi1pk, gsi1sk, ...order } = record;
  const body = JSON.stringify(order);
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  if (event.headers['if-none-match'] === etag) return { statusCode: 304, headers: { etag } };

  logger.debug('order read', { orderId, status: order.status, key: `${pk}/${sk}`, index: `${gsi1pk}/${gsi1sk}` });
  return json(200, order, { etag, 'cache-control': 'private, max-age=30' });
};
