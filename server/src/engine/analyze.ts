// One call from text to findings: parse, build the model, index for cross-file rules, lint.
import { parseFile, type ParsedFile } from '../documents/parse';
import { k8sObjects, type K8sObject } from '../model/kubernetes';
import { templateOf, type Template } from '../model/template';
import { lint, type Finding, type LintOptions } from './run';

export interface AnalyzeOptions extends LintOptions {
  maxSize?: number;
  /** The parse of the document's previous version, reused where the text did not change (see ParseOptions). */
  previous?: ParsedFile;
}

/** Everything known about one version of a file; the editor's features (fixes, hovers, listings) read it. */
export interface Analysis {
  file: ParsedFile;
  /** The model, built once: the CloudFormation template (CloudFormation, CDK, ECS task definitions) and the Kubernetes objects. */
  template?: Template;
  objects: K8sObject[];
  findings: Finding[];
}

export function analyze(text: string, uri: string, options: AnalyzeOptions = {}): Analysis {
  const file = parseFile(text, uri, { maxSize: options.maxSize, previous: options.previous });
  options.workspace?.update(file);
  const model = { template: templateOf(file), objects: k8sObjects(file) };
  return { file, ...model, findings: lint(file, { ...options, model }) };
}
