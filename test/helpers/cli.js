// @ts-check
// Types and small readers for tests that run the CLI (`node dist/cli.js ...`).

/** @typedef {import('../../server/src/index').Severity} Severity */
/** @typedef {import('../../server/src/index').SuppressedInfo} SuppressedInfo */
/**
 * One finding of `kb-hints lint --format json` (server/src/cli/format.ts, formatJson).
 * @typedef {object} JsonFinding
 * @property {string} file as given on the command line, or relative to the working folder
 * @property {number} line 1-based
 * @property {number} column 1-based, UTF-16
 * @property {number} endLine
 * @property {number} endColumn
 * @property {string} ruleId
 * @property {Severity} severity
 * @property {string} message
 * @property {string} [messageId] the rule's message id
 * @property {string} [detail] the why and the how, when the rule says more than the headline
 * @property {string} [kb] KB topic id
 * @property {SuppressedInfo | null} suppressed
 * @property {JsonRelated[]} [related] other locations of the finding (its template location first when it was placed in a source)
 * @property {'trace' | 'static'} [placedBy] how a CDK finding was placed at its source line
 * @property {true} [stale] the source placement may be out of date
 */
/** A related location of a JSON finding, 1-based. @typedef {{ file: string, line: number, column: number, endLine: number, endColumn: number, message: string }} JsonRelated */

/**
 * The part of a SARIF 2.1.0 log (`--format sarif`, server/src/cli/format.ts) the tests read.
 * @typedef {{ id: string, helpUri: string, help: { text?: string, markdown: string }, shortDescription?: { text: string }, defaultConfiguration: { level: string } }} SarifRule
 * @typedef {{ startLine: number, startColumn: number, endLine: number, endColumn: number }} SarifRegion
 * @typedef {{ physicalLocation: { artifactLocation: { uri: string }, region: SarifRegion } }} SarifLocation
 * @typedef {SarifLocation & { id: number, message: { text: string } }} SarifRelatedLocation
 * @typedef {{ ruleId: string, ruleIndex?: number, level: string, message: { text: string }, locations: SarifLocation[], relatedLocations?: SarifRelatedLocation[], suppressions?: { kind: string, justification?: string }[] }} SarifResult
 * @typedef {{ version: string, $schema: string, runs: { tool: { driver: { name: string, version: string, rules: SarifRule[] } }, results: SarifResult[] }[] }} SarifLog
 */

/**
 * The findings of a `--format json` run.
 * @param {string} stdout
 * @returns {JsonFinding[]}
 */
function jsonFindings(stdout) {
  const out = JSON.parse(stdout);
  if (!Array.isArray(out)) throw new Error(`not a JSON array: ${stdout.slice(0, 200)}`);
  return out;
}

/**
 * What `execFileSync` threw when the process exited with a non-zero code: its output and exit code.
 * @param {unknown} e
 * @returns {{ stdout: string, stderr: string, status: number }}
 */
function execFailure(e) {
  const x = /** @type {{ stdout?: unknown, stderr?: unknown, status?: unknown }} */ (e);
  if (typeof x?.status !== 'number') throw e;
  return { stdout: String(x.stdout ?? ''), stderr: String(x.stderr ?? ''), status: x.status };
}

module.exports = { jsonFindings, execFailure };

/**
 * Runs `node dist/cli.js ...` with no colour unless `env` says otherwise.
 * @param {string[]} args
 * @param {{ cwd?: string, env?: Record<string, string | undefined>, input?: string, timeout?: number }} [options]
 */
function runCli(args, { cwd = require('node:path').resolve(__dirname, '../..'), env = {}, input, timeout = 60000 } = {}) {
  const CLI = require('node:path').resolve(__dirname, '../../dist/cli.js');
  /** @type {Record<string, string | undefined>} */
  const base = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, TERM: undefined };
  const merged = { ...base, ...env };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const r = require('node:child_process').spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout, input, env: /** @type {NodeJS.ProcessEnv} */ (merged) });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: /** @type {number} */ (r.status) };
}

module.exports.runCli = runCli;

/** @type {string | undefined} */
let unprivilegedCli;

/**
 * The CLI as an unprivileged user (`nobody`) can run it: a copy of dist/ in a world-readable temporary folder,
 * since the checkout itself may sit under a folder only its owner can enter (a `mktemp -d` clone). Made once.
 * @returns {string} the path of the copy's cli.js
 */
function cliForNobody() {
  if (unprivilegedCli) return unprivilegedCli;
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-hints-cli-'));
  fs.cpSync(path.resolve(__dirname, '../../dist'), dir, { recursive: true });
  (function open(/** @type {string} */ p) {
    fs.chmodSync(p, 0o755);
    if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p)) open(path.join(p, e));
  })(dir);
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return (unprivilegedCli = path.join(dir, 'cli.js'));
}
module.exports.cliForNobody = cliForNobody;
