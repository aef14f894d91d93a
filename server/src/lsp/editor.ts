// The editor features beyond diagnostics and hovers: quick fixes, the rule list, suppressions across the
// workspace, linting files that are not open, per-file status, and `.kbhints.yaml` changes.
import * as fs from 'node:fs';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedFile } from '../documents/parse';
import { kindOf, modelOf, parseFile } from '../kinds';
import type { Analysis } from '../engine/analyze';
import { CONFIG_FILE } from '../engine/config';
import { RULES } from '../rules';
import { lint } from '../engine/run';
import { findSuppressions, isExpired, todayIso } from '../engine/suppress';
import { hasQuickFix } from '../fixes';
import { topicById } from '../kb/topics';
import { teamRules } from '../team/registry';
import {
  FILE_STATUS,
  LINT_FILES,
  LIST_RULES,
  LIST_SUPPRESSIONS,
  type FileStatusParams,
  type LintFilesParams,
  type LintFilesResult,
  type ListRulesResult,
  type ListSuppressionsParams,
  type ListSuppressionsResult,
} from '../protocol';
import type { Settings } from '../settings';
import type { Analyses } from './analyses';
import { codeActions } from './codeActions';
import { toDiagnostic, toRange } from './convert';
import { filePath, type ProjectConfigs } from './projectConfig';

export interface EditorDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  analyses: Analyses;
  configs: ProjectConfigs;
  settingsFor: (uri: string) => Settings;
  /** The user's settings for a file that is not open (asked from the client). */
  fetchSettings: (uri: string) => Promise<Settings>;
  /** Lints every open document again (after a config change). */
  relintOpen: () => void;
  /** True when the client runs our commands (VS Code). */
  commands: () => boolean;
  log: (message: string) => void;
  /** Called when `.kbhints.yaml` files change (team folders may change with them). */
  onConfigReload?: () => void;
  /** Watched files other than `.kbhints.yaml` changed on disk (team rule and topic files). */
  onFilesChanged?: (uris: string[]) => void;
}

/** Sent after each publish of an open document. */
export function sendFileStatus(connection: Connection, uri: string, analysis: Analysis | undefined, ignored: boolean): void {
  const params: FileStatusParams = {
    uri,
    kind: analysis?.kind?.id,
    label: analysis?.kind?.label,
    findings: analysis ? analysis.findings.filter((f) => !f.suppressed).length : 0,
    suppressed: analysis ? analysis.findings.filter((f) => f.suppressed).length : 0,
    ...(ignored ? { ignored: true } : {}),
  };
  void connection.sendNotification(FILE_STATUS, params).catch(() => {});
}

