// The CDK apps of a workspace for the language server: reads each app's assembly from disk, lints its
// templates, places the findings at their source lines, and keeps them by source file (open or not).
// Nothing here speaks LSP (lsp/cdk.ts adapts it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Position } from '../documents/lines';
import { parseFile } from '../kinds';
import { lint, type Finding, type SeverityOverrides } from '../engine/run';
import type { Rule } from '../engine/rule';
import { findAppDirs, readApp, type CdkApp } from './assembly';
import { AppPlacer, type Placement } from './place';
import { relocateCdkFindings } from './relocate';

export interface CdkSourceFinding {
  /** The finding, with `source` set (its start/end are offsets in the template). */
  finding: Finding;
  /** Absolute path of the template. */
  template: string;
  /** The finding's range in the template, and its related locations there. */
  templateRange: { start: Position; end: Position };
  related: Array<{ start: Position; end: Position; message: string }>;
  /** When the app's assembly was written (ms). */
  synthesizedAt: number;
}

export interface CdkWorkspaceOptions {
  rules: readonly Rule[];
  severities?: (file: string) => SeverityOverrides;
}

export class CdkWorkspace {
  private apps: CdkApp[] = [];
  private appDirs: string[] = [];
  /** Placed findings by absolute source path. */
  private bySource = new Map<string, CdkSourceFinding[]>();
  private readonly placers = new Map<string, AppPlacer>();
  /** Findings on assemblies that could not be placed (they stay on the templates). */
  unplaced = 0;

  constructor(private readonly options: CdkWorkspaceOptions) {}

  /** The folders to watch: each app's folder (for `cdk.out` appearing) and its assembly folders. */
  watched(): string[] {
    const out = new Set<string>(this.appDirs);
    for (const a of this.apps) {
      out.add(a.out);
      for (const t of a.stacks.keys()) out.add(path.dirname(t));
    }
    return [...out];
  }

  get sources(): string[] {
    return [...this.bySource.keys()];
  }

  findingsFor(file: string): CdkSourceFinding[] {
    return this.bySource.get(path.resolve(file)) ?? [];
  }

  /** Finds the apps under the roots and reads them all again. Returns the source files whose findings changed. */
  refresh(roots: readonly string[]): string[] {
    this.appDirs = findAppDirs(roots);
    this.apps = this.appDirs.map((d) => readApp(d)).filter((a): a is CdkApp => !!a);
    this.placers.clear();
    const before = this.bySource;
    this.bySource = new Map();
    this.unplaced = 0;
    for (const app of this.apps) this.readApp(app);
    const changed = new Set<string>();
    for (const [f, list] of this.bySource) if (JSON.stringify(list) !== JSON.stringify(before.get(f))) changed.add(f);
    for (const f of before.keys()) if (!this.bySource.has(f)) changed.add(f);
    return [...changed];
  }

  /** Where a finding of a template of one of the apps (as the editor has it) belongs in the sources. */
  placeInTemplate(template: string, text: string, offset: number): Placement | undefined {
    const abs = path.resolve(template);
    const app = this.apps.find((a) => a.stacks.has(abs));
    if (!app) return undefined;
    let placer = this.placers.get(app.dir);
    if (!placer) this.placers.set(app.dir, (placer = new AppPlacer(app)));
    try {
      return placer.place(abs, text, offset);
    } catch {
      return undefined;
    }
  }

  private readApp(app: CdkApp): void {
    const results: Array<{ path: string; findings: Finding[]; file: ReturnType<typeof parseFile> }> = [];
    for (const template of app.stacks.keys()) {
      let text: string;
      try {
        text = fs.readFileSync(template, 'utf8');
      } catch {
        continue;
      }
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const file = parseFile(text, template);
      if (!file.kind) continue;
      results.push({ path: template, file, findings: lint(file, { rules: this.options.rules, severities: this.options.severities?.(template) }) });
    }
    relocateCdkFindings(results);
    for (const r of results) {
      for (const f of r.findings) {
        if (f.suppressed) continue;
        if (!f.source) {
          this.unplaced++;
          continue;
        }
        const source = path.resolve(f.source.path);
        const list = this.bySource.get(source) ?? [];
        list.push({
          finding: f,
          template: r.path,
          templateRange: { start: r.file.lines.position(f.start), end: r.file.lines.position(f.end) },
          related: f.related.map((x) => ({ start: r.file.lines.position(x.start), end: r.file.lines.position(x.end), message: x.message })),
          synthesizedAt: app.synthesizedAt,
        });
        this.bySource.set(source, list);
      }
    }
  }

  /**
   * Marks findings stale whose source file changed after its app's last synth (a source saved since).
   * Returns the source files whose marks changed.
   */
  restamp(): string[] {
    const changed: string[] = [];
    for (const [file, list] of this.bySource) {
      const mtime = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
      let any = false;
      for (const x of list) {
        const s = x.finding.source!;
        const stale = mtime > x.synthesizedAt;
        if (!!s.stale !== stale) {
          if (stale) s.stale = true;
          else delete s.stale;
          any = true;
        }
      }
      if (any) changed.push(file);
    }
    return changed;
  }

  /** The folders of the source files that have findings (saving one there may make them stale). */
  sourceDirs(): string[] {
    return [...new Set([...this.bySource.keys()].map((f) => path.dirname(f)))];
  }

  /** The placed findings whose source range covers a position (0-based), for hovers. */
  at(file: string, pos: Position): CdkSourceFinding[] {
    return this.findingsFor(file).filter((x) => {
      const s = x.finding.source!;
      const afterStart = pos.line > s.start.line || (pos.line === s.start.line && pos.character >= s.start.character);
      const beforeEnd = pos.line < s.end.line || (pos.line === s.end.line && pos.character <= s.end.character);
      // The whole first line of the expression counts (a hover anywhere on `new X(this, 'Id', {`).
      return (afterStart && beforeEnd) || pos.line === s.start.line;
    });
  }
}

/** How to suppress a finding from the app's code (cdk.out is regenerated by every synth). */
export function suppressionAdvice(sourceFile: string, ruleId: string): string {
  if (sourceFile.endsWith('.py'))
    return `To suppress it, add metadata from the code (\`cdk.out\` is regenerated): \`construct.node.default_child.add_metadata("kb-hints", {"ignore": [{"rule": "${ruleId}", "reason": "why"}]})\``;
  return `To suppress it, add metadata from the code (\`cdk.out\` is regenerated): \`(construct.node.defaultChild as CfnResource).addMetadata('kb-hints', { ignore: [{ rule: '${ruleId}', reason: 'why' }] })\``;
}
