// The engine as a library: what the CLI, the language server, tests and benchmarks share.
export * from './documents/nodes';
export { LineIndex } from './documents/lines';
export { DEFAULT_MAX_SIZE, type ParsedFile } from './documents/parse';
export { KINDS, FAMILIES, FILE_EXTENSIONS, LANGUAGES, kindOf, kindById, mayClaim, modelOf, parseFile, type Family, type FileModel, type KindDescriptor } from './kinds';
export { parseYaml, parseYamlFast } from './documents/yaml';
export { parseJson } from './documents/json';
export { SHORT_TAG_NAMES } from './documents/intrinsics';
export { Template, type Resource } from './model/template';
export * from './model/intrinsics';
export { k8sObjects, podSpec, containers } from './model/kubernetes';
export { buildSpecPushes, isBuildSpec, isWorkflow, pushedTag, workflowPushes } from './model/image-pushes';
export { SYNTAX_ERROR, INTERNAL_ERROR, type Finding } from './engine/run';
export { type Analysis } from './engine/analyze';
export { RULES, ruleById } from './rules';
export * as helm from './helm';
export { WorkspaceIndex, WorkspaceReads, type FactsChange } from './engine/workspace';
export { parseEnvironment, mergeEnvironments, UNKNOWN_ENVIRONMENT, ENVIRONMENT_TRAITS, type Environment, type EnvironmentTrait } from './engine/environment';
export { defineRule, formatMessage, type Rule, type RuleMeta, type Severity } from './engine/rule';
export { TOPICS, topicById, searchKb, getArticle, ruleMarkdown, ruleUrl, topicUrl, rulesForTopic } from './kb/topics';
export { hoverAt, escapeMarkdown } from './kb/hover';
export { applySuppressions, isExpired, isValidDate, parseAnnotationEntry, todayIso, PLACEHOLDER_REASON, SUPPRESSION_FINDINGS, SUPPRESSION_REASON_MISSING, SUPPRESSION_EXPIRED, SUPPRESSION_INVALID, SUPPRESS_COMMENT, SUPPRESS_METADATA, SUPPRESS_ANNOTATION, type Suppression, type SuppressedInfo, type SuppressibleFinding, type ApplyOptions } from './engine/suppress';
export { parseConfig, mergeConfigs, isIgnored, compileGlob, type Glob, ConfigLoader, CONFIG_FILE, type ProjectConfig, type ResolvedConfig } from './engine/config';
export { readApp, findAppDirs, appDirAbove, type CdkApp } from './cdk/assembly';
export { AppPlacer, type Placement } from './cdk/place';
export { relocateCdkFindings } from './cdk/relocate';
export { prefetchSourceFacts } from './cdk/prefetch';
export { parsePythonFacts } from './cdk/python';
export { parseTsFacts } from './cdk/tsscan';
export { SourceIndex } from './cdk/match';
export { SourceMap } from './cdk/sourcemap';
export { callAt } from './cdk/callsite';
export { fixesFor, applyEdits, hasQuickFix, quickFixSummary, fixKind, FIX_KINDS, type Fix, type FixKind, type FixTarget } from './fixes';

// The library's entry points lint with the built-in rules unless given others (the engine itself runs
// only the rules it is given).
import type { ParsedFile } from './documents/parse';
import { analyze as analyzeWith, analyzeFile as analyzeFileWith, type AnalyzeOptions } from './engine/analyze';
import { lint as lintWith, type LintOptions as EngineLintOptions } from './engine/run';
import { findSuppressions as suppressionsIn } from './engine/suppress';
import { kindOf as kindOfFile, modelOf as modelOfFile } from './kinds';
import { RULES as BUILT_IN } from './rules';

type WithRules<T extends { rules: unknown }> = Omit<T, 'rules'> & { rules?: T['rules'] };

/** Lint options of the library: `rules` defaults to the built-in rules. */
export type LintOptions = WithRules<EngineLintOptions>;

export function lint(file: ParsedFile, options: LintOptions = {}) {
  return lintWith(file, { ...options, rules: options.rules ?? BUILT_IN });
}

export function analyze(text: string, uri: string, options: WithRules<AnalyzeOptions> = {}) {
  return analyzeWith(text, uri, { ...options, rules: options.rules ?? BUILT_IN });
}

export function analyzeFile(file: ParsedFile, options: LintOptions = {}) {
  return analyzeFileWith(file, { ...options, rules: options.rules ?? BUILT_IN });
}

/** The CloudFormation model of a template (undefined for other files). */
export function templateOf(file: ParsedFile) {
  return modelOfFile(file).template;
}

/** Every suppression written in a file, in the forms its kind accepts. */
export function findSuppressions(file: ParsedFile) {
  const kind = kindOfFile(file);
  return kind ? suppressionsIn(file, kind, modelOfFile(file)) : [];
}
export { testFixtures, expectedFindings, isFixtureName, fixedName, type Fixture, type FixtureResult } from './testing/fixtures';
export { readRuleFile, parsePath, type TeamRuleSpec } from './team/spec';
export { compileRule, type TeamRule } from './team/compile';
export { TeamLoader, type TeamKb, type TeamProblem } from './team/load';
export { safeRegExp } from './team/regex';
export { parseExpr, evalExpr } from './team/expr';
export { setTeamCatalogue, teamRules, teamTopics } from './team/registry';
