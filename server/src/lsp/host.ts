// What the language server takes from the runtime it runs in: Node (server.ts) or a browser's Web Worker
// (browserServer.ts). The LSP modules read files, digest and measure only through it, so the browser
// bundle holds no Node API; what a browser cannot do (files on disk, CDK apps) it simply does not offer.
import type { StatsResult } from '../protocol';
import type { CdkFeature, CdkFeatureOptions } from './cdk';

export interface ServerHost {
  /** Named in the start-up log line ("Node v20.19.0", "a Web Worker"). */
  runtime: string;
  /** The text of a file on disk (a `file:` URI's path); undefined when missing, unreadable, not a file or over `maxBytes`. */
  readFile(path: string, maxBytes?: number): string | undefined;
  /** Equal digests mean equal texts (published diagnostics as JSON: unchanged ones are not sent again). */
  digest(text: string): string;
  /** The runtime's figures for the stats request; `gc`: collect garbage first, where the runtime allows it. */
  stats(gc: boolean): Pick<StatsResult, 'heapUsed' | 'heapTotal' | 'rss' | 'external' | 'peakOutputBacklog'>;
  /** CDK apps' findings on their source lines (lsp/cdk.ts reads assemblies and sources from disk: Node only). */
  cdk?: (options: CdkFeatureOptions) => CdkFeature;
}
