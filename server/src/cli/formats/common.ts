// What the CI formats share: repository-relative paths, located findings and fingerprints that survive
// unrelated edits.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Finding } from '../../engine/run';
import type { FileResult } from '../format';
import { relativeToRoot } from '../root';

/** A report path: relative to the repository root, else absolute (`/`-separated either way). */
export function reportPath(root: string, file: string): string {
  return relativeToRoot(root, file) ?? path.resolve(file).split(path.sep).join('/');
}

export interface Identified {
  file: FileResult;
  finding: Finding;
  /** 1-based line and UTF-16 column of the start and end. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** `hash:occurrence` of rule + file + the finding's normalised line text (no line numbers). */
  lineHash: string;
  /** `hash:occurrence` of rule + file + message (the message names the resource or object). */
  findingHash: string;
}

/** Whitespace collapsed, a trailing JSON comma dropped: what the line says, not how it is laid out. */
export function normaliseLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/,$/, '');
}

function hash(parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
}

/**
 * Every finding of the results with its position and fingerprints. Two findings with the same rule, file
 * and line text (or message) are told apart by their order in the file (`:1`, `:2`, ...), as GitHub's
 * own `primaryLocationLineHash` does.
 */
export function identify(results: FileResult[], root: string): Identified[] {
  const out: Identified[] = [];
  for (const r of results) {
    const uri = reportPath(root, r.path);
    const seen = new Map<string, number>();
    const occurrence = (h: string) => {
      const n = (seen.get(h) ?? 0) + 1;
      seen.set(h, n);
      return `${h}:${n}`;
    };
    r.findings.forEach((f, i) => {
      const s = r.lines.position(f.start);
      const e = r.lines.position(f.end);
      out.push({
        file: r,
        finding: f,
        line: s.line + 1,
        column: s.character + 1,
        endLine: e.line + 1,
        endColumn: e.character + 1,
        lineHash: occurrence(hash(['line', f.ruleId, uri, normaliseLine(r.lineTexts?.[i] ?? '')])),
        findingHash: occurrence(hash(['finding', f.ruleId, uri, f.message])),
      });
    });
  }
  return out;
}
