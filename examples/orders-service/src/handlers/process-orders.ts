import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, ORDERS_TABLE, RESERVATIONS_TABLE } from '../lib/ddb';
import { reservationKey, type OrderMessage } from '../lib/order-model';
import { logger } from '../lib/logger';

const RESERVATION_TTL_SECONDS = 30 * 60;

class PoisonMessageError extends Error {}

function parseMessage(record: SQSRecord): OrderMessage {
  const message = JSON.parse(record.body) as Partial<OrderMessage>;
  if (!message.orderId || !Array.isArray(message.lines) || message.lines.length === 0) {
    throw new PoisonMessageError(`message ${record.messageId} is not an order.created event`);
  }
  return message as OrderMessage;
}

async function reserveStock(record: SQSRecord): Promise<void> {
  const message = parseMessage(record);
  const expiresAt = Math.floor(Date.now() / 1000) + RESERVATION_TTL_SECONDS;

  // One reservation item per SKU so the stock projector can sum reservations per SKU partition.
  for (const line of message.lines) {
    await ddb.send(
      new PutCommand({
        TableName: RESERVATIONS_TABLE,
        Item: { ...reservationKey(message.orderId, line.sku), quantity: line.quantity, expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  await ddb.send(
    new UpdateCommand({
      TableName: ORDERS_TABLE,
      Key: { pk: `ORDER#${message.orderId}`, sk: 'META' },
      UpdateExpression: 'SET #status = :reserved, reservedAt = :now',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':reserved': 'RESERVED', ':pending': 'PENDING', ':now': new Date().toISOString() },
    }),
  );
  logger.info('stock reserved', { orderId: message.orderId, skus: message.lines.length });
}

const baseHandler = async (event: SQSEvent): Promise<PromiseSettledResult<void>[]> => {
  const results = await Promise.allSettled(event.Records.map(reserveStock));
  results.forEach((result, i) => {
    if (result.status === 'rejected') {
      const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
      logger.warn('reservation failed', { messageId: event.Records[i]?.messageId, reason });
    }
  });
  return results;
};

// The middleware turns rejected entries into batchItemFailures so only failed messages are retried.
export const handler = middy(baseHandler).use(sqsPartialBatchFailure());
