/**
 * Number and label formatting shared by the human-readable reports. Deterministic on purpose: no locale or ICU data,
 * so golden files read the same on every machine.
 */

export const UNKNOWN = '?';

/** Milliseconds as a whole number; estimates are too rough for decimals to mean anything. */
export function formatMs(ms: number | null): string {
  return ms === null ? UNKNOWN : formatCount(Math.round(ms));
}

/** Integer with `,` thousands separators (`303,412`). */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.abs(Math.round(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const SIZE_UNITS = ['kB', 'MB', 'GB', 'TB'] as const;

/**
 * Decimal (SI) units, one decimal place: package sizes are reported the way npm and the AWS console show them, and
 * `9800000` reads as `9.8 MB`.
 */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) {
    return UNKNOWN;
  }
  if (Math.abs(bytes) < 1000) {
    return `${Math.round(bytes)} B`;
  }
  let value = bytes / 1000;
  let unit: string = SIZE_UNITS[0];
  for (const next of SIZE_UNITS.slice(1)) {
    // Compare the rounded value so 999,960 bytes becomes `1.0 MB`, not `1000.0 kB`.
    if (Math.abs(Math.round(value * 10) / 10) < 1000) {
      break;
    }
    value /= 1000;
    unit = next;
  }
  return `${value.toFixed(1)} ${unit}`;
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/** Measured milliseconds keep one decimal: REPORT lines carry two, and 0.1 ms is what a histogram bucket resolves. */
export function formatMeasuredMs(ms: number): string {
  const tenths = Math.round(ms * 10);
  return `${formatCount(Math.trunc(tenths / 10))}.${Math.abs(tenths % 10)}`;
}
