// The action's outputs: the headline numbers of a result as `name=value` lines for $GITHUB_OUTPUT, so a workflow can
// write `if: steps.lm.outputs.gates-crossed != ''` or compare `monthly-usd-delta`. Plain Node, no dependencies: it
// runs from the action's checkout whatever lambda-migrate version did the scan.
//
// usage: node outputs.mjs RESULT.json [GATE_LOG]   (GATE_LOG: the report command's stderr)
import { readFileSync } from 'node:fs';

const [resultFile, gateLog] = process.argv.slice(2);
if (resultFile === undefined) {
  process.stderr.write('usage: node outputs.mjs RESULT.json [GATE_LOG]\n');
  process.exit(2);
}
const result = JSON.parse(readFileSync(resultFile, 'utf8'));

/** Integer micro-USD as an exact decimal of dollars (`41250000` -> `41.25`, `-14000` -> `-0.014`); '' when unknown. */
function dollars(micro) {
  if (typeof micro !== 'number' || !Number.isInteger(micro)) return '';
  const sign = micro < 0 ? '-' : '';
  const abs = Math.abs(micro);
  const frac = String(abs % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${sign}${Math.floor(abs / 1_000_000)}${frac === '' ? '' : `.${frac}`}`;
}

/** A number in ms rounded to 0.1 (what the reports show); '' when unknown. */
function ms(value) {
  return typeof value === 'number' && Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '';
}

// One `fail-on SPEC: what` line per gate crossed (src/report/gates.ts); the spec has no spaces or colons.
const crossed = gateLog === undefined ? [] : [...readFileSync(gateLog, 'utf8').matchAll(/^fail-on ([^\s:]+): /gm)].map((m) => m[1]);
const totals = result.diff?.totals;
const outputs = {
  functions: String(result.functions?.length ?? 0),
  'est-init-ms': ms(result.summary?.estInitMs),
  'monthly-usd': dollars(result.summary?.cost?.functionsPriced > 0 ? result.summary.cost.monthlyMicroUsd : undefined),
  'plan-saves-usd': dollars(result.summary?.cost?.functionsPriced > 0 ? result.summary.cost.planSavingMicroUsd : undefined),
  'init-ms-delta': ms(totals?.estInitMsAdded),
  'monthly-usd-delta': dollars(totals?.monthlyMicroUsdAdded ?? undefined),
  'findings-new': totals === undefined ? '' : String(totals.findingsNew),
  'gates-crossed': [...new Set(crossed)].join(','),
};
for (const [name, value] of Object.entries(outputs)) process.stdout.write(`${name}=${value}\n`);
