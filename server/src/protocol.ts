// What the client (or any editor) and the server say to each other beyond standard LSP: every custom
// request and notification as a typed object, and the one table of `kbHints.*` command ids. The client
// imports this file too, so it depends only on vscode-languageserver-protocol (no server code, no `vscode`).
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Article, SearchResult } from './kb/topics';
import type { Family } from './kinds';

/**
 * Every command the extension contributes (package.json `contributes.commands` must list exactly these;
 * a test checks it). The server names `openTopic` and `selectRange` in code actions and hovers.
 */
export const COMMANDS = {
  searchKb: 'kbHints.searchKb',
  browseRules: 'kbHints.browseRules',
  openTopic: 'kbHints.openTopic',
  lintWorkspace: 'kbHints.lintWorkspace',
  listSuppressions: 'kbHints.listSuppressions',
  /** Run after a "Suppress" quick fix to select the placeholder reason: (uri, range). Not in the palette. */
  selectRange: 'kbHints.selectRange',
} as const;
export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
/** Commands only the server's actions run: hidden from the command palette. */
export const INTERNAL_COMMANDS: readonly CommandId[] = [COMMANDS.selectRange];

/** What a client may say in `initializationOptions`. */
export interface InitializationOptions {
  /** `command` when the client runs `kbHints.openTopic` links (VS Code); web links otherwise. */
  linkStyle?: 'command' | 'web';
  /**
   * `push`: publish diagnostics even when the client announces pull diagnostics. The VS Code client asks for
   * it: files linted from disk (Lint Workspace) are pushed, and its YAML-syntax filter reads pushed ones.
   */
  diagnostics?: 'push' | 'auto';
}

export interface WireRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

// ---- the KB ----

export interface SearchKbParams {
  query: string;
  limit?: number;
}
export type SearchKbResult = SearchResult[];
export const SearchKbRequest = new RequestType<SearchKbParams, SearchKbResult, void>('kbHints/searchKb');

export interface GetArticleParams {
  /** A topic id, or `rule:<rule-id>`. */
  id: string;
}
export type GetArticleResult = Article | null;
export const GetArticleRequest = new RequestType<GetArticleParams, GetArticleResult, void>('kbHints/getArticle');

// ---- the editor experience: rules, suppressions, workspace lint, per-file status ----

/** Every rule, for a rule browser. */
export interface RuleSummary {
  id: string;
  title: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  /** KB topic id and title. */
  kb: string;
  kbTitle: string;
  appliesTo: Family[];
  /** True when the rule has a quick fix besides suppression. */
  hasFix: boolean;
}
export type ListRulesResult = RuleSummary[];
export const ListRulesRequest = new RequestType<Record<string, never> | null, ListRulesResult, void>('kbHints/listRules');

/** Every suppression in the given files (read from disk unless open) and in the open documents. */
export interface ListSuppressionsParams {
  uris?: string[];
}
export interface SuppressionEntry {
  uri: string;
  range: WireRange;
  form: 'comment' | 'metadata' | 'annotation';
  rules: string[];
  reason?: string;
  until?: string;
  expired: boolean;
  /** Why the suppression is malformed, if it is. */
  problem?: string;
}
export type ListSuppressionsResult = SuppressionEntry[];
export const ListSuppressionsRequest = new RequestType<ListSuppressionsParams, ListSuppressionsResult, void>('kbHints/listSuppressions');

/**
 * Lints files that need not be open (read from disk) and publishes their diagnostics. `index` only
 * reads them for cross-file facts (send every file with `index` first, then `lint`).
 */
export interface LintFilesParams {
  uris: string[];
  mode?: 'index' | 'lint';
}
export interface LintFilesResult {
  /** Files recognised and linted (open documents included: they are counted from their current analysis). */
  linted: number;
  skipped: number;
  /** Findings published (suppressed ones excluded), open documents included. */
  findings: number;
  /** The same findings by severity (what the Problems panel and the status bar show). */
  bySeverity?: SeverityCounts;
  /**
   * `index` mode: true when the server's background index already covers the workspace (nothing was read;
   * the client need not send the rest of its index pass).
   */
  indexed?: boolean;
}
/** Published findings by severity. VS Code's Problems panel lists error, warning and info; hints only show in the editor. */
export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
  hint: number;
}
export const LintFilesRequest = new RequestType<LintFilesParams, LintFilesResult, void>('kbHints/lintFiles');

/** Server -> client after each lint of an open document: what the file is and how many findings it has. */
export interface FileStatusParams {
  uri: string;
  /** The file's kind id (`cloudformation`, `cdk`, `kubernetes`...); undefined when KB Hints does not lint it. */
  kind?: string;
  /** How to name the kind to people (`CloudFormation`, `ECS task definition`...). */
  label?: string;
  findings: number;
  suppressed: number;
  /** `findings` by severity. */
  bySeverity?: SeverityCounts;
  /** True when `.kbhints.yaml` ignores the file. */
  ignored?: boolean;
}
export const FileStatusNotification = new NotificationType<FileStatusParams>('kbHints/fileStatus');

// ---- the server itself ----

/** Memory and cache figures of the server (benchmarks, diagnostics). `gc: true` collects garbage first when possible. */
export interface StatsParams {
  gc?: boolean;
}
export interface StatsResult {
  documents: number;
  /** Analyses kept (one per open document at most). */
  analyses: number;
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  /** Lints run, and how many reused the previous parse of the document. */
  lints: number;
  incremental: number;
  /** Files parsed by the server: one per analysis, plus files read from disk (workspace lint, suppression list, background index). */
  parses: number;
  /** Over stdio: the largest output backlog so far (bytes written but not yet read by the client). */
  peakOutputBacklog?: number;
  /** The background index of the workspace folders. */
  index?: IndexStats;
  /** Open documents linted again because a file they depend on changed (lsp/dependents.ts). */
  dependentRelints?: number;
}
export interface IndexStats {
  /** `idle`: not started (or no workspace folder); `off`: turned off by settings. */
  state: 'idle' | 'running' | 'complete' | 'cancelled' | 'off';
  /** Files found by the last pass, and how many of them it went through. */
  files: number;
  indexed: number;
}
export const StatsRequest = new RequestType<StatsParams | null, StatsResult, void>('kbHints/stats');