export function registerEditorFeatures(deps: EditorDeps): void {
  const { connection, documents, analyses, configs } = deps;
  /** Files whose diagnostics came from disk (Lint Workspace), to restore when their editor closes. */
  const fromDisk = new Set<string>();

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const settings = deps.settingsFor(doc.uri);
    if (!settings.enable) return [];
    const analysis = analyses.get(doc, settings);
    if (!analysis.file.kind) return [];
    return codeActions(doc, analysis, params.context.diagnostics, { commands: deps.commands(), onError: (e) => deps.log(`Quick fix failed on ${doc.uri}: ${(e as Error)?.stack ?? e}`) });
  });

  connection.onRequest(LIST_RULES, (): ListRulesResult =>
    [...RULES, ...teamRules()].map((r) => ({ id: r.meta.id, title: r.meta.title, severity: r.meta.severity, kb: r.meta.kb, kbTitle: topicById(r.meta.kb)?.title ?? r.meta.kb, appliesTo: [...r.meta.appliesTo], hasFix: hasQuickFix(r.meta.id) })),
  );

  connection.onRequest(LIST_SUPPRESSIONS, (p: ListSuppressionsParams): ListSuppressionsResult => {
    const uris = new Set<string>([...(Array.isArray(p?.uris) ? p.uris.filter((u) => typeof u === 'string') : []), ...documents.all().map((d) => d.uri)]);
    const today = todayIso();
    const out: ListSuppressionsResult = [];
    for (const uri of uris) {
      const text = textOf(uri);
      if (text === undefined || !/kb-hints/.test(text)) continue;
      const file = parseFile(text, uri, { maxSize: deps.settingsFor(uri).maxFileSizeKb * 1024 });
      const kind = kindOf(file);
      if (!kind) continue;
      const doc = TextDocument.create(uri, 'plaintext', 0, file.text);
      for (const s of findSuppressions(file, kind, modelOf(file))) {
        out.push({ uri, range: toRange(doc, s.start, s.end), form: s.form, rules: s.rules, reason: s.reason, until: s.until, expired: isExpired(s, today), ...(s.problem ? { problem: s.problem } : {}) });
      }
    }
    return out.sort((a, b) => a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line);
  });

  connection.onRequest(LINT_FILES, async (p: LintFilesParams): Promise<LintFilesResult> => {
    const result: LintFilesResult = { linted: 0, skipped: 0, findings: 0 };
    const uris = Array.isArray(p?.uris) ? p.uris.filter((u) => typeof u === 'string') : [];
    // One settings look-up per batch (the workspace's settings; per-folder differences are not read).
    const settings = uris.length ? await deps.fetchSettings(uris[0]) : deps.settingsFor('');
    for (const uri of uris) {
      // Open documents are linted as they are edited; their diagnostics are already published.
      if (documents.get(uri)) continue;
      const opts = configs.options(uri, settings);
      const text = settings.enable && !opts.ignored ? textOf(uri) : undefined;
      const file = text === undefined ? undefined : parseFile(text, uri, { maxSize: settings.maxFileSizeKb * 1024 });
      if (!file?.kind) {
        result.skipped++;
        continue;
      }
      analyses.workspace.update(file);
      if (p.mode === 'index') continue;
      const findings = lint(file, { rules: opts.rules ?? RULES, workspace: analyses.workspace, severities: opts.severities, onRuleError: (rule, e) => deps.log(`Rule ${rule} failed on ${uri}: ${(e as Error)?.stack ?? e}`) }).filter((f) => !f.suppressed);
      result.linted++;
      result.findings += findings.length;
      fromDisk.add(uri);
      publishFile(file, findings);
    }
    return result;
  });

  function publishFile(file: ParsedFile, findings: ReturnType<typeof lint>): void {
    const doc = TextDocument.create(file.uri, 'plaintext', 0, file.text);
    void connection.sendDiagnostics({ uri: file.uri, diagnostics: findings.map((f) => toDiagnostic(doc, f)) });
  }

  // A file linted from disk keeps its diagnostics after its editor closes (server.ts clears them first).
  documents.onDidClose((e) => {
    if (!fromDisk.has(e.document.uri)) return;
    const uri = e.document.uri;
    const settings = deps.settingsFor(uri);
    const opts = configs.options(uri, settings);
    const text = settings.enable && !opts.ignored ? textOf(uri) : undefined;
    const file = text === undefined ? undefined : parseFile(text, uri, { maxSize: settings.maxFileSizeKb * 1024 });
    if (!file?.kind) return;
    analyses.workspace.update(file);
    publishFile(file, lint(file, { rules: opts.rules ?? RULES, workspace: analyses.workspace, severities: opts.severities }).filter((f) => !f.suppressed));
  });

  // The client watches `.kbhints.yaml` (VS Code: synchronize.fileEvents): re-read and re-lint. Edits to
  // an open `.kbhints.yaml` apply as they are typed (the config reader prefers the open text).
  let reload: NodeJS.Timeout | undefined;
  const reloadConfig = (delay: number) => {
    if (reload) clearTimeout(reload);
    reload = setTimeout(() => {
      reload = undefined;
      configs.clear();
      deps.onConfigReload?.();
      analyses.clear();
      deps.relintOpen();
    }, delay);
  };
  const isConfig = (uri: string) => uri.endsWith(`/${CONFIG_FILE}`);
  connection.onDidChangeWatchedFiles((params) => {
    if (params.changes.some((c) => isConfig(c.uri))) reloadConfig(0);
    else deps.onFilesChanged?.(params.changes.map((c) => c.uri));
  });
  documents.onDidChangeContent((e) => {
    if (isConfig(e.document.uri)) reloadConfig(300);
  });
  documents.onDidClose((e) => {
    if (isConfig(e.document.uri)) reloadConfig(0);
  });

  function textOf(uri: string): string | undefined {
    const open = documents.get(uri);
    if (open) return open.getText();
    const path = filePath(uri);
    if (!path) return undefined;
    try {
      const stat = fs.statSync(path);
      if (!stat.isFile() || stat.size > deps.settingsFor(uri).maxFileSizeKb * 1024) return undefined;
      return fs.readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }
}
