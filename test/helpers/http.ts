import type { IncomingMessage } from 'node:http';

/** The whole request body as UTF-8, for the loopback fakes of AWS and GitHub. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}
