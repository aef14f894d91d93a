// Browse Rules (`kbHints/listRules`): every rule with its KB topic and whether it has a quick fix.
import { RULES } from '../rules';
import { teamRules } from '../team/registry';
import { hasQuickFix } from '../fixes';
import { topicById } from '../kb/topics';
import { ListRulesRequest, type ListRulesResult } from '../protocol';
import type { ServerContext } from './context';

export function registerRules(ctx: ServerContext): void {
  ctx.connection.onRequest(ListRulesRequest, (): ListRulesResult =>
    [...RULES, ...teamRules()].map((r) => ({ id: r.meta.id, title: r.meta.title, severity: r.meta.severity, kb: r.meta.kb, kbTitle: topicById(r.meta.kb)?.title ?? r.meta.kb, appliesTo: [...r.meta.appliesTo], hasFix: hasQuickFix(r.meta.id) })),
  );
}
