// Settings the server reads per document: declared once in package.json under `kbHints`, normalised here.
export interface Settings {
  enable: boolean;
  debounceMs: number;
  maxFileSizeKb: number;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, debounceMs: 150, maxFileSizeKb: 10240 };

export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const num = (v: unknown, d: number, min: number, max: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : d);
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    debounceMs: num(r.debounceMs, DEFAULT_SETTINGS.debounceMs, 0, 5000),
    maxFileSizeKb: num(r.maxFileSizeKb, DEFAULT_SETTINGS.maxFileSizeKb, 1, 1024 * 1024),
  };
}
