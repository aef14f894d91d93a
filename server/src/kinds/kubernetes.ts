// Kubernetes manifests: one or more YAML (or JSON) documents with `apiVersion` and `kind`.
import { asMap, get, str } from '../documents/nodes';
import { insideQuotedScalar, type ParsedFile } from '../documents/parse';
import { k8sObjects } from '../model/kubernetes';
import type { KindDescriptor } from './kind';

// Helm, Go, mustache, sed or Ansible templates; CloudFormation's own `{{resolve:...}}` dynamic references are fine.
const TEMPLATE_ACTION = /\{\{-?\s*(?!resolve:)[.$a-zA-Z/(-]/;

export const kubernetes: KindDescriptor = {
  id: 'kubernetes',
  family: 'kubernetes',
  label: 'Kubernetes',
  extensions: ['.yaml', '.yml', '.json'],
  languages: ['yaml', 'json', 'jsonc'],
  formats: ['yaml', 'json'],
  hint: /apiVersion/,
  detect: (file) => file.docs.some((d) => {
    const m = asMap(d.root);
    return !!(m && str(get(m, 'apiVersion')) && str(get(m, 'kind')));
  }),
  skip: templateSkip,
  model: (file) => ({ objects: k8sObjects(file) }),
  suppressions: ['comment', 'annotation'],
  editable: true,
  locate(path) {
    const last = path[path.length - 1];
    if (!last) return undefined;
    const key = String(last.key.value);
    const value = str(last.value);
    // `kind` of a document, or of an item of a `kind: List`.
    if (key === 'kind' && value && (path.length === 1 || path[path.length - 2].key.value === 'items')) return { kind: value };
    if (key === 'type') return value === 'LoadBalancer' ? { property: 'type' } : undefined;
    return key === 'kind' ? undefined : { property: key };
  },
};

/**
 * Why a manifest or a CloudFormation template with template actions is not linted: only when they leave text that does not parse as
 * YAML (`{{- if }}` lines, `name: {{ .Release.Name }}-web`); a syntax error elsewhere is reported as usual
 * when the only `{{` are in quoted strings. A file that parses is linted: a `{{name}}` in a quoted string
 * or as a whole value (which the parser reads as text) is a placeholder the rules leave alone
 * (`isPlaceholder`). Chart templates never get here: the Helm kind claims them by location.
 */
export function templateSkip(file: ParsedFile): string | undefined {
  if (!file.errors.length || !TEMPLATE_ACTION.test(file.text) || !hasTemplateAction(file)) return undefined;
  const first = file.errors.reduce((a, e) => Math.min(a, e.start), Infinity);
  const line = file.lines.position(first).line + 1;
  return `a {{ }} template (Helm, Go, mustache...) that does not parse as ${file.format.toUpperCase()} (first error at line ${line})`;
}

/**
 * A template action (`{{ .Values.x }}`, `{{- if }}`, `{{name}}`) outside YAML comments and quoted or block
 * scalars: a `# rendered by helm from {{ .Release.Name }}` comment or a `"{{cluster}}"` string cannot break
 * the YAML. A `#` counts as a comment when it starts the line or follows a space or tab, and is not inside
 * a quoted or block scalar.
 */
function hasTemplateAction(file: ParsedFile): boolean {
  const text = file.text;
  const re = new RegExp(TEMPLATE_ACTION.source, 'g');
  const inQuoted = insideQuotedScalar(file);
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
        if ((h === lineStart || before === ' ' || before === '\t') && !inQuoted(h)) {
          commentAt = h;
          break;
        }
      }
    }
    if (m.index < commentAt && !inQuoted(m.index)) return true;
  }
  return false;
}
