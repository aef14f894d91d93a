// The `kb-hints` command: lints files and folders with the same engine as the language server.
import { parseArgs } from 'node:util';
import { DEFAULT_STDIN_FILENAME, FAIL_ON, LINT_OPTIONS, lintSettings } from './cli/args';
import { UsageError } from './cli/files';
import { FORMATS, printable } from './cli/format';
import { lintCommand } from './cli/lint';
import { FILE_EXTENSIONS } from './kinds';
import { isLintWorker, runLintWorker } from './cli/parallel';
import { Project } from './cli/project';
import { kbCommand, rulesTestCommand } from './team/cli';
import { VERSION } from './version';

const FORMAT_NAMES = Object.keys(FORMATS).join('|');

const HELP = `Usage: kb-hints lint [paths...] [options]
       kb-hints lint - [--stdin-filename <name>] [options]
       kb-hints rules test [dir]        run the team rules' fixtures (default dir: .kbhints/rules)
       kb-hints kb search <query>       search KB topics and rules (built-in and team)
       kb-hints kb show <id>            print a topic (or rule:<id>) as Markdown

Lints CloudFormation and CDK templates and Kubernetes manifests against the KB.
Folders are searched for ${FILE_EXTENSIONS.join(', ')} files (node_modules, .git and CDK integ-test
snapshots, *.snapshot folders, are skipped).
A quoted glob ('**/*.yaml', 'stacks/*/template.json') is expanded here, relative to the working folder.
Rule severities and ignored paths come from .kbhints.yaml files (found upward from each file).
Findings on a CDK app's cdk.out (a folder with cdk.json) are reported at the source line that creates
the construct, with the template location as related (docs/cdk.md).

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
      --cache                     reuse the findings of files unchanged since the last --cache run (keyed on
                                  content, configuration, team rules, the linter's version and cross-file facts)
      --cache-location <path>     the cache file, or a folder for it (default: ./.kbhints-cache)
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
  if (command === 'kb') return kbCommand(paths, write, new Project(warn).team);
  if (command === 'rules' && paths[0] === 'test') return rulesTestCommand(paths.slice(1), write, new Project(() => {}).loader);
  if (command !== 'lint') throw new UsageError(command ? `Unknown command '${command}'. Try: kb-hints lint [paths...]` : 'Missing command. Try: kb-hints lint [paths...]');
  return lintCommand(lintSettings(values, paths), { write, warn });
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
