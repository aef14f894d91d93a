// Kubernetes manifests: one or more YAML (or JSON) documents with `apiVersion` and `kind`.
import { asMap, get, str } from '../documents/nodes';
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
  skip: (file) => (GO_TEMPLATE.test(file.text) ? 'a Helm or Go template' : undefined),
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
