import type { FunctionMetrics } from '../model/result.js';

/** What one measurement says about one deployed function / log group, before it is matched to the code. */
export type MeasuredFigures = Omit<FunctionMetrics, 'source' | 'measuredBy'>;

export interface MeasuredEntry {
  /**
   * What the figures are keyed by: a log group (`/aws/lambda/orders-dev-health`), a deployed function name, or
   * for plain exports the name the file was attributed to (its `--function` mapping or its file name).
   */
  key: string;
  figures: MeasuredFigures;
}

/** The output of a metrics source (log files, AWS, a snapshot), ready to be matched to discovered functions. */
export interface MetricsSet {
  source: 'logs' | 'aws' | 'snapshot';
  measuredBy: 'logs' | 'aws';
  entries: MeasuredEntry[];
  warnings: string[];
  /** `{ "<function id or logical name>": "<deployed name or log group>" }` from `--function-map`. */
  functionMap: Record<string, string>;
}

/** Given the discovered functions, returns what was measured for them; null when nothing could be measured. */
export type MetricsLoader = (functions: readonly { id: string; name: string; deployedNames: string[] }[]) => Promise<MetricsSet | null>;
