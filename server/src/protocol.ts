// Custom requests between the client (or any editor) and the server: the KB lookup.
import type { Article, SearchResult } from './kb/topics';

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
