// @ts-check
// Asserting accessors for type-checked tests: each checks what a test expects (a value is there, a node
// is a map, a file is a template...) and returns it with that type, so a test reads `map(node).pairs`
// instead of casting.
const assert = require('node:assert/strict');
const { templateOf } = require('./engine');

/** @typedef {import('../../server/src/documents/nodes').Node} Node */
/** @typedef {import('../../server/src/documents/nodes').MapNode} MapNode */
/** @typedef {import('../../server/src/documents/nodes').SeqNode} SeqNode */
/** @typedef {import('../../server/src/documents/nodes').ScalarNode} ScalarNode */

/**
 * `value`, asserted to be neither undefined nor null.
 * @template T
 * @param {T} value
 * @param {string} [what] what is missing, for the failure message
 * @returns {NonNullable<T>}
 */
function defined(value, what = 'value') {
  assert.ok(value !== undefined && value !== null, `${what} is missing`);
  return /** @type {NonNullable<T>} */ (value);
}

/**
 * @template {Node['kind']} K
 * @param {K} kind
 * @returns {(node: Node | undefined, what?: string) => Extract<Node, { kind: K }>}
 */
function ofKind(kind) {
  return (node, what = 'node') => {
    assert.equal(node?.kind, kind, `${what} is a ${kind}`);
    return /** @type {Extract<Node, { kind: K }>} */ (node);
  };
}

/** `node`, asserted to be a mapping. */
const map = ofKind('map');
/** `node`, asserted to be a sequence. */
const seq = ofKind('seq');
/** `node`, asserted to be a scalar. */
const scalar = ofKind('scalar');

/**
 * The CloudFormation template of `file`, asserted to be one.
 * @param {import('../../server/src/index').ParsedFile} file
 * @returns {import('../../server/src/index').Template}
 */
function template(file) {
  return defined(templateOf(file), `a template in ${file.uri} (kind ${file.kind}, ${file.skipped ?? 'not skipped'})`);
}

module.exports = { defined, map, seq, scalar, template };
