import { defineRule } from '../src/engine/rule.js';
import { loadNodeRuntimes, nodeRuntimesCheckedOn } from '../src/node-runtimes-data.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export default defineRule({
  meta: {
    id: 'deprecated-runtime',
    description: 'Disallow Node.js Lambda runtimes that are deprecated or close to deprecation',
    rationale:
      'A deprecated runtime gets no security patches, and after its block dates functions on it can no longer be created or updated, so a fix cannot be deployed without first changing the runtime.',
    severity: 'warn',
    category: 'portability',
    options: {
      warnDaysBefore: {
        type: 'number',
        integer: true,
        minimum: 0,
        default: 180,
        description: 'Report a runtime as info this many days before its deprecation date',
      },
      asOf: {
        type: 'string',
        enum: ['', 'today'],
        format: 'date',
        default: '',
        description: "The day to compare the schedule with: '' is the day the schedule was last checked, 'today' the day of the scan",
      },
    },
  },
  check(ctx) {
    const { fn } = ctx;
    // A runtime the IaC tool filled in is its current default, not a choice in the code.
    if (fn.runtime === null || fn.defaulted?.includes('runtime') === true) return;
    const entry = loadNodeRuntimes().get(fn.runtime);
    if (entry === undefined) return;
    // The schedule's own date by default, so a report does not change with the day it is run; `today` compares with today.
    const asOf = ctx.options.asOf;
    const today = asOf === '' ? nodeRuntimesCheckedOn() : asOf === 'today' ? isoDay(new Date()) : asOf;
    const at = fn.runtimeDeclaredIn ?? fn.declaredIn;
    const upgrade = entry.successor === null ? '' : ` Move to ${entry.successor} and test the function on it.`;
    const cite = ` (${entry.source}, checked ${entry.date})`;
    if (today >= entry.deprecated) {
      const blocked = entry.blockUpdate !== null && today >= entry.blockUpdate;
      ctx.report({
        file: at.file,
        line: at.line,
        column: 1,
        severity: blocked ? 'error' : 'warn',
        message: `${fn.runtime} was deprecated on ${entry.deprecated}: Lambda no longer patches it${blocked ? `, and since ${entry.blockUpdate ?? ''} functions on it cannot be updated` : ''}.${upgrade}${cite}`,
      });
      return;
    }
    const daysLeft = Math.round((Date.parse(entry.deprecated) - Date.parse(today)) / DAY_MS);
    if (daysLeft <= ctx.options.warnDaysBefore) {
      ctx.report({
        file: at.file,
        line: at.line,
        column: 1,
        severity: 'info',
        message: `${fn.runtime} will be deprecated on ${entry.deprecated} (in ${daysLeft} days).${upgrade}${cite}`,
      });
    }
  },
});
