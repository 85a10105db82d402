/**
 * RFC 4180 records fed one physical line at a time: a quoted field may span lines (a multi-line log message), so a
 * record is complete only when its quotes balance.
 */
export class CsvRecords {
  /** The lines of the open record, their length and their quote count so far: each line is counted once. */
  private pending: string[] = [];
  private pendingChars = 0;
  private quotes = 0;

  constructor(private readonly maxRecordChars = 1_000_000) {}

  /** Returns the fields of the record this line completes, or null while a quoted field is still open. */
  push(line: string): string[] | null {
    // Counting only the new line (not the whole record again) keeps a stray quote from making the read quadratic.
    this.quotes += countQuotes(line);
    this.pending.push(line);
    this.pendingChars += line.length + 1;
    if (this.quotes % 2 === 1) {
      // An unbalanced record larger than any log row is a broken file: drop it rather than grow without end.
      if (this.pendingChars > this.maxRecordChars) this.reset();
      return null;
    }
    const text = this.pending.join('\n');
    this.reset();
    return splitCsv(text);
  }

  private reset(): void {
    this.pending = [];
    this.pendingChars = 0;
    this.quotes = 0;
  }
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n;
}

export function splitCsv(record: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const c = record[i];
    if (quoted) {
      if (c === '"') {
        if (record[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c !== '\r') {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}
