import AWS from 'aws-sdk';
import type { Order, OrderStatus } from './order-model';
import { logger } from './logger';

// Written in 2021 against aws-sdk v2; create-order, get-order, the admin functions and the legacy express API all
// go through this module. The v3 client used by the newer handlers lives in ./ddb.ts.
AWS.config.update({ region: process.env.AWS_REGION ?? 'eu-west-1', maxRetries: 3 });

const docClient = new AWS.DynamoDB.DocumentClient({ convertEmptyValues: true });

export const ORDERS_TABLE = process.env.ORDERS_TABLE ?? 'orders-dev';

// The single-table item: the order plus its key attributes and the GSI used to list a customer's orders.
export interface OrderRecord extends Order {
  pk: string;
  sk: string;
  gsi1pk: string;
  gsi1sk: string;
}

export function toRecord(order: Order): OrderRecord {
  return {
    ...order,
    pk: `ORDER#${order.orderId}`,
    sk: 'META',
    gsi1pk: `CUSTOMER#${order.customerId}`,
    gsi1sk: order.createdAt,
  };
}

export async function putOrder(order: Order): Promise<void> {
  await docClient
    .put({
      TableName: ORDERS_TABLE,
      Item: toRecord(order),
      ConditionExpression: 'attribute_not_exists(pk)',
    })
    .promise();
}

export async function getOrder(orderId: string): Promise<OrderRecord | undefined> {
  const result = await docClient.get({ TableName: ORDERS_TABLE, Key: { pk: `ORDER#${orderId}`, sk: 'META' } }).promise();
  return result.Item as OrderRecord | undefined;
}

export async function listOrdersByCustomer(customerId: string, limit = 25): Promise<OrderRecord[]> {
  const result = await docClient
    .query({
      TableName: ORDERS_TABLE,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}` },
      ScanIndexForward: false,
      Limit: limit,
    })
    .promise();
  return (result.Items ?? []) as OrderRecord[];
}

export interface OrderPage {
  items: OrderRecord[];
  cursor?: string;
}

export async function scanOrdersByStatus(status: OrderStatus, limit: number, cursor?: string): Promise<OrderPage> {
  const result = await docClient
    .scan({
      TableName: ORDERS_TABLE,
      FilterExpression: '#status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
      Limit: limit,
      ExclusiveStartKey: cursor ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined,
    })
    .promise();
  const next = result.LastEvaluatedKey ? Buffer.from(JSON.stringify(result.LastEvaluatedKey)).toString('base64url') : undefined;
  return { items: (result.Items ?? []) as OrderRecord[], cursor: next };
}

// BatchWriteItem takes at most 25 requests; callers chunk before calling.
export async function deleteOrders(keys: Array<Pick<OrderRecord, 'pk' | 'sk'>>): Promise<number> {
  const result = await docClient
    .batchWrite({ RequestItems: { [ORDERS_TABLE]: keys.map((Key) => ({ DeleteRequest: { Key } })) } })
    .promise();
  const unprocessed = result.UnprocessedItems?.[ORDERS_TABLE]?.length ?? 0;
  if (unprocessed > 0) logger.warn('batchWrite left unprocessed items', { unprocessed });
  return keys.length - unprocessed;
}
