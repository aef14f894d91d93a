// Reads a file's text: decides what it is (CloudFormation, CDK output, Kubernetes, or something to skip)
// from its content, and parses it once into the shared node tree.
import { asMap, asScalar, asSeq, get, str, walk, type Node } from './nodes';
import { LineIndex } from './lines';
import { parseJson } from './json';
import { parseYaml, reparseYaml, type SyntaxError, type YamlDoc } from './yaml';

/** `ecs-taskdef` is the JSON that `aws ecs register-task-definition --cli-input-json` takes. */
export type FileKind = 'cloudformation' | 'cdk' | 'kubernetes' | 'ecs-taskdef';

export interface Doc {
  root: Node | undefined;
  start: number;
  end: number;
}

export interface ParsedFile {
  uri: string;
  text: string;
  format: 'yaml' | 'json';
  /** Undefined when the file is not one we lint; `skipped` then says why. */
  kind?: FileKind;
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

export const DEFAULT_MAX_SIZE = 10 * 1024 * 1024;

// Cheap textual gates: a file that cannot be a template or manifest is never parsed.
const CFN_HINT = /AWSTemplateFormatVersion|Resources/;
const K8S_HINT = /apiVersion/;
const TASKDEF_HINT = /"containerDefinitions"/;
// Helm and other Go templates; CloudFormation's own `{{resolve:...}}` dynamic references are fine.
const GO_TEMPLATE = /\{\{-?\s*(?!resolve:)[.$a-zA-Z/(-]/;

/**
 * Parses a file's text. Offsets index `text` as given: a BOM stays in (both parsers skip it), so offsets
 * match the editor's document; the CLI strips the BOM on reading, as editors do, to count columns alike.
 */
export function parseFile(text: string, uri: string, options: ParseOptions = {}): ParsedFile {
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  const format: 'yaml' | 'json' = /\.json$/i.test(uri) || /^\s*[{[]/.test(text.slice(0, 256)) ? 'json' : 'yaml';
  const file: ParsedFile = { uri, text, format, docs: [], errors: [], lines: new LineIndex('') };
  if (text.length > maxSize) return skip(file, `larger than ${Math.round(maxSize / 1024)} KB`);
  if (text.slice(0, 8192).includes('\0')) return skip(file, 'binary content');
  if (!CFN_HINT.test(text) && !K8S_HINT.test(text) && !TASKDEF_HINT.test(text)) return skip(file, 'not a template or manifest');
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
  file.kind = detectKind(file);
  if (!file.kind) return skip(file, 'not a template or manifest');
  if (file.kind === 'kubernetes' && GO_TEMPLATE.test(text) && hasGoTemplate(file)) return skip(file, 'a Helm or Go template');
  return file;
}

/** The text with each lone CR (not followed by LF) turned into LF: same length, same offsets. */
function lineFeeds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * A Go template action (`{{ .Values.x }}`, `{{- if }}`) outside YAML comments: a `# rendered by helm
 * from {{ .Release.Name }}` comment does not make a rendered manifest a template. A `#` counts as a
 * comment when it starts the line or follows a space or tab, and is not inside a quoted or block scalar.
 */
function hasGoTemplate(file: ParsedFile): boolean {
  const text = file.text;
  const re = new RegExp(GO_TEMPLATE.source, 'g');
  let scalars: Array<[number, number]> | undefined;
  const inScalar = (offset: number) => {
    if (!scalars) {
      scalars = [];
      for (const d of file.docs) {
        walk(d.root, (n) => {
          if (n.kind === 'scalar' && n.quoted && n.end - n.start > 1) scalars!.push([n.start, n.end]);
        });
      }
      scalars.sort((a, b) => a[0] - b[0]);
    }
    let lo = 0;
    let hi = scalars.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (scalars[mid][0] <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && offset < scalars[found][1];
  };
  // Matches come in order: the line start follows them forward (linear, however long the lines).
  let scanned = 0;
  let lineStart = 0;
  let commentAt = -1;
  let commentLine = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    for (; scanned < m.index; scanned++) {
      const c = text.charCodeAt(scanned);
      if (c === 10 || c === 13) lineStart = scanned + 1;
    }
    if (commentLine !== lineStart) {
      commentLine = lineStart;
      commentAt = Infinity;
      for (let h = text.indexOf('#', lineStart); h !== -1 && h < m.index; h = text.indexOf('#', h + 1)) {
        const before = text[h - 1];
        if ((h === lineStart || before === ' ' || before === '\t') && !inScalar(h)) {
          commentAt = h;
          break;
        }
      }
    }
    const start = commentAt;
    if (m.index < start) return true;
  }
  return false;
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

function skip(file: ParsedFile, reason: string): ParsedFile {
  file.kind = undefined;
  file.skipped = reason;
  file.docs = [];
  file.errors = [];
  return file;
}

const RESOURCE_TYPE = /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+/;

function detectKind(file: ParsedFile): FileKind | undefined {
  const first = asMap(file.docs.find((d) => d.root)?.root);
  if (first && isTemplate(first)) return isCdk(first) ? 'cdk' : 'cloudformation';
  if (file.format === 'json' && first && isTaskDefinition(first)) return 'ecs-taskdef';
  let manifests = 0;
  for (const d of file.docs) {
    const m = asMap(d.root);
    if (m && str(get(m, 'apiVersion')) && str(get(m, 'kind'))) manifests++;
  }
  return manifests > 0 ? 'kubernetes' : undefined;
}

function isTemplate(root: Node): boolean {
  if (get(root, 'AWSTemplateFormatVersion')) return true;
  const resources = asMap(get(root, 'Resources'));
  return !!resources?.pairs.some((p) => RESOURCE_TYPE.test(str(get(p.value, 'Type')) ?? ''));
}

/** A task definition as the ECS API takes it, bare or wrapped as `describe-task-definition` prints it. */
function isTaskDefinition(root: Node): boolean {
  return !!asSeq(get(root, 'containerDefinitions') ?? get(get(root, 'taskDefinition'), 'containerDefinitions'));
}

function isCdk(root: Node): boolean {
  const resources = asMap(get(root, 'Resources'));
  return !!resources?.pairs.some((p) => asScalar(get(get(p.value, 'Metadata'), 'aws:cdk:path')));
}
