// @ts-check
// Validates SARIF logs against the committed OASIS SARIF 2.1.0 schema (test/cli/schemas/) with ajv, when
// node_modules has it (it comes in as a transitive dependency; nothing is downloaded). The schema declares
// draft-04, read here by ajv's draft-07 mode with `id` renamed `$id` (the schema uses no draft-04-only
// keyword forms). Without ajv, a focused structural check of the parts KB Hints writes runs instead, and
// `validator` says so.
const fs = require('node:fs');
const path = require('node:path');

const SCHEMA_FILE = path.join(__dirname, '../cli/schemas/sarif-schema-2.1.0.json');

/** @typedef {(log: unknown) => string[]} Validate */

/** @returns {{ validator: string, validate: Validate }} */
function loadValidator() {
  /** @type {any} */
  let Ajv;
  try {
    Ajv = require('ajv');
  } catch {
    return { validator: 'structural check (ajv is not in node_modules)', validate: structural };
  }
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new (Ajv.default ?? Ajv)({ allErrors: true, strict: false });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
  ajv.addFormat('uri-reference', /^[^\s]*$/);
  const check = ajv.compile(schema);
  return {
    validator: `ajv ${require('ajv/package.json').version} with the OASIS schema`,
    validate: (log) => (check(log) ? [] : (check.errors ?? []).map((/** @type {{ instancePath: string, message?: string }} */ e) => `${e.instancePath || '/'} ${e.message}`)),
  };
}

/** @param {unknown} log @returns {string[]} */
function structural(log) {
  /** @type {string[]} */
  const problems = [];
  const need = (/** @type {boolean} */ ok, /** @type {string} */ what) => ok || problems.push(what);
  const l = /** @type {any} */ (log);
  need(l?.version === '2.1.0', 'version is 2.1.0');
  need(Array.isArray(l?.runs), 'runs is an array');
  for (const [i, run] of (Array.isArray(l?.runs) ? l.runs : []).entries()) {
    const at = `/runs/${i}`;
    need(typeof run?.tool?.driver?.name === 'string', `${at}/tool/driver/name is a string`);
    const rules = run?.tool?.driver?.rules ?? [];
    for (const [j, r] of rules.entries()) need(typeof r.id === 'string' && (!r.helpUri || /^[a-z]+:/.test(r.helpUri)), `${at}/tool/driver/rules/${j}: id and helpUri`);
    for (const inv of run.invocations ?? []) need(typeof inv.executionSuccessful === 'boolean', `${at}/invocations: executionSuccessful is a boolean`);
    for (const [j, res] of (run.results ?? []).entries()) {
      const r = `${at}/results/${j}`;
      need(typeof res.message?.text === 'string', `${r}/message/text is a string`);
      need(res.level === undefined || ['none', 'note', 'warning', 'error'].includes(res.level), `${r}/level is none, note, warning or error`);
      need(res.ruleIndex === undefined || (Number.isInteger(res.ruleIndex) && res.ruleIndex >= 0 && res.ruleIndex < rules.length), `${r}/ruleIndex is a rule's index`);
      for (const v of Object.values(res.partialFingerprints ?? {})) need(typeof v === 'string', `${r}/partialFingerprints are strings`);
      for (const loc of [...(res.locations ?? []), ...(res.relatedLocations ?? [])]) {
        const reg = loc.physicalLocation?.region ?? {};
        for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) need(reg[k] === undefined || (Number.isInteger(reg[k]) && reg[k] >= 1), `${r}: region ${k} is an integer >= 1`);
        need(typeof loc.physicalLocation?.artifactLocation?.uri === 'string', `${r}: artifactLocation.uri is a string`);
      }
    }
  }
  return problems;
}

module.exports = { loadValidator, structural, SCHEMA_FILE };
