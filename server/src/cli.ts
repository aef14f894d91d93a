#!/usr/bin/env node
// The `kb-hints` command: lints files and folders with the same engine as the language server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_STDIN_FILENAME, exitCode, FAIL_ON, LINT_OPTIONS, lintSettings, type LintSettings } from './cli/args';
import { unifiedDiff } from './cli/diff';
import { collectFiles, UsageError } from './cli/files';
import { fixFiles, writeFixes } from './cli/fix';
import { FORMATS, printable } from './cli/format';
import { findRoot } from './cli/root';
import { FILE_EXTENSIONS } from './kinds';
import { defaultJobs, isLintWorker, lintFiles, runLintWorker, UNREADABLE } from './cli/parallel';
import { Project } from './cli/project';
import { VERSION } from './version';

const FORMAT_NAMES = Object.keys(FORMATS).join('|');

const HELP = `Usage: kb-hints lint [paths...] [options]
       kb-hints lint - [--stdin-filename <name>] [options]

Lints CloudFormation and CDK templates and Kubernetes manifests against the KB.
Folders are searched for ${FILE_EXTENSIONS.join(', ')} files (node_modules and .git are skipped).
A quoted glob ('**/*.yaml', 'stacks/*/template.json') is expanded here, relative to the working folder.
Rule severities and ignored paths come from .kbhints.yaml files (found upward from each file).

Options:
  -f, --format <${FORMAT_NAMES}>
                                  output format (default: text); github = workflow annotations,
                                  codequality = GitLab Code Quality, junit = JUnit XML
  -o, --output <file>             write the report to a file instead of stdout
      --root <dir>                paths in sarif/github/codequality/junit reports are relative to this
                                  folder (default: the nearest folder above with .git, else the working folder)
  -c, --config <file>             use this .kbhints.yaml for every file instead of searching upward
      --stdin-filename <name>     with '-': the name standard input is linted and reported as; its
                                  extension decides the kind (default: ${DEFAULT_STDIN_FILENAME})
      --fail-on <${FAIL_ON.join('|')}>
                                  exit 1 when a finding is at least this severe (default: error)
      --max-warnings <n>          exit 1 when there are more than n warnings
      --no-error-on-unmatched     a missing path, a glob matching nothing or no file at all is a warning, not exit 2
      --fix                       apply the quick fixes (not suppressions) to the files, then report what is left
      --fix-dry-run               print the fixes as a unified diff instead (exit 1 when there is any)
      --no-color                  plain text output (also NO_COLOR=1 or TERM=dumb; FORCE_COLOR=1 forces colour)
      --show-suppressed           text output: also list findings suppressed in the source
  -j, --jobs <n>                  lint on n threads (default: the number of cores; inputs under 32 MB use one)
  -h, --help                      show this help
  -v, --version                   show the version

Suppressed findings never fail a run.
Exit codes: 0 nothing reached --fail-on, 1 findings reached it (or more warnings than --max-warnings),
2 bad usage, a missing path, nothing to lint, or an internal failure.
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: LINT_OPTIONS });
  if (values.help) return write(HELP), 0;
  if (values.version) return write(`${VERSION}\n`), 0;
  const [command, ...paths] = positionals;
  if (command !== 'lint') throw new UsageError(command ? `Unknown command '${command}'. Try: kb-hints lint [paths...]` : 'Missing command. Try: kb-hints lint [paths...]');
  return lintCommand(lintSettings(values, paths));
}

async function lintCommand(o: LintSettings): Promise<number> {
  const startTime = new Date();
  const started = performance.now();
  const project = new Project(warn, o.config);
  const texts = new Map<string, string>();
  if (o.stdin) texts.set(o.stdinFilename, fs.readFileSync(0, 'utf8'));
  const collected = o.stdin ? [o.stdinFilename] : collectFiles(o.paths, (m) => warn(`warning: ${m}`), { allowUnmatched: !o.errorOnUnmatched });
  const files = o.stdin ? collected : project.keep(collected);
  if (!collected.length) {
    const message = `nothing to lint: no ${FILE_EXTENSIONS.join(', ')} file in ${o.paths.join(' ')}`;
    if (o.errorOnUnmatched) throw new UsageError(`${message[0].toUpperCase()}${message.slice(1)} (--no-error-on-unmatched makes this a warning).`);
    warn(`warning: ${message}`);
  }
  const severities = (f: string) => project.severities(f);
  const lintAll = () => lintFiles(files, { jobs: o.jobs ?? defaultJobs(), severities, texts });
  // Cross-file rules (a claim's StorageClass) see every file, on one thread or several.
  let results = await lintAll();
  for (const r of results) if (r.skipped?.startsWith(UNREADABLE)) warn(`warning: skipped ${r.path}: ${r.skipped.slice(UNREADABLE.length)}`);

  if (o.fix !== 'off') {
    const fixed = fixFiles(results, { severities, texts, warn });
    const count = fixed.reduce((n, f) => n + f.fixes, 0);
    const summary = `${count} fix${count === 1 ? '' : 'es'} in ${fixed.length} file${fixed.length === 1 ? '' : 's'}`;
    if (o.fix === 'dry-run') {
      const diff = fixed.map((f) => unifiedDiff(f.before, f.after, `a/${diffName(f.path)}`, `b/${diffName(f.path)}`)).join('');
      warn(`${summary} would be applied (--fix writes them)`);
      process.exitCode = fixed.length ? 1 : 0;
      if (o.output) fs.writeFileSync(o.output, diff);
      else write(diff);
      return fixed.length ? 1 : 0;
    }
    writeFixes(fixed);
    warn(`${summary} applied`);
    if (fixed.length) results = await lintAll();
  }

  const root = o.root !== undefined ? path.resolve(o.root) : findRoot(process.cwd());
  const out = FORMATS[o.format](results, {
    color: o.color,
    elapsedMs: performance.now() - started,
    showSuppressed: o.showSuppressed,
    cwd: process.cwd(),
    root,
    startTime,
    warn,
  });
  const live = results.flatMap((r) => r.findings.filter((f) => !f.suppressed).map((f) => f.severity));
  const code = exitCode(live, o.failOn, o.maxWarnings);
  const warnings = live.filter((s) => s === 'warning').length;
  if (o.maxWarnings !== undefined && warnings > o.maxWarnings) warn(`${warnings} warnings: more than --max-warnings ${o.maxWarnings}`);
  // Known before writing: a reader that closes the pipe early (`| head`) ends the run with it, quietly.
  process.exitCode = code;
  if (o.output) fs.writeFileSync(o.output, out);
  else write(out);
  return code;
}

/** A path for a diff header: relative, `/`-separated. */
function diffName(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return (rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(file) : rel).split(path.sep).join('/');
}

function write(s: string): void {
  process.stdout.write(s);
}

/** One line on stderr; user text in it (paths, config keys) is made printable. */
function warn(message: string): void {
  process.stderr.write(`kb-hints: ${printable(message)}\n`);
}

// A closed stdout (`kb-hints lint . | head -1`): stop writing and exit, without a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  warn(`cannot write the report: ${e.message}`);
  process.exit(2);
});

if (isLintWorker()) runLintWorker();
else {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      warn(usage ? (e as Error).message : `internal error: ${(e as Error).message}`);
      process.exitCode = 2;
    },
  );
}
