// Lint Workspace (`kbHints/lintFiles`): files that need not be open are read from disk, indexed for
// cross-file facts, linted and published. Such a file keeps its diagnostics from disk after its editor
// closes (the diagnostics module asks `restore` when it closes).
import type { ParsedFile } from '../documents/parse';
import { parseFile } from '../kinds';
import { RULES } from '../rules';
import { lint, type Finding } from '../engine/run';
import { LintFilesRequest, type LintFilesResult } from '../protocol';
import type { Settings } from '../settings';
import { currentAnalysis, type ServerContext } from './context';
import { countFindings, emptyCounts } from './counts';
import { capped } from './diagnostics';
import { readText } from './documents';
import { cancelled } from './lifecycle';
import { TextDocument } from 'vscode-languageserver-textdocument';

export class WorkspaceLint {
  /** Files whose diagnostics came from disk, to restore when their editor closes. */
  private readonly fromDisk = new Set<string>();

  /** `indexComplete`: the background index covers the workspace, so an index pass reads nothing. */
  constructor(
    private readonly ctx: ServerContext,
    private readonly indexComplete: () => boolean = () => false,
  ) {}

  register(): void {
    this.ctx.connection.onRequest(LintFilesRequest, async (p, token): Promise<LintFilesResult | ReturnType<typeof cancelled>> => {
      const result: LintFilesResult = { linted: 0, skipped: 0, findings: 0, bySeverity: emptyCounts() };
      if (p?.mode === 'index' && this.indexComplete()) return { ...result, indexed: true };
      const uris = Array.isArray(p?.uris) ? p.uris.filter((u) => typeof u === 'string') : [];
      // One settings look-up per batch (the workspace's settings; per-folder differences are not read).
      const settings = uris.length ? await this.ctx.settings.fetch(uris[0]) : this.ctx.settings.get('');
      for (const uri of uris) {
        if (token.isCancellationRequested) return cancelled();
        // Open documents are linted as they are edited; their diagnostics are already published. They are
        // counted from their current analysis, as the status bar counts them.
        if (this.ctx.documents.get(uri)) {
          if (p.mode === 'index') continue;
          const current = currentAnalysis(this.ctx, uri);
          if (!current || this.ctx.analyses.ignored.has(uri)) result.skipped++;
          else {
            result.linted++;
            result.findings += countFindings(current.analysis.findings, result.bySeverity);
          }
          continue;
        }
        const file = this.read(uri, settings);
        if (!file) {
          result.skipped++;
          continue;
        }
        if (p.mode === 'index') continue;
        const findings = this.lint(file, settings);
        result.linted++;
        result.findings += countFindings(findings, result.bySeverity);
        this.fromDisk.add(uri);
        this.publish(file, findings);
      }
      return result;
    });
  }

  /** A file linted from disk whose editor just closed: its disk diagnostics again. True when this published. */
  restore(uri: string): boolean {
    if (!this.fromDisk.has(uri)) return false;
    const settings = this.ctx.settings.get(uri);
    const file = this.read(uri, settings);
    if (!file) return false;
    this.publish(file, this.lint(file, settings));
    return true;
  }

  /** Reads, parses and indexes a file from disk; undefined when it is off, ignored, unreadable or not ours. */
  private read(uri: string, settings: Settings): ParsedFile | undefined {
    const ignored = this.ctx.configs.options(uri, settings).ignored;
    const text = settings.enable && !ignored ? readText(this.ctx.documents, uri, settings.maxFileSizeKb * 1024) : undefined;
    if (text === undefined) return undefined;
    this.ctx.analyses.countParse();
    const file = parseFile(text, uri, { maxSize: settings.maxFileSizeKb * 1024 });
    if (!file.kind) return undefined;
    this.ctx.analyses.workspace.update(file);
    return file;
  }

  private lint(file: ParsedFile, settings: Settings): Finding[] {
    const { severities, rules, environment } = this.ctx.configs.options(file.uri, settings);
    return lint(file, { rules: rules ?? RULES, environment, workspace: this.ctx.analyses.workspace, severities, onRuleError: (rule, e) => this.ctx.analyses.ruleFailed(rule, file.uri, e) }).filter((f) => !f.suppressed);
  }

  private publish(file: ParsedFile, findings: Finding[]): void {
    const doc = TextDocument.create(file.uri, 'plaintext', 0, file.text);
    void this.ctx.connection.sendDiagnostics({ uri: file.uri, diagnostics: capped(doc, findings) });
  }
}
