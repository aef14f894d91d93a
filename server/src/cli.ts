#!/usr/bin/env node
// The `kb-hints` command: lints files and folders with the same engine as the language server.
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { collectFiles, UsageError } from './cli/files';
import { formatJson, formatSarif, formatText } from './cli/format';
import { defaultJobs, isLintWorker, lintFiles, runLintWorker } from './cli/parallel';
import { Project } from './cli/project';
import { prefetchSourceFacts } from './cdk/prefetch';
import { relocateCdkFindings } from './cdk/relocate';
import { VERSION } from './version';

const HELP = `Usage: kb-hints lint [paths...] [options]

Lints CloudFormation and CDK templates and Kubernetes manifests against the KB.
Folders are searched for .yaml, .yml, .json and .template files (node_modules and .git are skipped).
Rule severities and ignored paths come from .kbhints.yaml files (found upward from each file).
Findings on a CDK app's cdk.out (a folder with cdk.json) are reported at the source line that creates
the construct, with the template location as related (docs/cdk.md).

Options:
  -f, --format <text|json|sarif>  output format (default: text)
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
  if (command !== 'lint') throw new UsageError(command ? `Unknown command '${command}'. Try: kb-hints lint [paths...]` : 'Missing command. Try: kb-hints lint [paths...]');
  const format = values.format!;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`Unknown format '${format}': use text, json or sarif.`);

  const jobs = values.jobs === undefined ? defaultJobs() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs takes a whole number of threads (1 or more), not '${values.jobs}'.`);

  const started = performance.now();
  const project = new Project((m) => process.stderr.write(`kb-hints: ${m}\n`));
  const files = project.keep(collectFiles(paths.length ? paths : ['.']));
  // Cross-file rules (a claim's StorageClass) see every file, on one thread or several.
  // CDK apps' sources are parsed on a worker meanwhile; then each finding on their output moves to the
  // source line that creates its construct (the template location is related).
  const cdkSources = prefetchSourceFacts(files);
  const results = await lintFiles(files, { jobs, severities: (f) => project.severities(f) });
  await cdkSources;
  relocateCdkFindings(results);

  const out = format === 'json' ? formatJson(results) : format === 'sarif' ? formatSarif(results, process.cwd()) : formatText(results, !values['no-color'] && !values.output && process.stdout.isTTY === true, performance.now() - started, values['show-suppressed']);
  if (values.output) fs.writeFileSync(values.output, out);
  else write(out);
  return results.some((r) => r.findings.some((f) => f.severity === 'error' && !f.suppressed)) ? 1 : 0;
}

function write(s: string): void {
  process.stdout.write(s);
}

if (isLintWorker()) runLintWorker();
else {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      process.stderr.write(`kb-hints: ${usage ? (e as Error).message : `internal error: ${(e as Error).message}`}\n`);
      process.exitCode = 2;
    },
  );
}
