// The team rules and topics currently loaded in this process (the CLI's, or the union of the language
// server's workspace folders), for the readers that look rules and topics up by id: fixes, hovers,
// articles, SARIF. Linting is given its rules explicitly (per file); this is only the catalogue.
import type { TopicData } from './frontmatter';
import type { TeamRule } from './compile';

export interface TeamTopic extends TopicData {
  /** The file it was read from. */
  file: string;
}

let rules: readonly TeamRule[] = [];
let topics: readonly TeamTopic[] = [];
let byId = new Map<string, TeamRule>();
let topicsById = new Map<string, TeamTopic>();
let version = 0;

export function setTeamCatalogue(next: { rules: readonly TeamRule[]; topics: readonly TeamTopic[] }): void {
  rules = next.rules;
  topics = next.topics;
  byId = new Map(rules.map((r) => [r.meta.id, r]));
  topicsById = new Map();
  for (const t of topics) if (!topicsById.has(t.id)) topicsById.set(t.id, t);
  version++;
}

export function teamRules(): readonly TeamRule[] {
  return rules;
}
export function teamTopics(): readonly TeamTopic[] {
  return topics;
}
export function teamRuleById(id: string): TeamRule | undefined {
  return byId.get(id);
}
export function teamTopicById(id: string): TeamTopic | undefined {
  return topicsById.get(id);
}
/** Changes whenever the catalogue does (for caches built from it). */
export function catalogueVersion(): number {
  return version;
}
