// `kb-hints lint --fix` / `--fix-dry-run`: the quick fixes the editor offers, applied from the command line.
// Per pass, each finding contributes its rule's preferred fix (`autoFix`; never "Suppress"); fixes whose edits overlap
// or touch an edit already taken wait for the next pass, on the re-parsed, re-linted text; passes repeat
// until no fix applies (at most MAX_PASSES), as the fixture tester does. Files whose kind is not editable
// (ECS API task definitions) and suppressed findings are left alone. Every fix is verified by `fixesFor`
// (the edited text must parse with no more errors).
import * as fs from 'node:fs';
import type { ParsedFile } from '../documents/parse';
import { walk } from '../documents/nodes';
import { lint, type SeverityOverrides } from '../engine/run';
import { WorkspaceIndex } from '../engine/workspace';
import { applyEdits, autoFix, fixesFor, hasQuickFix, type Fix, type TextEdit } from '../fixes';
import { kindOf, parseFile, skippedWithFacts } from '../kinds';
import { RULES } from '../rules';
import type { FileResult } from './format';
import { readRegularFile } from './files';
import { reason } from '../engine/walk';

export const MAX_PASSES = 10;

export interface FixedFile {
  path: string;
  before: string;
  after: string;
  /** Fixes applied, over all passes. */
  fixes: number;
}

export interface FixOptions {
  severities: (path: string) => SeverityOverrides;
  texts?: ReadonlyMap<string, string>;
  warn: (message: string) => void;
}

/** The files whose fixable findings changed them (nothing is written here). */
export function fixFiles(results: FileResult[], options: FixOptions): FixedFile[] {
  const read = (p: string) => options.texts?.get(p) ?? readRegularFile(p).replace(/^\ufeff/, '');
  // Cross-file rules see every linted file, as in the lint itself.
  const workspace = new WorkspaceIndex();
  const parsed = new Map<string, ParsedFile>();
  // Only the files with something to fix stay parsed; the others are read for the index and dropped.
  for (const r of results) {
    // A file that is not linted may still hold facts (a CodeBuild build spec, a workflow): it is indexed too.
    if (!r.kind && !skippedWithFacts(r.skipped)) continue;
    try {
      const file = parseFile(read(r.path), r.path);
      workspace.update(file);
      if (kindOf(file)?.editable && r.findings.some((f) => !f.suppressed && hasQuickFix(f.ruleId))) parsed.set(r.path, file);
    } catch (e) {
      options.warn(`warning: --fix skipped ${r.path}: ${reason(e)}`);
    }
  }
  const out: FixedFile[] = [];
  for (const r of results) {
    let file = parsed.get(r.path);
    if (!file) continue;
    parsed.delete(r.path);
    const before = file.text;
    let fixes = 0;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const findings = lint(file, { rules: RULES, workspace, severities: options.severities(r.path) }).filter((f) => !f.suppressed && hasQuickFix(f.ruleId));
      const taken: TextEdit[] = [];
      let first: Fix | undefined;
      let applied = 0;
      for (const f of findings) {
        const fix = autoFix(fixesFor(file, f, { suppress: false }));
        if (!fix || fix.edits.some((e) => taken.some((t) => touches(e, t)))) continue;
        taken.push(...fix.edits);
        first ??= fix;
        applied++;
      }
      if (!applied) break;
      let next = parseFile(applyEdits(file.text, taken), r.path);
      // Fixes made side by side may each add the same new key (two roles under one free id): then this
      // pass takes the first fix only.
      if (applied > 1 && (!next.kind || duplicateKeys(next) > duplicateKeys(file))) {
        next = parseFile(applyEdits(file.text, first!.edits), r.path);
        applied = 1;
      }
      if (!next.kind) break;
      file = next;
      workspace.update(file);
      fixes += applied;
    }
    if (file.text !== before) out.push({ path: r.path, before, after: file.text, fixes });
  }
  return out;
}

/** Keys that appear twice in one mapping, over the whole file. */
function duplicateKeys(file: ParsedFile): number {
  let n = 0;
  for (const doc of file.docs)
    walk(doc.root, (node) => {
      if (node.kind !== 'map') return;
      const keys = new Set<unknown>();
      for (const p of node.pairs) {
        if (keys.has(p.key.value)) n++;
        keys.add(p.key.value);
      }
    });
  return n;
}

/** Two edits overlap or meet (two inserts at one offset would depend on their order). */
function touches(a: TextEdit, b: TextEdit): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Writes the fixed files in place (keeping a BOM the file had); gives the ones that could not be written. */
export function writeFixes(fixed: FixedFile[], warn: (message: string) => void): FixedFile[] {
  const failed: FixedFile[] = [];
  for (const f of fixed) {
    try {
      const bom = fs.readFileSync(f.path, 'utf8').charCodeAt(0) === 0xfeff ? '\ufeff' : '';
      fs.writeFileSync(f.path, bom + f.after);
    } catch (e) {
      warn(`warning: --fix could not write ${f.path}: ${reason(e)}`);
      failed.push(f);
    }
  }
  return failed;
}
