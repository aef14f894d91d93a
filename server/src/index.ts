// The engine as a library: what the CLI, the language server, tests and benchmarks share.
export * from './documents/nodes';
export { LineIndex } from './documents/lines';
export { parseFile, DEFAULT_MAX_SIZE, type ParsedFile, type FileKind } from './documents/parse';
export { parseYaml } from './documents/yaml';
export { parseJson } from './documents/json';
export { SHORT_TAG_NAMES } from './documents/intrinsics';
export { Template, templateOf, type Resource } from './model/template';
export * from './model/intrinsics';
export { k8sObjects, podSpec, containers } from './model/kubernetes';
export { lint, SYNTAX_ERROR, INTERNAL_ERROR, type Finding } from './engine/run';
export { analyze } from './engine/analyze';
export { RULES, ruleById } from './engine/registry';
export { WorkspaceIndex } from './engine/workspace';
export type { Rule, RuleMeta, Severity } from './engine/rule';
export { TOPICS, topicById, searchKb, getArticle, ruleMarkdown, ruleUrl, topicUrl, rulesForTopic } from './kb/topics';
export { hoverAt, escapeMarkdown } from './kb/hover';
