// What a file kind is: one descriptor says how to recognise the kind, what model it has, how its findings
// can be suppressed, how a hover finds "where am I", and how it is named. Everything else (the CLI's
// file walk, the server's detection, the client's document selector and labels, the generated docs,
// fixture discovery) derives from the list in `kinds/index.ts`.
import type { Pair } from '../documents/nodes';
import type { ParsedFile, ParseOptions } from '../documents/parse';
import type { Finding } from '../engine/run';
import type { Template } from '../model/template';
import type { K8sObject } from '../model/kubernetes';

/** Rules are written for a family: CloudFormation rules read a template, Kubernetes rules read objects. */
export type Family = 'cloudformation' | 'kubernetes';

/** Where a suppression can be written (see engine/suppress.ts). */
export type SuppressionForm = 'comment' | 'metadata' | 'annotation';

/** The model of a file: a template for the CloudFormation family, objects for Kubernetes. */
export interface FileModel {
  template?: Template;
  objects: K8sObject[];
}

/** What a hover stands on, in terms a KB topic can explain. */
export type Place =
  | { type: string }
  | { kind: string }
  | { property: string; ownerType?: string };

export interface KindDescriptor {
  id: string;
  family: Family;
  /** How people name it (status bar, docs). */
  label: string;
  /** File name endings the kind may claim, lower case with the dot. */
  extensions: readonly string[];
  /** Editor language ids its files open as. */
  languages: readonly string[];
  /** The formats it comes in. */
  formats: ReadonlyArray<'yaml' | 'json'>;
  /** A cheap test on the text: a file no kind's hint matches is never parsed. */
  hint: RegExp;
  /**
   * A kind that reads the text itself (a Helm template, rendered with its chart's values): the parsed file
   * if the file is of this kind (or skipped by it), undefined to let the kinds detect it as usual.
   */
  parse?(text: string, uri: string, options: ParseOptions): ParsedFile | undefined;
  /** Whether a parsed file is of this kind (kinds are tried in list order). */
  detect(file: ParsedFile): boolean;
  /** Why a file of this kind is not linted after all (e.g. a Helm template), if it is not. */
  skip?(file: ParsedFile): string | undefined;
  model(file: ParsedFile): FileModel;
  /** Reworks a file's findings after the rules (before suppressions): related locations, duplicates. */
  findings?(file: ParsedFile, findings: Finding[], model: FileModel): Finding[];
  /** The suppression forms its findings accept (the comment form in YAML files only). */
  suppressions: readonly SuppressionForm[];
  /** Quick fixes may edit the text (false when the model is not the file's own text). */
  editable: boolean;
  /** The place under the cursor, from the chain of pairs from the document root down to it. */
  locate(path: readonly Pair[]): Place | undefined;
}
