import { createHmac, timingSafeEqual } from 'node:crypto';

const TOLERANCE_SECONDS = 300;

/**
 * Verifies a `t=<unix>,v1=<hex hmac>` payment-provider signature header over `${t}.${rawBody}`.
 * Returns the reason on failure so the caller can log it without logging the payload.
 */
export function verifySignature(header, rawBody, signingKey, nowSeconds = Math.floor(Date.now() / 1000)) {
  if (!header) return { ok: false, reason: 'missing-header' };
  const parts = Object.fromEntries(
    header.split(',').map((kv) => {
      const [k, ...rest] = kv.trim().split('=');
      return [k, rest.join('=')];
    }),
  );
  const timestamp = Number(parts.t);
  if (!Number.isFinite(timestamp)) return { ok: false, reason: 'bad-timestamp' };
  if (Math.abs(nowSeconds - timestamp) > TOLERANCE_SECONDS) return { ok: false, reason: 'stale' };

  const expected = createHmac('sha256', signingKey).update(`${timestamp}.${rawBody}`).digest();
  const received = Buffer.from(parts.v1 ?? '', 'hex');
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return { ok: false, reason: 'mismatch' };
  }
  return { ok: true };
}
