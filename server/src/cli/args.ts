// The `lint` command's options: what parseArgs reads (LINT_OPTIONS), checked and turned into settings.
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './files';
import { FORMATS } from './format';
import { cachePath } from './cache';
import type { Severity } from '../engine/rule';

export const LINT_OPTIONS = {
  format: { type: 'string', short: 'f', default: 'text' },
  output: { type: 'string', short: 'o' },
  'no-color': { type: 'boolean', default: false },
  'show-suppressed': { type: 'boolean', default: false },
  jobs: { type: 'string', short: 'j' },
  root: { type: 'string' },
  config: { type: 'string', short: 'c' },
  'stdin-filename': { type: 'string' },
  'max-warnings': { type: 'string' },
  'fail-on': { type: 'string', default: 'error' },
  'no-error-on-unmatched': { type: 'boolean', default: false },
  fix: { type: 'boolean', default: false },
  'fix-dry-run': { type: 'boolean', default: false },
  cache: { type: 'boolean', default: false },
  'cache-location': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export type FailOn = Severity | 'none';
export const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'hint', 'none'];

export interface LintSettings {
  paths: string[];
  /** `-` was given: the text comes from standard input, named `stdinFilename`. */
  stdin: boolean;
  stdinFilename: string;
  format: string;
  output?: string;
  color: boolean;
  showSuppressed: boolean;
  jobs?: number;
  root?: string;
  config?: string;
  maxWarnings?: number;
  failOn: FailOn;
  errorOnUnmatched: boolean;
  fix: 'off' | 'write' | 'dry-run';
  /** `--cache`: the cache file (`--cache-location`, else `.kbhints-cache`); undefined without --cache. */
  cache?: string;
}

export const DEFAULT_STDIN_FILENAME = '<stdin>.yaml';

type Values = { [K in keyof typeof LINT_OPTIONS]?: (typeof LINT_OPTIONS)[K]['type'] extends 'string' ? string : boolean };

/** Colour: `--no-color`, then NO_COLOR (any non-empty value), FORCE_COLOR (`0`/`false` turn it off), TERM=dumb, a TTY. */
export function wantsColor(noColorFlag: boolean, toFile: boolean, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (noColorFlag || toFile) return false;
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export function lintSettings(values: Values, paths: string[], env: NodeJS.ProcessEnv = process.env, isTTY = process.stdout.isTTY === true): LintSettings {
  const format = values.format ?? 'text';
  if (!Object.hasOwn(FORMATS, format)) throw new UsageError(`Unknown format '${format}': use ${Object.keys(FORMATS).join(', ')}.`);
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs takes a whole number of threads (1 or more), not '${values.jobs}'.`);
  }
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!/^\d+$/.test(values['max-warnings']) || !Number.isSafeInteger(maxWarnings)) throw new UsageError(`--max-warnings takes a whole number (0 or more), not '${values['max-warnings']}'.`);
  }
  const failOn = (values['fail-on'] ?? 'error') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new UsageError(`--fail-on takes ${FAIL_ON.join(', ')}, not '${failOn}'.`);
  const stdin = paths.includes('-');
  if (stdin && paths.length > 1) throw new UsageError("'-' (standard input) cannot be combined with other paths.");
  if (values['stdin-filename'] !== undefined && !stdin) throw new UsageError("--stdin-filename names standard input: give '-' as the path.");
  if (values.fix && values['fix-dry-run']) throw new UsageError('--fix and --fix-dry-run: choose one.');
  if (values.fix && stdin) throw new UsageError('--fix cannot write standard input back: use --fix-dry-run to see the diff.');
  if (values['cache-location'] !== undefined && !values.cache) throw new UsageError('--cache-location names the cache file: give --cache too.');
  for (const [flag, v] of [['--cache-location', values['cache-location']], ['--root', values.root], ['--config', values.config], ['--stdin-filename', values['stdin-filename']], ['--output', values.output]] as const)
    if (v === '') throw new UsageError(`${flag} needs a value.`);
  return {
    paths: paths.length ? paths : ['.'],
    stdin,
    stdinFilename: values['stdin-filename'] ?? DEFAULT_STDIN_FILENAME,
    format,
    output: values.output,
    color: wantsColor(values['no-color'] ?? false, values.output !== undefined, env, isTTY),
    showSuppressed: values['show-suppressed'] ?? false,
    jobs,
    root: values.root,
    config: values.config,
    maxWarnings,
    failOn,
    errorOnUnmatched: !values['no-error-on-unmatched'],
    fix: values.fix ? 'write' : values['fix-dry-run'] ? 'dry-run' : 'off',
    ...(values.cache ? { cache: cachePath(values['cache-location']) } : {}),
  };
}

const RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

/** The exit code of a run: 1 when a finding reaches `failOn` or there are more warnings than allowed. */
export function exitCode(severities: Severity[], failOn: FailOn, maxWarnings?: number): 0 | 1 {
  if (failOn !== 'none' && severities.some((s) => RANK[s] >= RANK[failOn])) return 1;
  if (maxWarnings !== undefined && severities.filter((s) => s === 'warning').length > maxWarnings) return 1;
  return 0;
}
