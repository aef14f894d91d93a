// Custom requests between the client (or any editor) and the server: the KB lookup.
import type { Article, SearchResult } from './kb/topics';
import type { Family } from './kinds';

export const SEARCH_KB = 'kbHints/searchKb';
export const GET_ARTICLE = 'kbHints/getArticle';

export interface SearchKbParams {
  query: string;
  limit?: number;
}
export type SearchKbResult = SearchResult[];

export interface GetArticleParams {
  /** A topic id, or `rule:<rule-id>`. */
  id: string;
}
export type GetArticleResult = Article | null;

/** What a client may say in `initializationOptions`. */
export interface InitializationOptions {
  /** `command` when the client runs `kbHints.openTopic` links (VS Code); web links otherwise. */
  linkStyle?: 'command' | 'web';
}

// ---- the editor experience: rules, suppressions, workspace lint, per-file status ----

/** Every rule, for a rule browser. */
export const LIST_RULES = 'kbHints/listRules';
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

export interface WireRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** Every suppression in the given files (read from disk unless open) and in the open documents. */
export const LIST_SUPPRESSIONS = 'kbHints/listSuppressions';
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

/**
 * Lints files that need not be open (read from disk) and publishes their diagnostics. `index` only
 * reads them for cross-file facts (send every file with `index` first, then `lint`).
 */
export const LINT_FILES = 'kbHints/lintFiles';
export interface LintFilesParams {
  uris: string[];
  mode?: 'index' | 'lint';
}
export interface LintFilesResult {
  /** Files recognised and linted. */
  linted: number;
  skipped: number;
  /** Findings published (suppressed ones excluded). */
  findings: number;
}

/** Server -> client after each lint of an open document: what the file is and how many findings it has. */
export const FILE_STATUS = 'kbHints/fileStatus';
export interface FileStatusParams {
  uri: string;
  /** The file's kind id (`cloudformation`, `cdk`, `kubernetes`...); undefined when KB Hints does not lint it. */
  kind?: string;
  /** How to name the kind to people (`CloudFormation`, `ECS task definition`...). */
  label?: string;
  findings: number;
  suppressed: number;
  /** True when `.kbhints.yaml` ignores the file. */
  ignored?: boolean;
}

/** Client command run after a "Suppress" quick fix to select the placeholder reason: (uri, range). */
export const SELECT_RANGE_COMMAND = 'kbHints.selectRange';

/** Memory and cache figures of the server (benchmarks, diagnostics). `gc: true` collects garbage first when possible. */
export const STATS = 'kbHints/stats';
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
}
