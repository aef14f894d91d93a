// Settings the server reads per document: declared once in package.json under `kbHints`, normalised here.
import { SEVERITIES, type Severity } from './engine/rule';

export interface Settings {
  enable: boolean;
  debounceMs: number;
  maxFileSizeKb: number;
  /** `kbHints.rules`: rule id -> severity or `off`; overrides `.kbhints.yaml` for this user. */
  rules: Record<string, Severity | 'off'>;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, debounceMs: 150, maxFileSizeKb: 10240, rules: {} };

export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const num = (v: unknown, d: number, min: number, max: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : d);
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    debounceMs: num(r.debounceMs, DEFAULT_SETTINGS.debounceMs, 0, 5000),
    maxFileSizeKb: num(r.maxFileSizeKb, DEFAULT_SETTINGS.maxFileSizeKb, 1, 1024 * 1024),
    rules: normalizeRules(r.rules),
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
