// Facts gathered across files, for rules that follow a reference out of the file being linted.
import type { ParsedFile } from '../documents/parse';
import { str, get } from '../documents/nodes';
import { modelOf, type FileModel } from '../kinds';
import { stackFacts, type StackFacts, type StackIndex } from './stacks';

export interface StorageClassInfo {
  name: string;
  provisioner: string;
  uri: string;
  isDefault: boolean;
}

/** What an index holds, as plain data: the parallel CLI sends it between threads. */
export type WorkspaceSnapshot = Array<[uri: string, storageClasses: StorageClassInfo[], stack?: StackFacts]>;

/**
 * StorageClasses by name, from every manifest the caller has seen (CLI: all files; server: workspace), and
 * what each CloudFormation template hands to other stacks (`stacks()`, read through `StackQuery`).
 */
export class WorkspaceIndex implements StackIndex {
  private readonly byUri = new Map<string, StorageClassInfo[]>();
  /** Cross-stack facts of CloudFormation templates (outputs, exports, nested stacks, imports). */
  private readonly stacksByUri = new Map<string, StackFacts>();

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
    else this.byUri.delete(file.uri);
    // Only templates that hand something over or may receive something from other stacks matter.
    const facts = model.template && stackFacts(model.template);
    if (facts && (facts.outputs.length || facts.nested.length || facts.imports.length || model.template!.parameters.size)) this.stacksByUri.set(file.uri, facts);
    else this.stacksByUri.delete(file.uri);
  }

  remove(uri: string): void {
    this.byUri.delete(uri);
    this.stacksByUri.delete(uri);
  }

  /** Everything this index holds (keep in step with `merge` when the index learns new facts). */
  snapshot(): WorkspaceSnapshot {
    const uris = new Set([...this.byUri.keys(), ...this.stacksByUri.keys()]);
    return [...uris].map((uri) => {
      const stack = this.stacksByUri.get(uri);
      return stack ? [uri, this.byUri.get(uri) ?? [], stack] : [uri, this.byUri.get(uri) ?? []];
    });
  }

  /** Adds the facts of another index's snapshot (files it names replace what was known of them). */
  merge(snapshot: WorkspaceSnapshot): void {
    for (const [uri, classes, stack] of snapshot) {
      if (classes.length) this.byUri.set(uri, classes);
      else this.byUri.delete(uri);
      if (stack) this.stacksByUri.set(uri, stack);
      else this.stacksByUri.delete(uri);
    }
  }

  /** The cross-stack facts of every template the index has seen. */
  stacks(): Iterable<StackFacts> {
    return this.stacksByUri.values();
  }

  /** All StorageClasses of that name; more than one means the workspace disagrees with itself. */
  storageClasses(name: string): StorageClassInfo[] {
    const out: StorageClassInfo[] = [];
    for (const list of this.byUri.values()) for (const sc of list) if (sc.name === name) out.push(sc);
    return out;
  }

  /** The StorageClasses annotated `storageclass.kubernetes.io/is-default-class: "true"`. */
  defaultStorageClasses(): StorageClassInfo[] {
    const out: StorageClassInfo[] = [];
    for (const list of this.byUri.values()) for (const sc of list) if (sc.isDefault) out.push(sc);
    return out;
  }
}
