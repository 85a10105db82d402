/**
 * Streams the elements of the arrays inside one big JSON document (`{"events":[{…},{…}]}` from
 * `aws logs filter-log-events`, `[{…}]` from an Insights export, `{"results":[[…]]}` from GetQueryResults) without
 * holding the document: each object or array whose parent is an array is cut out and handed over as text, one at a
 * time. Elements over `maxElementChars` are dropped and counted (no REPORT record is that big).
 */
export class JsonElementScanner {
  private depth = 0;
  /** Per open container: true for an array. */
  private readonly stack: boolean[] = [];
  private inString = false;
  private escaped = false;
  private captureDepth = -1;
  private parts: string[] = [];
  private captured = 0;
  private tooBig = false;
  oversized = 0;

  constructor(
    private readonly onElement: (text: string) => void,
    private readonly maxElementChars = 1_000_000,
  ) {}

  write(chunk: string): void {
    let start = this.captureDepth >= 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (c === 0x22) {
        this.inString = true;
      } else if (c === 0x7b || c === 0x5b) {
        if (this.captureDepth < 0 && this.stack[this.stack.length - 1] === true) {
          this.captureDepth = this.depth;
          this.parts = [];
          this.captured = 0;
          this.tooBig = false;
          start = i;
        }
        this.stack.push(c === 0x5b);
        this.depth++;
      } else if (c === 0x7d || c === 0x5d) {
        this.stack.pop();
        this.depth--;
        if (this.depth === this.captureDepth) {
          this.take(chunk.slice(start, i + 1));
          const text = this.parts.join('');
          const big = this.tooBig;
          this.captureDepth = -1;
          this.parts = [];
          start = -1;
          if (big) this.oversized++;
          else this.onElement(text);
        }
      }
    }
    if (this.captureDepth >= 0 && start >= 0) this.take(chunk.slice(start));
  }

  private take(text: string): void {
    if (this.tooBig) return;
    this.captured += text.length;
    if (this.captured > this.maxElementChars) {
      this.tooBig = true;
      this.parts = [];
      return;
    }
    this.parts.push(text);
  }
}
