import { Distribution, round2 } from './distribution.js';
import type { ReportRecord } from './report-record.js';
import type { MeasuredFigures } from './types.js';

/** Running aggregate of the REPORT records of one log group: constant memory apart from the two distributions. */
export class ReportAccumulator {
  invocations = 0;
  coldStarts = 0;
  readonly init = new Distribution();
  readonly duration = new Distribution();
  private billedSum = 0;
  private billedCount = 0;
  private billedMax = 0;
  private memorySize: number | null = null;
  private maxMemoryUsed: number | null = null;
  private first: number | null = null;
  private last: number | null = null;

  add(record: ReportRecord): void {
    this.invocations++;
    this.duration.add(record.durationMs);
    if (record.initDurationMs !== null) {
      this.coldStarts++;
      this.init.add(record.initDurationMs);
    }
    if (record.billedDurationMs !== null) {
      this.billedSum += record.billedDurationMs;
      this.billedCount++;
      this.billedMax = Math.max(this.billedMax, record.billedDurationMs);
    }
    // Memory size can change within a window (a redeploy); the largest is the one the bill is closest to.
    if (record.memorySizeMB !== null) this.memorySize = Math.max(this.memorySize ?? 0, record.memorySizeMB);
    if (record.maxMemoryUsedMB !== null) this.maxMemoryUsed = Math.max(this.maxMemoryUsed ?? 0, record.maxMemoryUsedMB);
    if (record.timestamp !== null) {
      if (this.first === null || record.timestamp < this.first) this.first = record.timestamp;
      if (this.last === null || record.timestamp > this.last) this.last = record.timestamp;
    }
  }

  figures(logGroup: string | null, deployedName: string | null): MeasuredFigures {
    const resolutions = [this.init.resolutionMs(), this.duration.resolutionMs()].filter((r): r is number => r !== null);
    return {
      status: this.invocations > 0 ? 'ok' : 'no_invocations',
      deployedName,
      logGroups: logGroup === null ? [] : [logGroup],
      region: null,
      window: this.first === null || this.last === null ? null : { from: new Date(this.first).toISOString(), to: new Date(this.last).toISOString() },
      invocations: this.invocations,
      coldStarts: this.coldStarts,
      initMs: this.init.summary(),
      durationMs: this.duration.summary(),
      billedDurationMs: this.billedCount === 0 ? null : { avg: round2(this.billedSum / this.billedCount), max: this.billedMax },
      memorySizeMB: this.memorySize,
      maxMemoryUsedMB: this.maxMemoryUsed,
      percentiles: resolutions.length === 0 ? 'exact' : { resolutionMs: Math.max(...resolutions) },
      truncated: false,
      config: null,
      detail: null,
    };
  }
}
