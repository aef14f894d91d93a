// Offset <-> line/column conversion. Columns are UTF-16 code units, as LSP requires and as JS strings count.

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

export class LineIndex {
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  /** Offsets of line starts, computed on first use (most files have no finding to place). */
  private get starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const text = this.text;
      if (!text.includes('\r')) {
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      } else {
        // LF, CRLF and a lone CR each end a line (as in YAML 1.2 and editors).
        for (let i = 0; i < text.length; i++) {
          const c = text.charCodeAt(i);
          if (c === 10) starts.push(i + 1);
          else if (c === 13) {
            if (text.charCodeAt(i + 1) === 10) i++;
            starts.push(i + 1);
          }
        }
      }
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    let character = o - this.starts[lo];
    // A CR of a CRLF belongs to the line break, not to the line.
    const lineEnd = this.lineEnd(lo);
    if (o > lineEnd) character = lineEnd - this.starts[lo];
    return { line: lo, character };
  }

  offset(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, pos.line)];
    return Math.min(start + Math.max(0, pos.character), this.lineEnd(pos.line));
  }

  /** Offset of the end of a line's content (before its CR/LF). */
  lineEnd(line: number): number {
    let end = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    // `end` is the line break (LF or lone CR); the CR of a CRLF belongs to it too.
    if (end > this.starts[line] && line + 1 < this.starts.length && this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }
}

/**
 * Positions computed elsewhere (the parallel CLI's worker threads place the offsets a report needs and
 * send them with the findings): answers `position` for those offsets without the text.
 */
export class KnownPositions extends LineIndex {
  constructor(private readonly known: ReadonlyMap<number, Position>) {
    super('');
  }

  override position(offset: number): Position {
    return this.known.get(offset) ?? { line: 0, character: 0 };
  }
}
