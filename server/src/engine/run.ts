// Runs rules over a parsed file: applies severities, isolates failing rules, and returns findings as offsets.
import { compareNames } from './collate';
import type { ParsedFile } from '../documents/parse';
import type { Node } from '../documents/nodes';
import type { Position } from '../documents/lines';
import { kindOf, type FileModel } from '../kinds';
import type { Resource, Template } from '../model/template';
import { formatMessage, type CloudFormationContext, type KubernetesContext, type Report, type Rule, type Severity } from './rule';
import { mergeEnvironments, type Environment } from './environment';
import { WorkspaceIndex } from './workspace';
import { applySuppressions, findSuppressions, SUPPRESSION_FINDINGS, type SuppressedInfo } from './suppress';

export interface RelatedLocation {
  /** Set when the location is in another file (a Helm chart's values file); the same form as the file's uri. */
  uri?: string;
  start: number;
  end: number;
  /** With `uri`: the range in that file (0-based lines, UTF-16 columns), as offsets alone cannot be placed. */
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
}

/**
 * Where a finding is shown instead of its own file: for a CDK template, the app's source line that creates
 * the construct owning the resource (set by cdk/relocate.ts after the lint; start/end are 0-based).
 */
export interface SourceLocation {
  path: string;
  start: Position;
  end: Position;
  /** `trace`: from the assembly's creation stack; `static`: from the construct ids in the sources. */
  how: 'trace' | 'static';
  /** The source changed after the assembly was written: the finding is from the last synth. */
  stale?: boolean;
  logicalId: string;
  constructPath: string;
}

export interface Finding {
  ruleId: string;
  /** The id of the rule's message template; absent for parse and internal findings. */
  messageId?: string;
  severity: Severity;
  message: string;
  /** What the headline leaves out (the why and the how for this finding), when the rule says more. */
  detail?: string;
  start: number;
  end: number;
  /** KB topic id; absent for parse and internal findings. */
  kb?: string;
  related: RelatedLocation[];
  data?: Record<string, unknown>;
  /** Set when a suppression in the source covers the finding (it is kept, not dropped). */
  suppressed?: SuppressedInfo;
  /** Set when the finding is shown at a source line rather than in its file (CDK output). */
  source?: SourceLocation;
}

/** Ids of findings that do not come from a rule. */
export const SYNTAX_ERROR = 'syntax-error';
export const INTERNAL_ERROR = 'internal-error';

export type SeverityOverrides = Record<string, Severity | 'off'>;

export interface LintOptions {
  /** The rules to run (the built-in ones are `RULES` in rules/index.ts; team rules join them). */
  rules: readonly Rule[];
  /** The file's model, when the caller already built it. */
  model?: FileModel;
  /**
   * What is declared of the cluster and account the file deploys to (`.kbhints.yaml` `environment:`);
   * rules see it merged over what the workspace shows (`workspace.detectedEnvironment()`), declared first.
   */
  environment?: Environment;
  severities?: SeverityOverrides;
  workspace?: WorkspaceIndex;
  /** Called once per rule that throws, for logging. */
  onRuleError?: (ruleId: string, error: unknown) => void;
  /** Today as `YYYY-MM-DD`, for suppression expiry (default: the current UTC date). */
  today?: string;
  /** Apply suppressions written in the file (default true). */
  suppress?: boolean;
  /** Rule ids a suppression may name besides `rules` (rules turned off still count as known). */
  knownRules?: readonly string[];
}

const EMPTY_WORKSPACE = new WorkspaceIndex();

/**
 * Thrown from a rule (by the workspace it reads) to stop the lint: `lint` lets it through instead of
 * reporting the rule as failed. The CLI's first pass lints a file whose rules read the workspace again
 * once every file is indexed, so it stops such a lint at the first read.
 */
export class LintDeferred extends Error {}

