// `kb-hints lint`: collects the files (paths, globs, standard input), lints them, applies or shows the
// quick fixes (--fix, --fix-dry-run), writes the report and decides the exit code (--fail-on, --max-warnings).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exitCode, type LintSettings } from './args';
import { unifiedDiff } from './diff';
import { collectFiles, UsageError } from './files';
import { fixFiles, writeFixes } from './fix';
import { FORMATS, type FormatOptions } from './format';
import { FILE_EXTENSIONS } from '../kinds';
import { defaultJobs, lintFiles, UNREADABLE } from './parallel';
import { lintFilesCached } from './cache';
import { Project } from './project';
import { prefetchSourceFacts } from '../cdk/prefetch';
import { relocateCdkFindings } from '../cdk/relocate';
import { findRoot } from './root';

/** What the command writes to: the report (stdout) and one-line messages (stderr). */
export interface LintIO {
  write: (text: string) => void;
  warn: (message: string) => void;
}

/** Runs `kb-hints lint` with checked settings; gives the exit code (also set as process.exitCode before writing). */
export async function lintCommand(o: LintSettings, { write, warn }: LintIO): Promise<number> {
  const startTime = new Date();
  // Not performance.now(): the first use of `performance` loads perf_hooks (a few ms of a cached run).
  const started = hrMs();
  const project = new Project(warn, o.config);
  const texts = new Map<string, string>();
  if (o.stdin) texts.set(o.stdinFilename, fs.readFileSync(0, 'utf8'));
  const snapshotsSkipped: string[] = [];
  const collected = o.stdin ? [o.stdinFilename] : collectFiles(o.paths, (m) => warn(`warning: ${m}`), { allowUnmatched: !o.errorOnUnmatched, snapshotsSkipped });
  const files = o.stdin ? collected : project.keep(collected);
  if (!collected.length) {
    const skipped = snapshotsSkipped.length ? `, outside the ${snapshotsSkipped.length} CDK integ-test snapshot folder${snapshotsSkipped.length === 1 ? '' : 's'} skipped (*.snapshot; name one to lint it)` : '';
    const message = `nothing to lint: no ${FILE_EXTENSIONS.join(', ')} file in ${o.paths.join(' ')}${skipped}`;
    if (o.errorOnUnmatched) throw new UsageError(`${message[0].toUpperCase()}${message.slice(1)} (--no-error-on-unmatched makes this a warning).`);
    warn(`warning: ${message}`);
  }
  const severities = (f: string) => project.severities(f);
  // Team rules: broken rule or topic files are error lines (and exit code 1); the other rules run.
  const teamProblems = project.team.prepare(files);
  for (const p of teamProblems) warn(`error: ${p}`);
  const lintOptions = { jobs: o.jobs ?? defaultJobs(), severities, texts, environment: (f: string) => project.environment(f), team: (f: string) => project.team.dirsFor(f) };
  // --cache: unchanged files' findings come from the cache (not for standard input; --fix lints afresh).
  let cacheOnce = o.cache !== undefined && !o.stdin && o.fix === 'off';
  const lintAll = () => {
    if (!cacheOnce) return lintFiles(files, lintOptions);
    cacheOnce = false;
    return lintFilesCached(files, lintOptions, o.cache!, warn);
  };
  // Cross-file rules (a claim's StorageClass) see every file, on one thread or several. CDK apps' sources
  // are parsed on a worker meanwhile; then each finding on their output moves to the source line that
  // creates its construct (the template location is related).
  // Of the files, only synthesized templates can name an app (the others would only be stat'ed).
  const cdkSources = prefetchSourceFacts(files.filter((f) => /\.template\.json$/i.test(f)));
  const lintAndPlace = async () => {
    const out = await lintAll();
    await cdkSources;
    relocateCdkFindings(out);
    return out;
  };
  let results = await lintAndPlace();
  for (const r of results) if (r.skipped?.startsWith(UNREADABLE)) warn(`warning: skipped ${r.path}: ${r.skipped.slice(UNREADABLE.length)}`);

  if (o.fix !== 'off') {
    const fixed = fixFiles(results, { severities, texts, warn });
    const count = fixed.reduce((n, f) => n + f.fixes, 0);
    const summary = `${count} fix${count === 1 ? '' : 'es'} in ${fixed.length} file${fixed.length === 1 ? '' : 's'}`;
    if (o.fix === 'dry-run') {
      const diff = fixed.map((f) => unifiedDiff(f.before, f.after, `a/${diffName(f.path)}`, `b/${diffName(f.path)}`)).join('');
      warn(`${summary} would be applied (--fix writes them)`);
      process.exitCode = fixed.length ? 1 : 0;
      writeOut(o, write, diff);
      return fixed.length ? 1 : 0;
    }
    const failed = writeFixes(fixed, warn);
    warn(`${summary} applied${failed.length ? ` (${failed.length} file${failed.length === 1 ? '' : 's'} could not be written)` : ''}`);
    if (fixed.length) results = await lintAndPlace();
    if (failed.length) {
      // The report still comes out; the run is not a success.
      writeOut(o, write, FORMATS[o.format](results, formatOptions(o, startTime, started, warn)));
      process.exitCode = 2;
      return 2;
    }
  }

  const out = FORMATS[o.format](results, formatOptions(o, startTime, started, warn));
  const live = results.flatMap((r) => r.findings.filter((f) => !f.suppressed).map((f) => f.severity));
  const code = Math.max(exitCode(live, o.failOn, o.maxWarnings), teamProblems.length ? 1 : 0);
  const warnings = live.filter((s) => s === 'warning').length;
  if (o.maxWarnings !== undefined && warnings > o.maxWarnings) warn(`${warnings} warnings: more than --max-warnings ${o.maxWarnings}`);
  // Known before writing: a reader that closes the pipe early (`| head`) ends the run with it, quietly.
  process.exitCode = code;
  writeOut(o, write, out);
  return code;
}

function formatOptions(o: LintSettings, startTime: Date, started: number, warn: (message: string) => void): FormatOptions {
  return {
    color: o.color,
    elapsedMs: hrMs() - started,
    showSuppressed: o.showSuppressed,
    cwd: process.cwd(),
    root: o.root !== undefined ? path.resolve(o.root) : findRoot(process.cwd()),
    startTime,
    warn,
  };
}

function writeOut(o: LintSettings, write: (text: string) => void, text: string): void {
  if (o.output) fs.writeFileSync(o.output, text);
  else write(text);
}

/** A monotonic clock in milliseconds. */
function hrMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** A path for a diff header: relative, `/`-separated. */
function diffName(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return (rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(file) : rel).split(path.sep).join('/');
}
