// Reads a file's text and parses it once into the shared node tree (YAML or JSON, with positions). Which
// kind of file it is (CloudFormation, CDK output, Kubernetes...) is decided above, in kinds/.
import { walk, type Node } from './nodes';
import { LineIndex } from './lines';
import { parseJson } from './json';
import { parseYaml, reparseYaml, type SyntaxError, type YamlDoc } from './yaml';

export interface Doc {
  root: Node | undefined;
  start: number;
  end: number;
}

export interface ParsedFile {
  uri: string;
  text: string;
  format: 'yaml' | 'json';
  /** The id of its kind (kinds/); undefined when the file is not one we lint, and `skipped` then says why. */
  kind?: string;
  skipped?: string;
  docs: Doc[];
  errors: SyntaxError[];
  lines: LineIndex;
  /** Set when the tree was made by re-parsing only what changed since `ParseOptions.previous`. */
  incremental?: true;
}

export interface ParseOptions {
  /** Files larger than this (in UTF-16 code units, about bytes) are skipped. */
  maxSize?: number;
  maxDepth?: number;
  /**
   * The parse of the previous version of the same document (the language server passes it on each
   * change): unchanged parts of its tree are reused, and it must not be used after this call.
   */
  previous?: ParsedFile;
}

/** Why a file no kind wants is skipped. */
export const NOT_LINTED = 'not a template or manifest';

export const DEFAULT_MAX_SIZE = 10 * 1024 * 1024;

/**
 * Parses a file's text, unless `wanted` (a cheap test on the text) says no kind could claim it. Offsets
 * index `text` as given: a BOM stays in (both parsers skip it), so offsets match the editor's document;
 * the CLI strips the BOM on reading, as editors do, to count columns alike.
 */
export function parseText(text: string, uri: string, options: ParseOptions, wanted: (text: string) => boolean): ParsedFile {
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  const format: 'yaml' | 'json' = /\.json$/i.test(uri) || /^\s*(\[|\{(?!\{))/.test(text.slice(0, 256)) ? 'json' : 'yaml';
  const file: ParsedFile = { uri, text, format, docs: [], errors: [], lines: new LineIndex('') };
  if (text.length > maxSize) return skip(file, `larger than ${Math.round(maxSize / 1024)} KB`);
  if (text.slice(0, 8192).includes('\0')) return skip(file, 'binary content');
  if (!wanted(text)) return skip(file, NOT_LINTED);
  file.lines = new LineIndex(text);

  if (format === 'json') {
    const { root, errors } = parseJson(text, options.maxDepth);
    file.docs = [{ root, start: 0, end: text.length }];
    file.errors = errors;
  } else {
    const limits = { maxDepth: options.maxDepth ?? 500 };
    const prev = options.previous;
    // A lone CR is a line break (YAML 1.2, editors): read as LF, one unit for one, so offsets still index `text`.
    const source = lineFeeds(text);
    const reparsed = prev?.format === 'yaml' && prev.kind && prev.docs.length ? reparseYaml(prev.docs as YamlDoc[], source, limits) : undefined;
    const { docs, errors } = reparsed ?? parseYaml(source, limits);
    file.docs = docs;
    file.errors = errors;
    if (reparsed) file.incremental = true;
  }
  file.errors = file.errors.map((e) => inText(text, e));
  return file;
}

/** The text with each lone CR (not followed by LF) turned into LF: same length, same offsets. */
function lineFeeds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * An error's range kept inside the text (an error at the end of the text has nothing to point at) and on
 * whole characters (a one-unit range at a surrogate pair takes the whole pair).
 */
function inText(text: string, e: SyntaxError): SyntaxError {
  let start = Math.max(0, Math.min(e.start, text.length));
  let end = Math.max(start, Math.min(e.end, text.length));
  if (isLowSurrogateAt(text, start)) start--;
  if (isLowSurrogateAt(text, end)) end++;
  if (end === start && start === text.length && start > 0) start = isLowSurrogateAt(text, start - 1) ? start - 2 : start - 1;
  return start === e.start && end === e.end ? e : { ...e, start, end };
}

/** The offset is between the two halves of a surrogate pair. */
function isLowSurrogateAt(text: string, offset: number): boolean {
  const c = text.charCodeAt(offset);
  const b = text.charCodeAt(offset - 1);
  return c >= 0xdc00 && c <= 0xdfff && b >= 0xd800 && b <= 0xdbff;
}

/** Marks a file as not linted, and why. */
export function skip(file: ParsedFile, reason: string): ParsedFile {
  file.kind = undefined;
  file.skipped = reason;
  file.docs = [];
  file.errors = [];
  return file;
}

/**
 * A test for "is this offset inside a quoted or block scalar of the file" (where a `#` is text, not a
 * comment). The scalars are collected on the first call; each test is a binary search.
 */
export function insideQuotedScalar(file: ParsedFile): (offset: number) => boolean {
  let ranges: Array<[number, number]> | undefined;
  return (offset) => {
    if (!ranges) {
      const found: Array<[number, number]> = [];
      for (const d of file.docs) {
        walk(d.root, (n) => {
          if (n.kind === 'scalar' && n.quoted && n.end - n.start > 1) found.push([n.start, n.end]);
        });
      }
      ranges = found.sort((a, b) => a[0] - b[0]);
    }
    // Scalars do not overlap: the one starting last at or before the offset is the only candidate.
    let lo = 0;
    let hi = ranges.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid][0] <= offset) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return at >= 0 && offset < ranges[at][1];
  };
}
