// What a rule is: metadata (the single source for docs, tables and settings) and a pure check.
import type { Node } from '../documents/nodes';
import type { ParsedFile } from '../documents/parse';
import type { Template, Resource } from '../model/template';
import type { K8sObject } from '../model/kubernetes';
import type { WorkspaceIndex } from './workspace';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'hint'];

export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  /** The KB topic id the rule comes from. */
  kb: string;
  /** Which files the rule reads; `cloudformation` covers CDK output too. */
  appliesTo: Array<'cloudformation' | 'kubernetes'>;
  /** Why it matters, in Markdown, from the KB. */
  description: string;
  /** How to fix it, in Markdown. */
  fix: string;
  /** A minimal example that fires, and the same example fixed (YAML). */
  example: { fires: string; fixed: string };
  /**
   * The quick fix kinds (ids in `fixes/`) the rule's findings may name in `data.fix`; the first is used
   * when a finding's data names none. Absent: only "Suppress with a reason".
   */
  fixes?: readonly string[];
}

export interface Related {
  node: Node;
  message: string;
}

export interface Report {
  /** Where the finding points: the offending key or value, or a resource's logical id. */
  node: Node;
  message: string;
  related?: Related[];
  /** Machine-readable facts for quick fixes (never parsed from the message). */
  data?: Record<string, unknown>;
}

export interface RuleContext {
  readonly file: ParsedFile;
  /** The CloudFormation model (CloudFormation and CDK files). */
  readonly template?: Template;
  /** The Kubernetes objects (manifests). */
  readonly objects: K8sObject[];
  /** Objects from other files of the workspace (e.g. StorageClasses), when known. */
  readonly workspace: WorkspaceIndex;
  report(report: Report): void;
  /** How to name a resource in a message: its logical id, plus the CDK construct path when there is one. */
  name(res: Resource): string;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
