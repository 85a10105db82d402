/**
 * Exact money. Prices are decimal strings with at most 10 decimals (`0.0000166667`), and compute is billed per
 * GB-second where 1 GB-s = 1024 MB x 1000 ms. Counting money in units of 1 / (1024 x 10^13) USD makes
 * `MB-ms x price` and `requests x price` whole numbers, so sums, tiers and savings stay exact; rounding happens only
 * when a figure is shown (`toMicroUsd`, `formatUsd`).
 */
export type Money = bigint;

const PRICE_DECIMALS = 10;
/** Money units in one price unit (10^-10 USD): 1024 MB-per-GB x 1000 ms-per-s. */
const UNITS_PER_PRICE_UNIT = 1024n * 1000n;
export const UNITS_PER_USD = 1024n * 10n ** 13n;
const UNITS_PER_MICRO_USD = UNITS_PER_USD / 1_000_000n;

/** A price as an integer count of 10^-10 USD. */
export type Rate = bigint;

export function parseRate(decimal: string): Rate {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!m) throw new Error(`not a decimal price: '${decimal}'`);
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  if (frac.length > PRICE_DECIMALS) throw new Error(`price '${decimal}' has more than ${PRICE_DECIMALS} decimals`);
  return BigInt(whole) * 10n ** BigInt(PRICE_DECIMALS) + BigInt(frac.padEnd(PRICE_DECIMALS, '0') || '0');
}

/** Cost of `mbMs` (memory MB x billed ms) at `perGbSecond`. Exact. */
export function computeCost(mbMs: bigint, perGbSecond: Rate): Money {
  return mbMs * perGbSecond;
}

/** Cost of `count` items at `perItem` (e.g. one request = 0.20 / 1M). Exact. */
export function itemCost(count: bigint, perItem: Rate): Money {
  return count * perItem * UNITS_PER_PRICE_UNIT;
}

/** Per-request rate from a per-million price: 0.20 / 1M = 2,000 x 10^-10 USD. */
export function perMillionToPerItem(perMillion: Rate): Rate {
  if (perMillion % 1_000_000n !== 0n) throw new Error('per-million price has more precision than 10^-10 USD per item');
  return perMillion / 1_000_000n;
}

/** MB-ms in one GB-second. */
export const MB_MS_PER_GB_SECOND = 1024n * 1000n;

/** Half-up (away from zero) integer micro-dollars: the JSON and report figure. */
export function toMicroUsd(m: Money): number {
  const neg = m < 0n;
  const abs = neg ? -m : m;
  const q = (abs * 2n + UNITS_PER_MICRO_USD) / (UNITS_PER_MICRO_USD * 2n);
  return Number(neg ? -q : q);
}

/** Dollars for people: cents from $1, otherwise enough decimals to show 2 significant digits (max 6). */
export function formatUsd(microUsd: number): string {
  const neg = microUsd < 0;
  const abs = Math.abs(microUsd);
  let decimals = 2;
  if (abs !== 0 && abs < 1_000_000) {
    decimals = Math.min(6, Math.max(2, 6 - String(abs).length + 2));
  }
  const scale = 10 ** (6 - decimals);
  const rounded = Math.round(abs / scale);
  const whole = Math.trunc(rounded / 10 ** decimals);
  const frac = String(rounded % 10 ** decimals).padStart(decimals, '0');
  const wholeText = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}$${wholeText}.${frac}`;
}
