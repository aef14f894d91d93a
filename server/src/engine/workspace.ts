// Facts gathered across files, for rules that follow a reference out of the file being linted.
import type { ParsedFile } from '../documents/parse';
import { str, get } from '../documents/nodes';
import { modelOf, type FileModel } from '../kinds';
import type { Environment } from './environment';
import { combineFacts, detectFacts, type EnvironmentFacts } from './environment-detect';
import { stackFacts, type StackFacts, type StackIndex } from './stacks';

export interface StorageClassInfo {
  name: string;
  provisioner: string;
  uri: string;
  isDefault: boolean;
}

/** What an index holds, as plain data: the parallel CLI sends it between threads. */
export type WorkspaceSnapshot = Array<[uri: string, storageClasses: StorageClassInfo[], environment?: EnvironmentFacts, stack?: StackFacts]>;

interface FileFacts {
  classes: StorageClassInfo[];
  environment?: EnvironmentFacts;
  /** What a CloudFormation template hands to other stacks or takes from them (outputs, exports, nested stacks, imports). */
  stack?: StackFacts;
}

/** The last segment of a URI or path, for naming where a fact was seen. */
export function shortName(uri: string): string {
  return uri.slice(Math.max(uri.lastIndexOf('/'), uri.lastIndexOf('\\')) + 1);
}

/**
 * StorageClasses by name, and what the files show of the environment (Auto Mode clusters, the Load
 * Balancer Controller, Fargate profiles, registry scanning), from every file the caller has seen (CLI:
 * all files; server: workspace).
 */
export class WorkspaceIndex implements StackIndex {
  private readonly byUri = new Map<string, FileFacts>();
  private detected: Environment | undefined;
  /** StorageClasses by name and the default ones, rebuilt on first use after a change (claims ask per claim). */
  private byName: Map<string, StorageClassInfo[]> | undefined;
  private defaults: StorageClassInfo[] | undefined;

  private changed(): void {
    this.byName = undefined;
    this.defaults = undefined;
  }

  /** Learns (or forgets) what a file holds; pass its model when it was already built. */
  update(file: ParsedFile, model: FileModel = modelOf(file)): void {
    const classes: StorageClassInfo[] = [];
    for (const obj of model.objects) {
      if (obj.kind !== 'StorageClass' || !obj.name) continue;
      const provisioner = str(get(obj.node, 'provisioner'));
      if (!provisioner) continue;
      const ann = get(get(obj.node, 'metadata'), 'annotations');
      // The beta annotation is still honoured by the DefaultStorageClass admission plugin.
      const isDefault = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'].some((k) => str(get(ann, k)) === 'true');
      classes.push({ name: obj.name, provisioner, uri: file.uri, isDefault });
    }
    const environment = detectFacts(model, shortName(file.uri));
    const known = Object.keys(environment).length ? environment : undefined;
    if (this.byUri.get(file.uri)?.environment || known) this.detected = undefined;
    // Only templates that hand something over or may receive something from other stacks matter.
    const facts = model.template && stackFacts(model.template);
    const stack = facts && (facts.outputs.length || facts.nested.length || facts.imports.length || model.template!.parameters.size) ? facts : undefined;
    if (classes.length || known || stack) this.byUri.set(file.uri, { classes, environment: known, ...(stack ? { stack } : {}) });
    else if (!this.byUri.delete(file.uri)) return;
    this.changed();
  }

  remove(uri: string): void {
    if (this.byUri.get(uri)?.environment) this.detected = undefined;
    if (this.byUri.delete(uri)) this.changed();
  }

  /** Everything this index holds (keep in step with `merge` when the index learns new facts). */
  snapshot(): WorkspaceSnapshot {
    return [...this.byUri].map(([uri, f]) => (f.stack ? [uri, f.classes, f.environment, f.stack] : f.environment ? [uri, f.classes, f.environment] : [uri, f.classes]));
  }

  /** Adds the facts of another index's snapshot (files it names replace what was known of them). */
  merge(snapshot: WorkspaceSnapshot): void {
    for (const [uri, classes, environment, stack] of snapshot) this.byUri.set(uri, { classes, environment, ...(stack ? { stack } : {}) });
    if (snapshot.length) this.detected = undefined;
    this.changed();
  }

  /** The cross-stack facts of every template the index has seen. */
  *stacks(): Iterable<StackFacts> {
    for (const f of this.byUri.values()) if (f.stack) yield f.stack;
  }

  /** All StorageClasses of that name; more than one means the workspace disagrees with itself. */
  storageClasses(name: string): StorageClassInfo[] {
    if (!this.byName) {
      this.byName = new Map();
      for (const f of this.byUri.values()) {
        for (const sc of f.classes) {
          let named = this.byName.get(sc.name);
          if (!named) this.byName.set(sc.name, (named = []));
          named.push(sc);
        }
      }
    }
    return this.byName.get(name)?.slice() ?? [];
  }

  /** The StorageClasses annotated `storageclass.kubernetes.io/is-default-class: "true"`. */
  defaultStorageClasses(): StorageClassInfo[] {
    if (!this.defaults) {
      this.defaults = [];
      for (const f of this.byUri.values()) for (const sc of f.classes) if (sc.isDefault) this.defaults.push(sc);
    }
    return this.defaults.slice();
  }

  /** The environment the workspace's files show (declared settings win over it: see `mergeEnvironments`). */
  detectedEnvironment(): Environment {
    return (this.detected ??= combineFacts([...this.byUri.values()].flatMap((f) => (f.environment ? [f.environment] : []))));
  }
}
