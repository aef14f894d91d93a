// Facts gathered across files, for rules that follow a reference out of the file being linted.
import type { ParsedFile } from '../documents/parse';
import { str, get } from '../documents/nodes';
import { modelOf, type FileModel } from '../kinds';

export interface StorageClassInfo {
  name: string;
  provisioner: string;
  uri: string;
  isDefault: boolean;
}

/** What an index holds, as plain data: the parallel CLI sends it between threads. */
export type WorkspaceSnapshot = Array<[uri: string, storageClasses: StorageClassInfo[]]>;

/** StorageClasses by name, from every manifest the caller has seen (CLI: all files; server: workspace). */
export class WorkspaceIndex {
  private readonly byUri = new Map<string, StorageClassInfo[]>();
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
    if (classes.length) this.byUri.set(file.uri, classes);
    else if (!this.byUri.delete(file.uri)) return;
    this.changed();
  }

  remove(uri: string): void {
    if (this.byUri.delete(uri)) this.changed();
  }

  /** Everything this index holds (keep in step with `merge` when the index learns new facts). */
  snapshot(): WorkspaceSnapshot {
    return [...this.byUri];
  }

  /** Adds the facts of another index's snapshot (files it names replace what was known of them). */
  merge(snapshot: WorkspaceSnapshot): void {
    for (const [uri, classes] of snapshot) this.byUri.set(uri, classes);
    this.changed();
  }

  /** All StorageClasses of that name; more than one means the workspace disagrees with itself. */
  storageClasses(name: string): StorageClassInfo[] {
    if (!this.byName) {
      this.byName = new Map();
      for (const list of this.byUri.values()) {
        for (const sc of list) {
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
      for (const list of this.byUri.values()) for (const sc of list) if (sc.isDefault) this.defaults.push(sc);
    }
    return this.defaults.slice();
  }
}
