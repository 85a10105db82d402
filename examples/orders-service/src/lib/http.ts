import type { APIGatewayProxyResultV2 } from 'aws-lambda';

const CORS_HEADERS = {
  'access-control-allow-origin': process.env.ALLOWED_ORIGIN ?? '*',
  'access-control-allow-headers': 'content-type,authorization',
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...CORS_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

export function parseJsonBody(body: string | undefined, isBase64Encoded = false): unknown {
  if (!body) return undefined;
  const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
