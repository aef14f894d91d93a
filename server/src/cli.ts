#!/usr/bin/env node
// The `kb-hints` command: lints files and folders with the same engine as the language server.
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { collectFiles, UsageError } from './cli/files';
import { FORMATS, printable } from './cli/format';
import { FILE_EXTENSIONS } from './kinds';
import { defaultJobs, isLintWorker, lintFiles, runLintWorker, UNREADABLE } from './cli/parallel';
import { Project } from './cli/project';
import { kbCommand, rulesTestCommand } from './team/cli';
import { VERSION } from './version';

const FORMAT_NAMES = Object.keys(FORMATS).join('|');

const HELP = `Usage: kb-hints lint [paths...] [options]
       kb-hints rules test [dir]        run the team rules' fixtures (default dir: .kbhints/rules)
       kb-hints kb search <query>       search KB topics and rules (built-in and team)
       kb-hints kb show <id>            print a topic (or rule:<id>) as Markdown

Lints CloudFormation and CDK templates and Kubernetes manifests against the KB.
Folders are searched for ${FILE_EXTENSIONS.join(', ')} files (node_modules and .git are skipped).
Rule severities and ignored paths come from .kbhints.yaml files (found upward from each file).

Options:
  -f, --format <${FORMAT_NAMES}>  output format (default: text)
  -o, --output <file>             write the report to a file instead of stdout
      --no-color                  plain text output
      --show-suppressed           text output: also list findings suppressed in the source
  -j, --jobs <n>                  lint on n threads (default: the number of cores; inputs under 32 MB use one)
  -h, --help                      show this help
  -v, --version                   show the version

Exit codes: 0 no error-level finding, 1 error-level findings, 2 bad usage or internal failure.
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f', default: 'text' },
      output: { type: 'string', short: 'o' },
      'no-color': { type: 'boolean', default: false },
      'show-suppressed': { type: 'boolean', default: false },
      jobs: { type: 'string', short: 'j' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
  if (values.help) return write(HELP), 0;
  if (values.version) return write(`${VERSION}\n`), 0;
  const [command, ...paths] = positionals;
  if (command === 'kb') return kbCommand(paths, write, new Project((m) => process.stderr.write(`kb-hints: ${m}\n`)).team);
  if (command === 'rules' && paths[0] === 'test') return rulesTestCommand(paths.slice(1), write, new Project(() => {}).loader);
  if (command !== 'lint') throw new UsageError(command ? `Unknown command '${command}'. Try: kb-hints lint [paths...]` : 'Missing command. Try: kb-hints lint [paths...]');
  const format = values.format!;
  if (!Object.hasOwn(FORMATS, format)) throw new UsageError(`Unknown format '${format}': use ${Object.keys(FORMATS).join(', ')}.`);

  const jobs = values.jobs === undefined ? defaultJobs() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs takes a whole number of threads (1 or more), not '${values.jobs}'.`);

  const started = performance.now();
  const project = new Project(warn);
  const files = project.keep(collectFiles(paths.length ? paths : ['.'], (m) => warn(`warning: ${m}`)));
  // Cross-file rules (a claim's StorageClass) see every file, on one thread or several.
  // Team rules: broken rule or topic files are error lines (and exit code 1); the other rules run.
  const teamProblems = project.team.prepare(files);
  for (const p of teamProblems) process.stderr.write(`kb-hints: error: ${printable(p)}\n`);
  const results = await lintFiles(files, { jobs, severities: (f) => project.severities(f), environment: (f) => project.environment(f), team: (f) => project.team.dirsFor(f) });
  for (const r of results) if (r.skipped?.startsWith(UNREADABLE)) warn(`warning: skipped ${r.path}: ${r.skipped.slice(UNREADABLE.length)}`);

  const out = FORMATS[format](results, {
    color: !values['no-color'] && !values.output && process.stdout.isTTY === true,
    elapsedMs: performance.now() - started,
    showSuppressed: values['show-suppressed']!,
    cwd: process.cwd(),
  });
  const code = teamProblems.length || results.some((r) => r.findings.some((f) => f.severity === 'error' && !f.suppressed)) ? 1 : 0;
  // Known before writing: a reader that closes the pipe early (`| head`) ends the run with it, quietly.
  process.exitCode = code;
  if (values.output) fs.writeFileSync(values.output, out);
  else write(out);
  return code;
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
