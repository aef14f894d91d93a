// The Kubernetes model: objects of a manifest stream (with `kind: List` items), and their pod templates.
import { asMap, asScalar, at, get, items, str, type MapNode, type ScalarNode } from '../documents/nodes';
import type { ParsedFile } from '../documents/parse';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  node: MapNode;
  kindNode: ScalarNode;
  /** Index of the YAML document the object is in. */
  doc: number;
}

/** The objects of a manifest's documents. */
export function k8sObjects(file: ParsedFile): K8sObject[] {
  const out: K8sObject[] = [];
  file.docs.forEach((d, doc) => collect(asMap(d.root), doc, out));
  return out;
}

function collect(node: MapNode | undefined, doc: number, out: K8sObject[]): void {
  const apiVersion = str(get(node, 'apiVersion'));
  const kindNode = asScalar(get(node, 'kind'));
  const kind = str(kindNode);
  if (!node || !apiVersion || !kind || !kindNode) return;
  if (kind === 'List' || kind.endsWith('List')) {
    for (const item of items(get(node, 'items'))) collect(asMap(item), doc, out);
    return;
  }
  const metadata = get(node, 'metadata');
  out.push({ apiVersion, kind, name: str(get(metadata, 'name')), namespace: str(get(metadata, 'namespace')), node, kindNode, doc });
}

const POD_TEMPLATE_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** The pod spec of a workload (its template's spec), or undefined for other kinds. */
export function podSpec(obj: K8sObject): MapNode | undefined {
  // Own properties only: a `kind: constructor` or `__proto__` must not find Object.prototype's members.
  const path = Object.hasOwn(POD_TEMPLATE_PATHS, obj.kind) ? POD_TEMPLATE_PATHS[obj.kind] : undefined;
  return path ? asMap(at(obj.node, ...path)) : undefined;
}

/** Containers and init containers of a workload. */
export function containers(obj: K8sObject): MapNode[] {
  const spec = podSpec(obj);
  return [...items(get(spec, 'initContainers')), ...items(get(spec, 'containers'))].map(asMap).filter((c): c is MapNode => !!c);
}

/** The `volumeMounts` entries of a workload's containers (init containers too) that mount one of its pod volumes. */
export function volumeMounts(obj: K8sObject, volume: string): MapNode[] {
  return containers(obj)
    .flatMap((c) => items(get(c, 'volumeMounts')).map(asMap))
    .filter((m): m is MapNode => !!m && str(get(m, 'name')) === volume);
}

/**
 * The places a workload's containers mount one of its pod volumes without `readOnly: true`: each such
 * `volumeMounts` entry (empty when every container mounting it reads only, or none mounts it at all).
 */
export function writableMounts(obj: K8sObject, volume: string): MapNode[] {
  return volumeMounts(obj, volume).filter((m) => asScalar(get(m, 'readOnly'))?.value !== true);
}

/** The API group of an object: '' for the core group (`apiVersion: v1`), else the part before the version. */
export function apiGroup(obj: K8sObject): string {
  const slash = obj.apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : obj.apiVersion.slice(0, slash);
}

// Built-in kinds and the API groups that serve them, so a custom resource that reuses a name
// (a Knative `Service`, an OpenShift `DeploymentConfig`) is never read as the built-in kind.
const BUILT_IN_GROUPS: Record<string, string[]> = {
  Pod: [''],
  Service: [''],
  PersistentVolume: [''],
  PersistentVolumeClaim: [''],
  ReplicationController: [''],
  Deployment: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  ReplicaSet: ['apps', 'extensions'],
  DaemonSet: ['apps', 'extensions'],
  Job: ['batch'],
  CronJob: ['batch'],
  StorageClass: ['storage.k8s.io'],
};

/** True when the object is the built-in Kubernetes kind (one of `kinds`, when given), not a custom resource. */
export function isBuiltIn(obj: K8sObject, ...kinds: string[]): boolean {
  if (kinds.length && !kinds.includes(obj.kind)) return false;
  return Object.hasOwn(BUILT_IN_GROUPS, obj.kind) && BUILT_IN_GROUPS[obj.kind].includes(apiGroup(obj));
}

/** A Helm test hook (`helm.sh/hook: test`, `test-success`, `test-failure`): a pod `helm test` runs, not a workload. */
export function isHelmTestHook(obj: K8sObject): boolean {
  const hook = str(get(annotations(obj.node), 'helm.sh/hook'));
  return !!hook && hook.split(',').some((h) => /^test(-success|-failure)?$/.test(h.trim()));
}

/** How messages name an object: `Kind/name`. */
export function objectRef(obj: K8sObject): string {
  return `${obj.kind}/${obj.name ?? str(get(get(obj.node, 'metadata'), 'generateName')) ?? '(unnamed)'}`;
}

/** The object's `metadata.annotations` (or those of any metadata map given). */
export function annotations(metadataOwner: MapNode | undefined): MapNode | undefined {
  return asMap(get(get(metadataOwner, 'metadata'), 'annotations'));
}

/** The volumes of a workload's pod template, or of a Pod. */
export function podVolumes(obj: K8sObject): MapNode[] {
  return items(get(podSpec(obj), 'volumes')).map(asMap).filter((v): v is MapNode => !!v);
}

/** A StatefulSet's `volumeClaimTemplates` (each a PersistentVolumeClaim-like map with metadata and spec). */
export function volumeClaimTemplates(obj: K8sObject): MapNode[] {
  if (obj.kind !== 'StatefulSet') return [];
  return items(at(obj.node, 'spec', 'volumeClaimTemplates')).map(asMap).filter((v): v is MapNode => !!v);
}

/**
 * True for a value that is a placeholder filled in before apply (envsubst `$VAR`/`${VAR}`, kustomize
 * `$(VAR)`, `<your-value>`, `%VAR%`, `{{ }}`): what it will be cannot be known.
 */
export function isPlaceholder(value: string): boolean {
  return /\$\{?\(?[A-Za-z_]|\{\{|<[^<>]+>|%[A-Za-z_]+%/.test(value);
}
