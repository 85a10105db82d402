// Domain types and pure order arithmetic. No I/O here: everything in this file is safe to call from tests
// and from any handler without pulling a client or an SDK onto the init path.

export type OrderStatus = 'PENDING' | 'RESERVED' | 'PAID' | 'SHIPPED' | 'CANCELLED';

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface OrderInput {
  customerId: string;
  currency: 'EUR' | 'USD' | 'GBP';
  lines: OrderLine[];
  shippingAddress: { line1: string; city: string; postalCode: string; country: string };
  couponCode?: string;
}

export interface Order extends OrderInput {
  orderId: string;
  status: OrderStatus;
  subtotalCents: number;
  discountCents: number;
  taxCents: number;
  totalCents: number;
  createdAt: string;
  estimatedDelivery: string;
}

export interface OrderMessage {
  orderId: string;
  customerId: string;
  lines: OrderLine[];
}

const TAX_RATES: Record<string, number> = { DE: 0.19, FR: 0.2, NL: 0.21, GB: 0.2, US: 0 };
const COUPONS: Record<string, number> = { WELCOME10: 0.1, BLACKFRIDAY: 0.25 };

export class ValidationError extends Error {
  constructor(public readonly issues: string[]) {
    super(`invalid order: ${issues.join('; ')}`);
    this.name = 'ValidationError';
  }
}

export function validateOrderInput(body: unknown): OrderInput {
  const issues: string[] = [];
  const input = (body ?? {}) as Partial<OrderInput>;
  if (typeof input.customerId !== 'string' || input.customerId.length === 0) issues.push('customerId is required');
  if (!['EUR', 'USD', 'GBP'].includes(String(input.currency))) issues.push('currency must be EUR, USD or GBP');
  if (!Array.isArray(input.lines) || input.lines.length === 0) {
    issues.push('at least one line is required');
  } else {
    input.lines.forEach((line, i) => {
      if (!line.sku) issues.push(`lines[${i}].sku is required`);
      if (!Number.isInteger(line.quantity) || line.quantity < 1) issues.push(`lines[${i}].quantity must be >= 1`);
      if (!Number.isInteger(line.unitPriceCents) || line.unitPriceCents < 0) issues.push(`lines[${i}].unitPriceCents must be >= 0`);
    });
  }
  if (!input.shippingAddress?.country) issues.push('shippingAddress.country is required');
  if (issues.length > 0) throw new ValidationError(issues);
  return input as OrderInput;
}

export function computeTotals(input: OrderInput): Pick<Order, 'subtotalCents' | 'discountCents' | 'taxCents' | 'totalCents'> {
  const subtotalCents = input.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  const discountRate = input.couponCode ? COUPONS[input.couponCode.toUpperCase()] ?? 0 : 0;
  const discountCents = Math.round(subtotalCents * discountRate);
  const taxRate = TAX_RATES[input.shippingAddress.country] ?? 0;
  const taxCents = Math.round((subtotalCents - discountCents) * taxRate);
  return { subtotalCents, discountCents, taxCents, totalCents: subtotalCents - discountCents + taxCents };
}

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(cents / 100);
}

export function reservationKey(orderId: string, sku: string): { pk: string; sk: string } {
  return { pk: `SKU#${sku}`, sk: `ORDER#${orderId}` };
}
