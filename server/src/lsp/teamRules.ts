// Team rules and topics in the language server: loaded from the folders that apply to each document, read
// from the editor's open text first (edits to a rule or topic file apply as typed, no reload), checked
// (problems become diagnostics on the offending line of the rule or topic file), and given to the lint of
// every document with the built-in rules. The catalogue (hover, search, articles, Browse Rules) is the
// union of every team KB in use.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection, Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ResolvedConfig } from '../engine/config';
import type { Rule } from '../engine/rule';
import { diskIo, type TeamProblem } from '../team/load';
import { TeamFolders, TeamKbs, unionOf, TEAM_RULES_DIR } from '../team/project';
import { setTeamCatalogue } from '../team/registry';
import type { DocumentListener, OpenDocuments } from './documents';
import { filePath } from './projectConfig';

export class LspTeam implements DocumentListener {
  private readonly folders = new TeamFolders();
  private readonly kbs: TeamKbs;
  /** Diagnostics by team file path. */
  private problems = new Map<string, Diagnostic[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly connection: Connection, private readonly documents: OpenDocuments, private readonly relint: () => void) {
    this.kbs = new TeamKbs({
      list: diskIo.list,
      read: (file) => this.openText(file) ?? diskIo.read(file),
    });
  }

  opened(doc: TextDocument): void {
    if (this.isTeamFile(doc.uri)) this.reloadSoon(0);
  }

  changed(doc: TextDocument): void {
    if (this.isTeamFile(doc.uri)) this.reloadSoon(150);
  }

  closed(uri: string): void {
    if (this.isTeamFile(uri)) this.reloadSoon(0);
  }

  private openText(file: string): string | undefined {
    for (const d of this.documents.all()) if (filePath(d.uri) === file) return d.getText();
    return undefined;
  }

  /** The rules for a document: the built-in ones and its team's. */
  rulesFor(uri: string, config: Pick<ResolvedConfig, 'kb' | 'teamRules'>): readonly Rule[] {
    const file = filePath(uri);
    const before = this.kbs.all().length;
    const { rules } = this.kbs.get(file ? this.folders.forFile(file, config) : undefined);
    if (this.kbs.all().length !== before) this.publishCatalogue();
    return rules;
  }

  /** A rule file (`.kbhints/rules/*.yaml`, or in a loaded folder) or a topic file of a loaded KB folder. */
  isTeamFile(uri: string): boolean {
    const file = filePath(uri);
    if (!file) return false;
    if (/\.ya?ml$/.test(file) && path.dirname(file).endsWith(TEAM_RULES_DIR)) return true;
    const dir = path.dirname(file);
    if (this.kbs.dirs().some((d) => (file.endsWith('.md') && d.kb.includes(dir)) || (/\.ya?ml$/.test(file) && d.rules.includes(dir)))) return true;
    return this.kbs.all().some((kb) => kb.files.includes(file));
  }

  /** Diagnostics for the problems of a team file (merged into what the server publishes for it). */
  diagnosticsFor(uri: string): Diagnostic[] {
    const file = filePath(uri);
    return (file && this.problems.get(file)) || [];
  }

  private diagnostics(list: TeamProblem[]): Diagnostic[] {
    return list.map((p) => {
      const d = this.openDoc(p.file);
      const start = d ? d.positionAt(p.start) : { line: p.line, character: p.character };
      const end = d ? d.positionAt(p.end) : { line: p.line, character: p.character + Math.max(1, p.end - p.start) };
      return { range: { start, end }, severity: DiagnosticSeverity.Error, source: 'kb-hints', code: 'team-rule-file', message: p.message };
    });
  }

  private openDoc(file: string): TextDocument | undefined {
    return this.documents.all().find((d) => filePath(d.uri) === file);
  }

  /** Files changed on disk: a rule file, or a Markdown file (it may be a new topic of a KB folder). */
  filesChanged(uris: string[]): void {
    if (uris.some((u) => this.isTeamFile(u) || u.endsWith('.md'))) this.reloadSoon(0);
  }

  reloadSoon(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reload();
    }, delay);
  }

  /** Re-reads the team files (unchanged ones come from the cache) and re-lints the open documents. */
  reload(): void {
    this.kbs.reload();
    this.folders.clear();
    this.relint();
    this.publishCatalogue();
  }

  private publishCatalogue(): void {
    const u = unionOf(this.kbs.all());
    setTeamCatalogue(u);
    const next = new Map<string, TeamProblem[]>();
    for (const p of u.problems) next.set(p.file, [...(next.get(p.file) ?? []), p]);
    const old = this.problems;
    this.problems = new Map([...next].map(([f, l]) => [f, this.diagnostics(l)]));
    for (const file of new Set([...old.keys(), ...next.keys()])) {
      const uri = this.openDoc(file)?.uri ?? pathToFileURL(file).href;
      void this.connection.sendDiagnostics({ uri, diagnostics: this.problems.get(file) ?? [] });
    }
  }
}
