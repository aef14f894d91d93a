// The KB: topics, what each explains (resource types, kinds, properties), fuzzy search and articles.
import { pathToFileURL } from 'node:url';
import topicsData from 'kb-content';
import guides from 'kb-guides';
import { RULES, ruleById } from '../rules';
import type { Rule } from '../engine/rule';
import { quickFixSummary } from '../fixes';
import { KINDS } from '../kinds';
import { catalogueVersion, teamRules, teamTopicById, teamTopics } from '../team/registry';

export type Topic = (typeof topicsData)[number] & {
  /** Set on a team topic: the file it was read from. */
  file?: string;
};

/** The built-in topics (kb/). */
export const TOPICS: readonly Topic[] = topicsData;

const BUILT_IN_BY_ID = new Map(TOPICS.map((t) => [t.id, t]));

/**
 * Every topic: the built-in ones and the team's (loaded from the project's KB folders). A team topic with
 * the id of a built-in one overrides it (its article shows the built-in text too).
 */
export function allTopics(): readonly Topic[] {
  const team = teamTopics();
  if (!team.length) return TOPICS;
  const ids = new Set(team.map((t) => t.id));
  return [...TOPICS.filter((t) => !ids.has(t.id)), ...team];
}

/** Built-in and team rules. */
function allRules(): readonly Rule[] {
  const team = teamRules();
  return team.length ? [...RULES, ...team] : RULES;
}

/** The built-in topic a team topic overrides, if any. */
export function builtInTopic(id: string): Topic | undefined {
  return BUILT_IN_BY_ID.get(id);
}

/** Where topics and rule pages live on the web, for editors that cannot run our commands. */
export const DOCS_BASE = 'https://github.com/kb-hints/kb-hints/blob/main';

export function topicById(id: string): Topic | undefined {
  return teamTopicById(id) ?? BUILT_IN_BY_ID.get(id);
}

export function topicUrl(id: string): string {
  return `${DOCS_BASE}/kb/${id}.md`;
}

export function ruleUrl(id: string): string {
  return `${DOCS_BASE}/docs/rules/${id}.md`;
}

export function rulesForTopic(id: string): Rule[] {
  return allRules().filter((r) => r.meta.kb === id);
}

function indexBy(field: 'cloudformation' | 'kubernetes' | 'properties', topics: readonly Topic[]): Map<string, Topic[]> {
  const map = new Map<string, Topic[]>();
  for (const t of topics) {
    for (const key of t[field]) {
      const list = map.get(key) ?? [];
      list.push(t);
      map.set(key, list);
    }
  }
  return map;
}

let indexes: { version: number; type: Map<string, Topic[]>; kind: Map<string, Topic[]>; property: Map<string, Topic[]> } | undefined;

/** The indexes of every topic, rebuilt when the team's topics change. */
function index() {
  const version = catalogueVersion();
  if (indexes?.version !== version) {
    const topics = allTopics();
    indexes = { version, type: indexBy('cloudformation', topics), kind: indexBy('kubernetes', topics), property: indexBy('properties', topics) };
  }
  return indexes;
}

export function topicsForType(type: string): Topic[] {
  return index().type.get(type) ?? [];
}
export function topicsForKind(kind: string): Topic[] {
  return index().kind.get(kind) ?? [];
}
export function topicsForProperty(name: string): Topic[] {
  return index().property.get(name) ?? [];
}

export interface SearchResult {
  kind: 'topic' | 'rule';
  id: string;
  title: string;
  detail: string;
  score: number;
}

/**
 * Fuzzy search over topic titles, keywords and text, and over rule ids and titles. Every word of the
 * query must match somewhere (as a substring, or as an in-order subsequence of a title or id). Topics
 * come before rules for plain-word queries; a rule-id-like query (`ecr-scan`) is ranked by score.
 */
