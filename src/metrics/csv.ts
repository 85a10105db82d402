/**
 * RFC 4180 records fed one physical line at a time: a quoted field may span lines (a multi-line log message), so a
 * record is complete only when its quotes balance.
 */
export class CsvRecords {
  private pending: string | null = null;

  constructor(private readonly maxRecordChars = 1_000_000) {}

  /** Returns the fields of the record this line completes, or null while a quoted field is still open. */
  push(line: string): string[] | null {
    const text = this.pending === null ? line : `${this.pending}\n${line}`;
    if (countQuotes(text) % 2 === 1) {
      // An unbalanced record larger than any log row is a broken file: drop it rather than grow without end.
      this.pending = text.length > this.maxRecordChars ? null : text;
      return null;
    }
    this.pending = null;
    return splitCsv(text);
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
