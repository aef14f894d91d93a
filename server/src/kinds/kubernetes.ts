// Kubernetes manifests: one or more YAML (or JSON) documents with `apiVersion` and `kind`.
import { asMap, get, str } from '../documents/nodes';
import { insideQuotedScalar, type ParsedFile } from '../documents/parse';
import { k8sObjects } from '../model/kubernetes';
import type { KindDescriptor } from './kind';

// Helm and other Go templates; CloudFormation's own `{{resolve:...}}` dynamic references are fine.
const GO_TEMPLATE = /\{\{-?\s*(?!resolve:)[.$a-zA-Z/(-]/;

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
  skip: (file) => (GO_TEMPLATE.test(file.text) && hasGoTemplate(file) ? 'a Helm or Go template' : undefined),
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
 * A Go template action (`{{ .Values.x }}`, `{{- if }}`) outside YAML comments: a `# rendered by helm
 * from {{ .Release.Name }}` comment does not make a rendered manifest a template. A `#` counts as a
 * comment when it starts the line or follows a space or tab, and is not inside a quoted or block scalar.
 */
function hasGoTemplate(file: ParsedFile): boolean {
  const text = file.text;
  const re = new RegExp(GO_TEMPLATE.source, 'g');
  const inScalar = insideQuotedScalar(file);
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
