// What the two YAML paths (the fast block parser and the CST composer) share: the YAML 1.2 core schema
// for plain scalars and the way a tag is applied to a node (CloudFormation short tags -> intrinsics).
import type { Node, Scalar, ScalarNode } from './nodes';
import { intrinsicForTag } from './intrinsics';

const INT = /^[-+]?(?:0|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** YAML 1.2 core schema for plain scalars; anything unusual stays a string. */
export function plainValue(s: string): Scalar {
  const c = s.charCodeAt(0);
  // Most plain scalars start with a letter other than n/N/t/T/f/F and are strings: skip the tests.
  if (c > 64 && c !== 70 && c !== 78 && c !== 84 && c !== 102 && c !== 110 && c !== 116 && c !== 126) return s;
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  if (INT.test(s) && s.length < 16) return Number(s);
  if (FLOAT.test(s) && s.length < 24 && !/^0[0-9]/.test(s)) return Number(s);
  return s;
}

/** Applies a YAML tag: a CloudFormation short tag becomes a one-key intrinsic map; other tags are kept. */
export function applyTag(node: Node, tag: string, tagStart: number): Node {
  const fn = intrinsicForTag(tag);
  if (!fn) {
    // `!!str` and friends are YAML core tags: `!!str 123` is the string "123".
    if (tag === '!!str' && node.kind === 'scalar') return { ...node, value: node.value === null ? '' : String(node.value), quoted: true };
    return { ...node, tag };
  }
  // `!Ref X` becomes `{ Ref: X }`: the key spans the tag, so findings on it point at `!Ref`.
  let value: Node = node;
  if (fn === 'Ref' || fn === 'Condition' || fn === 'Fn::GetAtt' || fn === 'Fn::ImportValue' || fn === 'Fn::Sub' || fn === 'Fn::Base64') {
    if (node.kind === 'scalar' && node.value !== null && typeof node.value !== 'string') value = { ...node, value: String(node.value) };
  }
  if (fn === 'Fn::GetAZs' && node.kind === 'scalar' && node.value === null) value = { ...node, value: '' };
  const key: ScalarNode = { kind: 'scalar', value: fn, start: tagStart, end: tagStart + tag.length };
  return { kind: 'map', pairs: [{ key, value }], start: tagStart, end: Math.max(node.end, key.end), shortTag: tag };
}

/** `s.replace(/\s+$/, '').length` without the regular expression (which is slow on long white space). */
export function trimmedEndLength(s: string): number {
  let i = s.length;
  while (i > 0 && isJsSpace(s.charCodeAt(i - 1))) i--;
  return i;
}

/** The characters JavaScript's `\s` matches. */
function isJsSpace(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/**
 * Shares the strings of keys: a template repeats `Type`, `Properties`, `Ref`... thousands of times, and
 * a shared string costs neither an allocation nor memory. Looked up without slicing the text.
 */
export class KeyStrings {
  private readonly table: string[] = new Array(1024);

  /** The string `text.slice(start, end)`, shared with earlier identical keys when possible. */
  get(text: string, start: number, end: number): string {
    const length = end - start;
    if (length === 0 || length > 40) return text.slice(start, end);
    const h = (length * 31 + text.charCodeAt(start) * 7 + text.charCodeAt(end - 1) * 13 + text.charCodeAt(start + (length >> 1))) & 1023;
    const cached = this.table[h];
    if (cached !== undefined && cached.length === length && text.startsWith(cached, start)) return cached;
    const s = text.slice(start, end);
    this.table[h] = s;
    return s;
  }
}
