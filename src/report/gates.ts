/**
 * `--fail-on` gates: a severity (as before: any finding at or above it), or a limit on what a change adds compared
 * with a base result. Pure: parse the specs, then say which gates a result crosses and by how much; the CLI turns a
 * crossing into exit 1 and one stderr line per gate.
 */
import { InputError } from '../errors.js';
import type { ScanResult, Severity } from '../model/result.js';
import { usd } from './cost-view.js';
import { findingIdentity } from './diff.js';
import { formatCount } from './format.js';

export type DiffGateKind = 'init-ms' | 'monthly-usd' | 'init-pct' | 'cost-pct';

export type Gate = { kind: 'severity'; spec: string; severity: Severity } | { kind: DiffGateKind; spec: string; limit: number };

export interface GateHit {
  spec: string;
  /** One line for stderr: the gate, the figure and how far past the limit it is. */
  message: string;
}

const SEVERITIES: readonly Severity[] = ['info', 'warn', 'error'];
const SEVERITY_RANK: Record<Severity, number> = { info: 0, warn: 1, error: 2 };
const DIFF_GATES: readonly DiffGateKind[] = ['init-ms', 'monthly-usd', 'init-pct', 'cost-pct'];

export const GATE_HINT =
  'use a severity (none, info, warn, error) or a limit on what the change adds: init-ms=<ms>, monthly-usd=<dollars>, init-pct=<percent>, cost-pct=<percent>; e.g. --fail-on warn --fail-on init-ms=100';

const NEEDS_BASE_HINT =
  'compare with a base result: lambda-migrate diff base.json head.json --fail-on ..., or scan --baseline base.json (a result saved with -f json)';

function isSeverity(value: string): value is Severity {
  return SEVERITIES.some((s) => s === value);
}

function isDiffGate(value: string): value is DiffGateKind {
  return DIFF_GATES.some((g) => g === value);
}

/** `warn`, `init-ms=100`, also comma-separated (`warn,init-ms=100`); `none` (the default) adds no gate. */
export function parseGates(specs: readonly string[]): Gate[] {
  const gates: Gate[] = [];
  for (const spec of specs
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    if (spec === 'none') continue;
    if (isSeverity(spec)) {
      gates.push({ kind: 'severity', spec, severity: spec });
      continue;
    }
    const m = /^([a-z-]+)=(.*)$/.exec(spec);
    const kind = m?.[1] ?? '';
    const raw = m?.[2] ?? '';
    const limit = Number(raw);
    if (!isDiffGate(kind)) throw new InputError(`bad --fail-on '${spec}'`, GATE_HINT);
    if (raw.trim() === '' || !Number.isFinite(limit) || limit < 0) {
      throw new InputError(`bad --fail-on '${spec}': the limit must be a number >= 0`, GATE_HINT);
    }
    gates.push({ kind, spec, limit });
  }
  return gates;
}

export function needsBase(gates: readonly Gate[]): boolean {
  return gates.some((g) => g.kind !== 'severity');
}

/** A diff gate on a result without a base is a mistake in the command line, not a pass: say so before any work. */
export function checkGatesHaveBase(gates: readonly Gate[], hasBase: boolean): void {
  const first = gates.find((g) => g.kind !== 'severity');
  if (first !== undefined && !hasBase) {
    throw new InputError(`--fail-on ${first.spec} needs a base result to compare with, and there is none`, NEEDS_BASE_HINT);
  }
}

function pct(n: number): string {
  return `${n.toFixed(1)}%`;
}

function severityHit(result: ScanResult, gate: Extract<Gate, { kind: 'severity' }>): GateHit | null {
  const atOrAbove = (severity: Severity): boolean => SEVERITY_RANK[severity] >= SEVERITY_RANK[gate.severity];
  if (result.diff !== undefined) {
    // With a base, only what the change brings counts: known findings are the base's business.
    const keys = new Set(result.diff.functions.flatMap((d) => d.findingsNew.filter((f) => atOrAbove(f.severity)).map(findingIdentity)));
    return keys.size === 0 ? null : { spec: gate.spec, message: `fail-on ${gate.spec}: ${formatCount(keys.size)} new finding(s) at or above it` };
  }
  const hits = result.functions.flatMap((f) => f.findings).filter((f) => atOrAbove(f.severity)).length;
  return hits === 0 ? null : { spec: gate.spec, message: `fail-on ${gate.spec}: ${hits} finding(s) at or above it` };
}

/** Gates crossed, in the order given. Throws InputError for a diff gate without a base or without cost figures. */
export function evaluateGates(result: ScanResult, gates: readonly Gate[]): GateHit[] {
  checkGatesHaveBase(gates, result.diff !== undefined);
  const hits: GateHit[] = [];
  for (const gate of gates) {
    if (gate.kind === 'severity') {
      const hit = severityHit(result, gate);
      if (hit !== null) hits.push(hit);
      continue;
    }
    const diff = result.diff;
    if (diff === undefined) continue; // checked above
    const t = diff.totals;
    const line = (what: string): void => void hits.push({ spec: gate.spec, message: `fail-on ${gate.spec}: ${what}` });
    switch (gate.kind) {
      case 'init-ms':
        if (t.estInitMsAdded > gate.limit) {
          line(
            `estimated init grew by ${formatCount(t.estInitMsAdded)} ms, ${formatCount(t.estInitMsAdded - gate.limit)} ms over the limit of ${formatCount(gate.limit)} ms`,
          );
        }
        break;
      case 'init-pct':
        if (t.estInitPct === null ? t.estInitMsAdded > 0 : t.estInitPct > gate.limit) {
          line(
            t.estInitPct === null
              ? `estimated init grew from 0 ms to ${formatCount(t.estInitMsAdded)} ms, no percentage is within a limit of ${pct(gate.limit)}`
              : `estimated init grew by ${pct(t.estInitPct)}, ${(t.estInitPct - gate.limit).toFixed(1)} points over the limit of ${pct(gate.limit)}`,
          );
        }
        break;
      case 'monthly-usd':
      case 'cost-pct': {
        const added = t.monthlyMicroUsdAdded;
        if (added === null) {
          throw new InputError(
            `--fail-on ${gate.spec}: neither result has cost figures to compare`,
            'give both scans usage: --logs, --aws or --metrics, or --invocations with --cold-start-rate',
          );
        }
        if (gate.kind === 'monthly-usd') {
          const limitMicro = Math.round(gate.limit * 1_000_000);
          if (added > limitMicro) line(`monthly cost grew by ${usd(added)}, ${usd(added - limitMicro)} over the limit of ${usd(limitMicro)}`);
        } else if (t.monthlyPct === null ? added > 0 : t.monthlyPct > gate.limit) {
          line(
            t.monthlyPct === null
              ? `monthly cost grew from $0 to ${usd(added)}, no percentage is within a limit of ${pct(gate.limit)}`
              : `monthly cost grew by ${pct(t.monthlyPct)}, ${(t.monthlyPct - gate.limit).toFixed(1)} points over the limit of ${pct(gate.limit)}`,
          );
        }
        break;
      }
    }
  }
  return hits;
}
