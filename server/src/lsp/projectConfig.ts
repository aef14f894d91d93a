// `.kbhints.yaml` for documents the server lints: severities (the project file, then the user's
// `kbHints.rules` on top) and ignored paths, cached per folder until a config file changes; and the watcher
// that notices those changes.
import { fileURLToPath } from 'node:url';
import { CONFIG_FILE, ConfigLoader, EMPTY_CONFIG, isIgnored, type ResolvedConfig } from '../engine/config';
import type { SeverityOverrides } from '../engine/run';
import type { Environment } from '../engine/environment';
import type { Settings } from '../settings';
import type { Rule } from '../engine/rule';

export interface DocumentOptions {
  severities: SeverityOverrides;
  ignored: boolean;
  /** The environment `.kbhints.yaml` declares (the workspace's own signs are added at lint). */
  environment?: Environment;
  /** The rules to run: the built-in ones and the document's team rules (absent: the built-in ones). */
  rules?: readonly Rule[];
}

export class ProjectConfigs {
  private readonly loader: ConfigLoader;
  private readonly reported = new Set<string>();
  /** Config files already named in the log (`info`), until the next reload. */
  private readonly announced = new Set<string>();

  /** `openText`: the text of a config file open in the editor (unsaved edits apply at once), if it is; else `readFile`'s. */
  constructor(
    private readonly log: (message: string) => void = () => {},
    openText: (path: string) => string | undefined = () => undefined,
    readFile: (path: string) => string | undefined = () => undefined,
    /** The rules for a document given its config (team rules join the built-in ones). */
    private readonly rulesFor?: (uri: string, config: ResolvedConfig) => readonly Rule[],
    /** Says which `.kbhints.yaml` files are in use (the output channel), once each. */
    private readonly info: (message: string) => void = () => {},
  ) {
    this.loader = new ConfigLoader((path) => openText(path) ?? readFile(path));
  }

  /** The merged `.kbhints.yaml` for a document (none for untitled or virtual documents). */
  forUri(uri: string): ResolvedConfig {
    const path = filePath(uri);
    if (!path) return EMPTY_CONFIG;
    const config = this.loader.forFile(path);
    for (const f of config.files) {
      if (this.announced.has(f)) continue;
      this.announced.add(f);
      this.info(`KB Hints: using ${f}`);
    }
    for (const e of config.errors) {
      if (this.reported.has(e)) continue;
      this.reported.add(e);
      this.log(`KB Hints config: ${e}`);
    }
    return config;
  }

  options(uri: string, settings: Settings): DocumentOptions {
    const config = this.forUri(uri);
    const path = filePath(uri);
    return { severities: { ...config.rules, ...settings.rules }, ignored: !!path && isIgnored(config, path), environment: config.environment, ...(this.rulesFor ? { rules: this.rulesFor(uri, config) } : {}) };
  }

  clear(): void {
    this.loader.clear();
    this.reported.clear();
    this.announced.clear();
  }
}

export function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * Follows `.kbhints.yaml`: the client watches it (VS Code: synchronize.fileEvents) and says when it
 * changed; edits to an open one apply as they are typed (the loader prefers the open text), and closing
 * it goes back to the saved file. Each time: re-read, re-lint the open documents.
 */
export class ProjectConfigWatcher {
  private reload: NodeJS.Timeout | undefined;

  constructor(
    private readonly configs: ProjectConfigs,
    private readonly onReload: () => void,
  ) {}

  watchedFilesChanged(uris: string[]): void {
    if (uris.some(isConfig)) this.reloadSoon(0);
  }

  opened(doc: { uri: string }): void {
    if (isConfig(doc.uri)) this.reloadSoon(0);
  }

  changed(doc: { uri: string }): void {
    if (isConfig(doc.uri)) this.reloadSoon(300);
  }

  closed(uri: string): void {
    if (isConfig(uri)) this.reloadSoon(0);
  }

  stop(): void {
    if (this.reload) clearTimeout(this.reload);
    this.reload = undefined;
  }

  private reloadSoon(delay: number): void {
    if (this.reload) clearTimeout(this.reload);
    this.reload = setTimeout(() => {
      this.reload = undefined;
      this.configs.clear();
      this.onReload();
    }, delay);
  }
}

const isConfig = (uri: string) => uri.endsWith(`/${CONFIG_FILE}`);