export function lint(file: ParsedFile, options: LintOptions): Finding[] {
  const kind = kindOf(file);
  if (!kind) return [];
  let findings: Finding[] = [];
  if (file.errors.length) {
    const e = file.errors[0];
    const more = file.errors.length > 1 ? ` (and ${file.errors.length - 1} more)` : '';
    // The parser's first line is the headline (without its full stop); the rest, and what happens next, the detail.
    const [first, ...rest] = e.message.trim().split('\n');
    const message = `${file.format === 'json' ? 'JSON' : 'YAML'} syntax error: ${capMessage(first.replace(/[.:]$/, ''))}${more}`;
    // What a chart renders with its default values may not parse because the chart needs values of yours
    // (Helm refuses it too): a warning that says so, not an error in the text as written.
    const rendered = e.rendered ? ["With the chart's values this template renders YAML that does not parse, so Helm would refuse it too. If the chart needs values its defaults lack, list a values file that sets them in `.kbhints.yaml` (`helm: { values: [...] }`)."] : [];
    const detail = [...rest.map((l) => l.trim()).filter(Boolean), ...rendered, 'The rest of the file is linted as far as it parsed.'].join(' ');
    findings.push({ ruleId: SYNTAX_ERROR, severity: e.rendered ? 'warning' : 'error', message, detail: capMessage(detail, MAX_DETAIL), start: e.start, end: e.end, related: [] });
  }
  const model = options.model ?? kind.model(file);
  const workspace = options.workspace ?? EMPTY_WORKSPACE;
  // Read only by the rules that need it, so that a file whose rules never ask does not read the workspace.
  let merged: Environment | undefined;
  const environmentOf = () => (merged ??= mergeEnvironments(options.environment, workspace.detectedEnvironment(file.uri)));
  for (const rule of options.rules) {
    if (!rule.meta.appliesTo.includes(kind.family)) continue;
    const configured = options.severities?.[rule.meta.id];
    if (configured === 'off') continue;
    const report = (r: Report) => {
      if (findings.length < MAX_FINDINGS) findings.push(toFinding(rule, configured ?? r.severity ?? rule.meta.severity, r));
      else if (findings.length === MAX_FINDINGS) findings.push(capNotice());
    };
    const ctx: CloudFormationContext | KubernetesContext | undefined =
      kind.family === 'kubernetes'
        ? { family: 'kubernetes', file, workspace, get environment() { return environmentOf(); }, objects: model.objects, report }
        : model.template && { family: 'cloudformation', file, workspace, get environment() { return environmentOf(); }, template: model.template, name: resourceNamer(model.template), report };
    if (!ctx) continue;
    try {
      rule.check(ctx as never);
    } catch (error) {
      if (error instanceof LintDeferred) throw error;
      options.onRuleError?.(rule.meta.id, error);
      // A team rule stopped by its step budget says so (it is the rule file to fix, not a bug to report).
      const budget = (error as { stepBudget?: boolean } | undefined)?.stepBudget === true;
      const message = budget ? `Rule ${rule.meta.id} used up its step budget on this file and was stopped; the other rules ran.` : `Rule ${rule.meta.id} failed on this file and was skipped; the other rules ran. Please report this.`;
      findings.push({ ruleId: INTERNAL_ERROR, severity: 'warning', message, start: 0, end: 0, related: [], data: { rule: rule.meta.id } });
    }
  }
  findings.sort((a, b) => a.start - b.start || compareNames(a.ruleId, b.ruleId));
  if (kind.findings) findings = kind.findings(file, findings, model);
  if (options.suppress === false) return findings;
  const knownRules = new Set([...(options.knownRules ?? []), ...options.rules.map((r) => r.meta.id), ...SUPPRESSION_FINDINGS]);
  return capped(applySuppressions(findings, findSuppressions(file, kind, model), { today: options.today, severities: options.severities, knownRules }));
}

/**
 * A CDK resource goes by its construct path below the stack (`Api/Service`), which the app's code spells. The
 * stack's own path is where its `CDKMetadata` sits (`Prod/Api/CDKMetadata/Default` for a stack in a Stage),
 * else the path's first segment. An ECS service's L1 child (`Service` in the L2) is left out, as `Resource` is.
 */
function resourceNamer(tpl: Template): (res: Resource) => string {
  const metadata = tpl.byType('AWS::CDK::Metadata')[0]?.cdkPath;
  const stack = metadata?.endsWith('/CDKMetadata') ? metadata.slice(0, -'/CDKMetadata'.length) : undefined;
  return (res) => {
    if (!res.cdkPath) return res.id;
    const path = res.type === 'AWS::ECS::Service' ? res.cdkPath.replace(/(.)\/Service$/, '$1') : res.cdkPath;
    if (stack && path.startsWith(`${stack}/`)) return path.slice(stack.length + 1);
    const slash = path.indexOf('/');
    return slash === -1 ? path : path.slice(slash + 1);
  };
}

/** Suppression findings come on top of the rules' ones: the cap holds for the total too. */
function capped(findings: Finding[]): Finding[] {
  if (findings.length <= MAX_FINDINGS + 1) return findings;
  const kept = findings.filter((f) => f.ruleId !== FINDINGS_CAPPED).slice(0, MAX_FINDINGS);
  kept.unshift(capNotice());
  return kept;
}

/** At most this many findings per file; then one `findings-capped` notice, and the rest are dropped. */
export const MAX_FINDINGS = 10_000;
/** Messages longer than this (UTF-16 units) are cut, with an ellipsis. */
export const MAX_MESSAGE = 1_000;
/** Details (the why and the how) may be longer; beyond this they are cut too (values from a file can be huge). */
export const MAX_DETAIL = 3_000;
export const FINDINGS_CAPPED = 'findings-capped';

function capNotice(): Finding {
  return { ruleId: FINDINGS_CAPPED, severity: 'warning', message: `This file has more than ${MAX_FINDINGS} findings; the rest are not shown. Fix or suppress these first, or lint a smaller file.`, start: 0, end: 0, related: [] };
}

function capMessage(message: string, max = MAX_MESSAGE): string {
  if (message.length <= max) return message;
  let cut = max - 1;
  const c = message.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return `${message.slice(0, cut)}\u2026`;
}

function toFinding(rule: Rule, severity: Severity, r: Report): Finding {
  const [start, end] = span(r.node);
  const template = rule.meta.messages[r.messageId];
  const detail = rule.meta.details?.[r.messageId];
  return {
    ruleId: rule.meta.id,
    messageId: r.messageId,
    severity,
    // A message id the rule does not declare is a bug in the rule: say so rather than print nothing.
    message: capMessage(template === undefined ? `${rule.meta.id}: unknown message id '${r.messageId}'` : formatMessage(template, r.values)),
    ...(detail === undefined ? {} : { detail: capMessage(formatMessage(detail, r.values), MAX_DETAIL) }),
    start,
    end,
    kb: rule.meta.kb,
    related: (r.related ?? []).map((x) => ('node' in x ? { start: x.node.start, end: x.node.end, message: x.message } : { uri: x.uri, start: 0, end: 0, range: x.range, message: x.message })),
    data: r.data,
  };
}

/** A node's range; an intrinsic made from a short tag (`!Ref X`) spans the tag and its argument. */
function span(node: Node): [number, number] {
  return [node.start, Math.max(node.end, node.start)];
}