export function searchKb(query: string, limit = 50): SearchResult[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const candidates: Array<Omit<SearchResult, 'score'> & { fields: Array<[string, number]> }> = [
    ...allTopics().map((t) => ({
      kind: 'topic' as const,
      id: t.id,
      title: t.title,
      detail: t.file ? `team · ${t.summary}` : t.summary,
      fields: [[t.title.toLowerCase(), 10], [t.id, 8], [t.keywords.join(' ').toLowerCase(), 6], [[...t.cloudformation, ...t.kubernetes, ...t.properties].join(' ').toLowerCase(), 4], [t.body.toLowerCase(), 1]] as Array<[string, number]>,
    })),
    // The bundled guides (the suppression guide): found as topics, opened as `guide:<id>` articles.
    ...GUIDE_IDS.map((id) => {
      const text = guides[id];
      return {
        kind: 'topic' as const,
        id: `guide:${id}`,
        title: /^# (.+)$/m.exec(text)?.[1].replace(/`/g, '') ?? id,
        detail: 'guide',
        fields: [[(/^# (.+)$/m.exec(text)?.[1] ?? id).toLowerCase(), 10], [id, 8], [text.toLowerCase(), 1]] as Array<[string, number]>,
      };
    }),
    ...allRules().map((r) => ({
      kind: 'rule' as const,
      id: r.meta.id,
      title: r.meta.title,
      detail: `${r.meta.id} · ${r.meta.severity} · ${r.meta.kb}`,
      fields: [[r.meta.id, 9], [r.meta.title.toLowerCase(), 8], [r.meta.description.toLowerCase(), 1]] as Array<[string, number]>,
    })),
  ];
  const results: SearchResult[] = [];
  for (const c of candidates) {
    let score = 0;
    let all = true;
    for (const w of words) {
      let best = 0;
      for (const [text, weight] of c.fields) {
        if (text.includes(w)) best = Math.max(best, weight * (text.startsWith(w) || text.includes(` ${w}`) || text.includes(`-${w}`) ? 2 : 1));
        else if (weight >= 8 && isSubsequence(w, text)) best = Math.max(best, weight / 4);
      }
      if (!best) all = false;
      score += best;
    }
    if (all) results.push({ kind: c.kind, id: c.id, title: c.title, detail: c.detail, score: words.length ? score : 0 });
  }
  // Plain words ("fargate", "task role") ask what the KB says: topics first, then the rules that enforce
  // them. A query that looks like a rule id (a hyphen, a slash) ranks everything by score alone.
  const topicsFirst = !/[-/]/.test(query);
  const group = (r: SearchResult) => (topicsFirst && r.kind === 'rule' ? 1 : 0);
  return results.sort((a, b) => group(a) - group(b) || b.score - a.score || (a.kind === b.kind ? 0 : a.kind === 'topic' ? -1 : 1) || a.title.localeCompare(b.title)).slice(0, limit);
}

function isSubsequence(needle: string, hay: string): boolean {
  let i = 0;
  for (let j = 0; j < hay.length && i < needle.length; j++) if (hay[j] === needle[i]) i++;
  return i === needle.length;
}

export interface Article {
  kind: 'topic' | 'rule';
  id: string;
  title: string;
  markdown: string;
}

/** How an article links to another topic or rule: a command in VS Code, a web page elsewhere. */
export type LinkStyle = 'command' | 'web';

/** Guides bundled from docs/ (the suppression guide), shown as articles: `guide:<id>`. */
export const GUIDE_IDS: readonly string[] = Object.keys(guides);

export function guideUrl(id: string): string {
  return `${DOCS_BASE}/docs/${id}.md`;
}

export function link(kind: 'topic' | 'rule' | 'guide', id: string, style: LinkStyle): string {
  if (kind === 'guide') return style === 'command' ? `command:kbHints.openTopic?${encodeURIComponent(JSON.stringify([`guide:${id}`]))}` : guideUrl(id);
  // A team topic has no page on the web: link to its file.
  const team = kind === 'topic' && style === 'web' ? teamTopicById(id) : undefined;
  if (team) return pathToFileURL(team.file).href;
  if (style === 'command') return `command:kbHints.openTopic?${encodeURIComponent(JSON.stringify([kind === 'rule' ? `rule:${id}` : id]))}`;
  return kind === 'rule' ? ruleUrl(id) : topicUrl(id);
}

/** A topic (`ecs-iam-roles`), rule (`rule:ecs-task-role-missing`, or a bare rule id) or guide (`guide:suppressions`) as Markdown. */
export function getArticle(id: string, style: LinkStyle = 'web'): Article | undefined {
  if (id.startsWith('guide:')) return guideArticle(id.slice(6), style);
  const ruleId = id.startsWith('rule:') ? id.slice(5) : id;
  const topic = id.startsWith('rule:') ? undefined : topicById(id);
  if (topic) return { kind: 'topic', id: topic.id, title: topic.title, markdown: topicMarkdown(topic, style) };
  const rule = ruleById(ruleId);
  if (rule) return { kind: 'rule', id: rule.meta.id, title: rule.meta.title, markdown: ruleMarkdown(rule, style) };
  return undefined;
}

function guideArticle(id: string, style: LinkStyle): Article | undefined {
  const text = Object.prototype.hasOwnProperty.call(guides, id) ? guides[id] : undefined;
  if (text === undefined) return undefined;
  const title = /^# (.+)$/m.exec(text)?.[1].replace(/`/g, '') ?? id;
  // Links between docs/ pages become links to articles (rules, topics, guides) or web pages.
  const markdown = text.replace(/\]\((?!https?:|#|command:)([^)\s]+?)\.md(#[^)]*)?\)/g, (whole, target: string) => {
    const rule = /^(?:\.\/)?rules\/([\w-]+)$/.exec(target);
    if (rule) return `](${link('rule', rule[1], style)})`;
    const topic = /^\.\.\/kb\/([\w-]+)$/.exec(target);
    if (topic) return `](${link('topic', topic[1], style)})`;
    const guide = /^(?:\.\/)?([\w-]+)$/.exec(target);
    if (guide && GUIDE_IDS.includes(guide[1])) return `](${link('guide', guide[1], style)})`;
    return guide ? `](${guideUrl(guide[1])})` : whole;
  });
  return { kind: 'topic', id: `guide:${id}`, title, markdown };
}

function topicMarkdown(t: Topic, style: LinkStyle): string {
  const rules = rulesForTopic(t.id);
  const parts = [`# ${t.title}`, `*${t.summary}*`, t.body.trim()];
  const base = t.file ? builtInTopic(t.id) : undefined;
  if (t.file) parts.splice(2, 0, base ? `*Team topic (${t.file}): it overrides the built-in topic \`${t.id}\`, shown below.*` : `*Team topic (${t.file}).*`);
  if (rules.length) parts.push('## Rules that enforce this topic', rules.map((r) => `- [${r.meta.title}](${link('rule', r.meta.id, style)}) \`${r.meta.id}\` (${r.meta.severity})`).join('\n'));
  const related = t.related.map(topicById).filter((x): x is Topic => !!x);
  if (related.length) parts.push('## Related topics', related.map((r) => `- [${r.title}](${link('topic', r.id, style)})`).join('\n'));
  parts.push('## Sources', t.sources.map((url) => `- <${url}>`).join('\n'), `*Last checked: ${t.checked}.*`);
  if (base) parts.push(`## Built-in topic: ${base.title}`, `*${base.summary}*`, base.body.trim(), '### Sources (built-in topic)', base.sources.map((url) => `- <${url}>`).join('\n'), `*Last checked: ${base.checked}.*`);
  return parts.join('\n\n') + '\n';
}

export function ruleMarkdown(rule: Rule, style: LinkStyle): string {
  const m = rule.meta;
  const topic = topicById(m.kb);
  const team = (rule as Rule & { team?: { file: string; source: string } }).team;
  if (team) return teamRuleMarkdown(rule, team, style);
  return [
    `# ${m.title}`,
    `\`${m.id}\` · default severity **${m.severity}** · applies to ${m.appliesTo.map((family) => KINDS.filter((k) => k.family === family).map((k) => k.label).join(', ')).join('; ')} files · KB topic: [${topic?.title ?? m.kb}](${link('topic', m.kb, style)})`,
    '## Why',
    m.description,
    '## Example that fires',
    '```yaml\n' + m.example.fires.trimEnd() + '\n```',
    '## How to fix',
    m.fix,
    '```yaml\n' + m.example.fixed.trimEnd() + '\n```',
    '## In the editor',
    [quickFixSummary(m) && `**Quick fix**: ${quickFixSummary(m)}`, 'Every finding also offers **Suppress with a reason** and **Open KB topic**.'].filter(Boolean).join(' '),
    '## Suppressing',
    'When the finding does not apply, say why where it is: the finding is hidden in the editor, kept (marked suppressed) in reports, and comes back after `until`.',
    suppressionExample(rule),
    `To turn the rule off or change its severity for a project, use \`.kbhints.yaml\`: \`rules: { ${m.id}: off }\`. See [Suppressions and .kbhints.yaml](${link('guide', 'suppressions', style)}).`,
    ...otherRules(rule, style),
  ].join('\n\n') + '\n';
}

/** A team rule's page: what it says, and its definition (the YAML it is written in). */
function teamRuleMarkdown(rule: Rule, team: { file: string; source: string }, style: LinkStyle): string {
  const m = rule.meta;
  const topic = topicById(m.kb);
  const examples = m.example.fires ? ['## Example that fires', '```yaml\n' + m.example.fires.trimEnd() + '\n```', ...(m.example.fixed ? ['Fixed:', '```yaml\n' + m.example.fixed.trimEnd() + '\n```'] : [])] : [];
  return [
    `# ${m.title}`,
    `\`${m.id}\` · team rule · default severity **${m.severity}** · KB topic: [${topic?.title ?? m.kb}](${link('topic', m.kb, style)})`,
    `*Defined in ${team.file}.*`,
    '## Why',
    // A rule file without a description: the topic's summary says why.
    m.description === m.title && topic ? topic.summary : m.description,
    '## How to fix',
    m.fix,
    ...examples,
    '## Definition',
    '```yaml\n' + team.source.replace(/^-\s/, '  ').trimEnd() + '\n```',
    '## Suppressing',
    suppressionExample(rule),
    `To turn the rule off or change its severity for a project, use \`.kbhints.yaml\`: \`rules: { ${m.id}: off }\`.`,
    ...otherRules(rule, style),
  ].join('\n\n') + '\n';
}

/** How to suppress the rule, in each form that applies to its files (Markdown code blocks). */
function suppressionExample(rule: Rule): string {
  const id = rule.meta.id;
  const out: string[] = [];
  if (rule.meta.appliesTo.includes('cloudformation')) {
    out.push('CloudFormation YAML: a comment on the line before the resource (or before the finding):');
    out.push('```yaml\n' + `Resources:\n  # kb-hints-ignore ${id} reason="why this is fine here" until=2030-01-31\n  MyResource:\n    Type: ...` + '\n```');
    out.push("JSON templates and CDK output: the resource's Metadata (in CDK code: `cfnResource.addMetadata('kb-hints', { ignore: [...] })`):");
    out.push('```json\n' + `"Metadata": { "kb-hints": { "ignore": [ { "rule": "${id}", "reason": "why this is fine here", "until": "2030-01-31" } ] } }` + '\n```');
  }
  if (rule.meta.appliesTo.includes('kubernetes')) {
    out.push('Kubernetes: a comment before the object (or the finding), or an annotation on the object:');
    out.push('```yaml\n' + `# kb-hints-ignore ${id} reason="why this is fine here"\napiVersion: v1\nkind: ...\nmetadata:\n  annotations:\n    kb-hints.dev/ignore: "${id}: why this is fine here"` + '\n```');
  }
  return out.join('\n\n');
}

function otherRules(rule: Rule, style: LinkStyle): string[] {
  const others = rulesForTopic(rule.meta.kb).filter((r) => r !== rule);
  if (!others.length) return [];
  return ['## Other rules from this KB topic', others.map((r) => `- [${r.meta.title}](${link('rule', r.meta.id, style)}) \`${r.meta.id}\``).join('\n')];
}
