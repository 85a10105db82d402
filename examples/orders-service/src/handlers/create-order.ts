import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import _ from 'lodash';
import moment from 'moment';
import { v4 as uuidv4 } from 'uuid';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { putOrder } from '../lib/db';
import { type OrderInput, type Order, ValidationError, computeTotals, validateOrderInput } from '../lib/order-model';
import { json, parseJsonBody } from '../lib/http';
import { logger } from '../lib/logger';

const sqs = new SQSClient({});
const QUEUE_URL = process.env.ORDERS_QUEUE_URL ?? '';
const MAX_LINES = 50;

// Warehouse ships on weekdays only; orders placed after the cut-off leave the next working day.
function estimateDelivery(createdAt: moment.Moment, country: string): string {
  const transitDays = country === 'DE' ? 1 : country === 'GB' ? 3 : 2;
  const ship = createdAt.clone();
  if (ship.hour() >= 15) ship.add(1, 'day');
  while (ship.isoWeekday() > 5) ship.add(1, 'day');
  let delivery = ship.clone();
  let remaining = transitDays;
  while (remaining > 0) {
    delivery = delivery.add(1, 'day');
    if (delivery.isoWeekday() <= 5) remaining -= 1;
  }
  return delivery.format('YYYY-MM-DD');
}

// Clients sometimes send the same SKU on several lines; the warehouse wants one line per SKU.
function mergeLines(input: OrderInput): OrderInput {
  const lines = _.map(_.groupBy(input.lines, 'sku'), (group, sku) => ({
    sku,
    quantity: _.sumBy(group, 'quantity'),
    unitPriceCents: _.minBy(group, 'unitPriceCents')?.unitPriceCents ?? 0,
  }));
  return { ...input, lines: _.sortBy(lines, 'sku') };
}

export const handler = async (event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyResultV2> => {
  const callerId = event.requestContext.authorizer.jwt.claims.sub;
  let input: OrderInput;
  try {
    input = mergeLines(validateOrderInput(parseJsonBody(event.body, event.isBase64Encoded)));
  } catch (err) {
    if (err instanceof ValidationError) return json(400, { message: 'invalid order', issues: err.issues });
    throw err;
  }
  if (input.customerId !== callerId) return json(403, { message: 'cannot order on behalf of another customer' });
  if (input.lines.length > MAX_LINES) return json(422, { message: `at most ${MAX_LINES} distinct SKUs per order` });

  const now = moment.utc();
  const order: Order = {
    ..._.omit(input, ['couponCode']),
    couponCode: input.couponCode?.toUpperCase(),
    ...computeTotals(input),
    orderId: uuidv4(),
    status: 'PENDING',
    createdAt: now.toISOString(),
    estimatedDelivery: estimateDelivery(now, input.shippingAddress.country),
  };

  await putOrder(order);
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: QUEUE_URL,
      MessageBody: JSON.stringify({ orderId: order.orderId, customerId: order.customerId, lines: order.lines }),
      MessageAttributes: { eventType: { DataType: 'String', StringValue: 'order.created' } },
    }),
  );

  logger.info('order created', { orderId: order.orderId, lines: order.lines.length, totalCents: order.totalCents });
  return json(201, _.pick(order, ['orderId', 'status', 'totalCents', 'currency', 'estimatedDelivery']), {
    location: `/v2/orders/${order.orderId}`,
  });
};
