import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { verifySignature } from '../lib/signature.mjs';

const sm = new SecretsManagerClient({});
const sns = new SNSClient({});
const TOPIC_ARN = process.env.ORDER_EVENTS_TOPIC_ARN;

// Fetched once per execution environment, before the first event is accepted.
const secret = await sm.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ID }));
const { webhookSigningKey } = JSON.parse(secret.SecretString ?? '{}');

const HANDLED_EVENTS = new Map([
  ['payment_intent.succeeded', 'order.paid'],
  ['payment_intent.payment_failed', 'order.payment_failed'],
  ['charge.refunded', 'order.refunded'],
]);

function response(statusCode, body) {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export const handler = async (event) => {
  const rawBody = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '';
  const check = verifySignature(event.headers?.['payment-signature'], rawBody, webhookSigningKey);
  if (!check.ok) {
    console.warn(JSON.stringify({ level: 'warn', message: 'webhook rejected', reason: check.reason }));
    return response(401, { received: false });
  }

  const payload = JSON.parse(rawBody);
  const eventType = HANDLED_EVENTS.get(payload.type);
  if (!eventType) return response(200, { received: true, ignored: payload.type });

  const intent = payload.data?.object ?? {};
  const orderId = intent.metadata?.orderId;
  if (!orderId) return response(422, { received: true, error: 'payment has no orderId metadata' });

  await sns.send(
    new PublishCommand({
      TopicArn: TOPIC_ARN,
      Message: JSON.stringify({
        orderId,
        paymentId: intent.id,
        amountCents: intent.amount_received ?? intent.amount,
        currency: String(intent.currency ?? '').toUpperCase(),
        occurredAt: new Date((payload.created ?? 0) * 1000).toISOString(),
      }),
      MessageAttributes: { eventType: { DataType: 'String', StringValue: eventType } },
      MessageGroupId: orderId,
      MessageDeduplicationId: payload.id,
    }),
  );
  return response(200, { received: true });
};
