import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { S3Client, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, ORDERS_TABLE } from '../lib/ddb';
import type { OrderRecord } from '../lib/db';
import { formatMoney } from '../lib/order-model';
import { json } from '../lib/http';

const INVOICE_BUCKET = process.env.INVOICE_BUCKET ?? 'orders-invoices-dev';
const SELLER = { name: 'Acme Outfitters GmbH', vatId: 'DE000000000', address: 'Beispielstr. 1, 10115 Berlin' };

function renderToBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

export const handler = async (event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyResultV2> => {
  const s3 = new S3Client({});
  const orderId = event.pathParameters?.orderId;
  if (!orderId) return json(400, { message: 'orderId is required' });

  const { Item } = await ddb.send(new GetCommand({ TableName: ORDERS_TABLE, Key: { pk: `ORDER#${orderId}`, sk: 'META' } }));
  const order = Item as OrderRecord | undefined;
  if (!order || order.customerId !== event.requestContext.authorizer.jwt.claims.sub) {
    return json(404, { message: 'order not found' });
  }
  if (order.status === 'PENDING' || order.status === 'CANCELLED') {
    return json(409, { message: `no invoice for an order in status ${order.status}` });
  }

  // pdfkit and its font metrics are only needed here, so they load on the first invoice, not at cold start.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Invoice ${order.orderId}` } });
  doc.fontSize(18).text(SELLER.name).fontSize(9).text(`${SELLER.address} · VAT ${SELLER.vatId}`).moveDown(2);
  doc.fontSize(14).text(`Invoice for order ${order.orderId}`).fontSize(10).text(`Date: ${order.createdAt.slice(0, 10)}`);
  doc.moveDown();
  for (const line of order.lines) {
    const amount = formatMoney(line.quantity * line.unitPriceCents, order.currency);
    doc.text(`${line.quantity} × ${line.sku}`, { continued: true }).text(amount, { align: 'right' });
  }
  doc.moveDown();
  doc.text(`Subtotal: ${formatMoney(order.subtotalCents, order.currency)}`, { align: 'right' });
  if (order.discountCents > 0) doc.text(`Discount: -${formatMoney(order.discountCents, order.currency)}`, { align: 'right' });
  doc.text(`VAT: ${formatMoney(order.taxCents, order.currency)}`, { align: 'right' });
  doc.fontSize(12).text(`Total: ${formatMoney(order.totalCents, order.currency)}`, { align: 'right' });
  const pdf = await renderToBuffer(doc);

  const key = `invoices/${order.customerId}/${order.orderId}.pdf`;
  await s3.send(new PutObjectCommand({ Bucket: INVOICE_BUCKET, Key: key, Body: pdf, ContentType: 'application/pdf' }));
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: INVOICE_BUCKET, Key: key }), { expiresIn: 900 });
  return json(200, { orderId: order.orderId, url, expiresInSeconds: 900 });
};
