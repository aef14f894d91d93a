// Settings the server reads per document: declared once in package.json under `kbHints`, normalised here.
import { SEVERITIES, type Severity } from './engine/rule';

export interface Settings {
  enable: boolean;
  /** `auto` (the default): at once after a cheap lint, coalescing edits after an expensive one (lsp/diagnostics.ts); a number of ms is a fixed debounce. */
  debounceMs: number | 'auto';
  maxFileSizeKb: number;
  /** `kbHints.rules`: rule id -> severity or `off`; overrides `.kbhints.yaml` for this user. */
  rules: Record<string, Severity | 'off'>;
  /** `kbHints.indexWorkspace`: read the workspace folders in the background for cross-file facts (lsp/workspaceIndexer.ts). */
  indexWorkspace: boolean;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, debounceMs: 'auto', maxFileSizeKb: 10240, rules: {}, indexWorkspace: true };

export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const num = (v: unknown, d: number, min: number, max: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : d);
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    debounceMs: typeof r.debounceMs === 'number' && Number.isFinite(r.debounceMs) ? Math.min(5000, Math.max(0, r.debounceMs)) : 'auto',
    maxFileSizeKb: num(r.maxFileSizeKb, DEFAULT_SETTINGS.maxFileSizeKb, 1, 1024 * 1024),
    rules: normalizeRules(r.rules),
    indexWorkspace: typeof r.indexWorkspace === 'boolean' ? r.indexWorkspace : DEFAULT_SETTINGS.indexWorkspace,
  };
}

function normalizeRules(raw: unknown): Record<string, Severity | 'off'> {
  const out: Record<string, Severity | 'off'> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
    const s = typeof v === 'string' ? v.toLowerCase() : v === false ? 'off' : undefined;
    if (s === 'off' || SEVERITIES.includes(s as Severity)) out[id] = s as Severity | 'off';
  }
  return out;
}

/**
 * The user's settings per document. Clients with `workspace/configuration` are asked per document (and
 * asked again when they say settings changed); others push them with `didChangeConfiguration`
 * (`{ settings: { kbHints: {...} } }`), which then apply to every document.
 */
export class SettingsStore {
  private pull = false;
  private pushed: Settings = DEFAULT_SETTINGS;
  private readonly cache = new Map<string, Settings>();

  constructor(private readonly ask: (uri: string) => Promise<unknown>) {}

  /** From the client's capabilities at `initialize`. */
  init(canPull: boolean): void {
    this.pull = canPull;
  }

  /** The settings last read for this document (the pushed or default ones until then). */
  get(uri: string): Settings {
    return this.cache.get(uri) ?? this.pushed;
  }

  /** Asks the client again for a document's settings and keeps them; a failed request keeps what was known. */
  async refresh(uri: string): Promise<Settings> {
    if (this.pull) {
      try {
        this.cache.set(uri, normalizeSettings(await this.ask(uri)));
      } catch {
        // A client that fails the request keeps the defaults.
      }
    }
    return this.get(uri);
  }

  /** Settings for a file that is not open: asked, not kept. */
  async fetch(uri: string): Promise<Settings> {
    if (!this.pull) return this.pushed;
    try {
      return normalizeSettings(await this.ask(uri));
    } catch {
      return this.get(uri);
    }
  }

  /** `workspace/didChangeConfiguration`: forget what was read; a push client's new settings apply. */
  changed(params: { settings?: unknown } | undefined): void {
    this.cache.clear();
    if (this.pull) return;
    const s = params?.settings;
    const section = s && typeof s === 'object' ? (s as Record<string, unknown>).kbHints : undefined;
    if (section && typeof section === 'object') this.pushed = normalizeSettings(section);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
