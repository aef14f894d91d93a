// What a rule is: metadata (the single source for docs, tables, messages and settings) and a pure check
// that reads the model of its family: a CloudFormation rule gets a template, a Kubernetes rule objects.
import type { Node } from '../documents/nodes';
import type { Position } from '../documents/lines';
import type { ParsedFile } from '../documents/parse';
import type { Family } from '../kinds';
import type { Template, Resource } from '../model/template';
import type { K8sObject } from '../model/kubernetes';
import type { Environment } from './environment';
import type { WorkspaceIndex } from './workspace';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'hint'];

/** Values a message template is filled with: `{{name}}` in the template reads `values.name`. */
export type MessageValues = Record<string, string | number>;

export interface RuleMeta<F extends Family = Family, M extends string = string> {
  id: string;
  title: string;
  severity: Severity;
  /** The KB topic id the rule comes from. */
  kb: string;
  /** The families of files the rule reads; `cloudformation` covers CDK output and ECS task definitions too. */
  appliesTo: readonly F[];
  /**
   * Message templates by id; findings name one (`messageId`) and fill its `{{placeholders}}`. A message is a
   * headline of at most about 100 characters naming the resource and the problem.
   */
  messages: Readonly<Record<M, string>>;
  /** The why and the how for a message, where it needs more than `description` and `fix` say (same placeholders). */
  details?: Readonly<Partial<Record<M, string>>>;
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

/** A place a finding relates to: a node of the file, or a range in another file (a fact of the workspace index). */
export type Related = RelatedNode | { uri: string; range: { start: Position; end: Position }; message: string };
export interface RelatedNode {
  node: Node;
  message: string;
}

export interface Report<M extends string = string> {
  /** Where the finding points: the offending key or value, or a resource's logical id. */
  node: Node;
  messageId: M;
  values?: MessageValues;
  related?: Related[];
  /** Machine-readable facts for quick fixes (never parsed from the message). */
  data?: Record<string, unknown>;
  /**
   * This finding's severity when it differs from the rule's (e.g. `info` while the environment that would
   * make it a defect is unknown); a severity set in configuration still wins.
   */
  severity?: Severity;
}

interface BaseContext<M extends string> {
  readonly file: ParsedFile;
  /** Objects from other files of the workspace (e.g. StorageClasses), when known. */
  readonly workspace: WorkspaceIndex;
  /** The declared or detected environment (traits not known are absent). */
  readonly environment: Environment;
  report(report: Report<M>): void;
}

export interface CloudFormationContext<M extends string = string> extends BaseContext<M> {
  readonly family: 'cloudformation';
  readonly template: Template;
  /** How to name a resource in a message: its logical id, or in CDK output its construct path below the stack. */
  name(res: Resource): string;
}

export interface KubernetesContext<M extends string = string> extends BaseContext<M> {
  readonly family: 'kubernetes';
  readonly objects: readonly K8sObject[];
}

export interface FamilyContexts<M extends string> {
  cloudformation: CloudFormationContext<M>;
  kubernetes: KubernetesContext<M>;
}

/** The context a rule of these families gets (a union for a rule of both: switch on `ctx.family`). */
export type ContextFor<F extends Family, M extends string = string> = F extends Family ? FamilyContexts<M>[F] : never;

export interface Rule<F extends Family = Family, M extends string = string> {
  meta: RuleMeta<F, M>;
  check(ctx: ContextFor<F, M>): void;
}

/** A rule, typed from its metadata: `check` gets its family's context, `report` takes only its message ids. */
export function defineRule<F extends Family, M extends string>(rule: Rule<F, M>): Rule {
  return rule as unknown as Rule;
}

/** A message template filled with values; an unknown placeholder is left as written. */
export function formatMessage(template: string, values: MessageValues = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? String(values[key]) : whole));
}
