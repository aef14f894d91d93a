// Kubernetes manifests: one or more YAML (or JSON) documents with `apiVersion` and `kind`.
import { asMap, get, str, walk } from '../documents/nodes';
import type { ParsedFile } from '../documents/parse';
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
