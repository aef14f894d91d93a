// Runs rules over a parsed file: applies severities, isolates failing rules, and returns findings as offsets.
import type { ParsedFile } from '../documents/parse';
import type { Node } from '../documents/nodes';
import { templateOf, type Resource, type Template } from '../model/template';
import { k8sObjects, type K8sObject } from '../model/kubernetes';
import type { Report, Rule, RuleContext, Severity } from './rule';
import { RULES } from './registry';
import { WorkspaceIndex } from './workspace';
import { applySuppressions, findSuppressions, SUPPRESSION_FINDINGS, type SuppressedInfo } from './suppress';

export interface RelatedLocation {
  start: number;
  end: number;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  /** KB topic id; absent for parse and internal findings. */
  kb?: string;
  related: RelatedLocation[];
  data?: Record<string, unknown>;
  /** Set when a suppression in the source covers the finding (it is kept, not dropped). */
  suppressed?: SuppressedInfo;
}

/** Ids of findings that do not come from a rule. */
export const SYNTAX_ERROR = 'syntax-error';
export const INTERNAL_ERROR = 'internal-error';

export type SeverityOverrides = Record<string, Severity | 'off'>;

export interface LintOptions {
  rules?: readonly Rule[];
  severities?: SeverityOverrides;
  workspace?: WorkspaceIndex;
  /** Called once per rule that throws, for logging. */
  onRuleError?: (ruleId: string, error: unknown) => void;
  /** Today as `YYYY-MM-DD`, for suppression expiry (default: the current UTC date). */
  today?: string;
  /** Apply suppressions written in the file (default true). */
  suppress?: boolean;
  /** The file's model when the caller already built it (analyze does), so it is not built twice. */
  model?: { template?: Template; objects: K8sObject[] };
}

const EMPTY_WORKSPACE = new WorkspaceIndex();

export function lint(file: ParsedFile, options: LintOptions = {}): Finding[] {
  if (!file.kind) return [];
  const findings: Finding[] = [];
  if (file.errors.length) {
    const e = file.errors[0];
    const more = file.errors.length > 1 ? ` (and ${file.errors.length - 1} more)` : '';
    findings.push({ ruleId: SYNTAX_ERROR, severity: 'error', message: `${file.format === 'json' ? 'JSON' : 'YAML'} syntax error: ${e.message}${more}. The rest of the file is linted as far as it parsed.`, start: e.start, end: e.end, related: [] });
  }
  const template = options.model ? options.model.template : templateOf(file);
  const objects = options.model ? options.model.objects : k8sObjects(file);
  const family = file.kind === 'kubernetes' ? 'kubernetes' : 'cloudformation';
  for (const rule of options.rules ?? RULES) {
    if (!rule.meta.appliesTo.includes(family)) continue;
    const severity = options.severities?.[rule.meta.id] ?? rule.meta.severity;
    if (severity === 'off') continue;
    const ctx: RuleContext = {
      file,
      template,
      objects,
      workspace: options.workspace ?? EMPTY_WORKSPACE,
      name: (res: Resource) => (res.cdkPath ? `${res.id} (${res.cdkPath})` : res.id),
      report: (r: Report) => findings.push(toFinding(rule, severity, r)),
    };
    try {
      rule.check(ctx);
    } catch (error) {
      options.onRuleError?.(rule.meta.id, error);
      findings.push({ ruleId: INTERNAL_ERROR, severity: 'warning', message: `Rule ${rule.meta.id} failed on this file and was skipped; the other rules ran. Please report this.`, start: 0, end: 0, related: [], data: { rule: rule.meta.id } });
    }
  }
  findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  if (options.suppress === false) return findings;
  const knownRules = new Set([...RULES, ...(options.rules ?? [])].map((r) => r.meta.id).concat(SUPPRESSION_FINDINGS));
  return applySuppressions(findings, findSuppressions(file, template, objects), { today: options.today, severities: options.severities, knownRules });
}

function toFinding(rule: Rule, severity: Severity, r: Report): Finding {
  const [start, end] = span(r.node);
  return {
    ruleId: rule.meta.id,
    severity,
    message: r.message,
    start,
    end,
    kb: rule.meta.kb,
    related: (r.related ?? []).map((x) => ({ start: x.node.start, end: x.node.end, message: x.message })),
    data: r.data,
  };
}

/** A node's range; an intrinsic made from a short tag (`!Ref X`) spans the tag and its argument. */
function span(node: Node): [number, number] {
  return [node.start, Math.max(node.end, node.start)];
}
