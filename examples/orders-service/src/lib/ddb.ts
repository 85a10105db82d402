import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// One client per execution environment, created at init and reused by every invocation.
const client = new DynamoDBClient({ maxAttempts: 3 });

export const ddb = DynamoDBDocumentClient.from(client, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
});

export const ORDERS_TABLE = process.env.ORDERS_TABLE ?? 'orders-dev';
export const RESERVATIONS_TABLE = process.env.RESERVATIONS_TABLE ?? 'orders-reservations-dev';
