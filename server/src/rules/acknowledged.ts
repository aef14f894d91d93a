// Decisions a template already documents for another linter: a resource's Metadata that suppresses the
// equivalent check of cfn_nag (`cfn_nag.rules_to_suppress`), Checkov (`checkov.skip`) or cfn-lint
// (`cfn-lint.config.ignore_checks`). A rule that would say the same thing stays quiet there: the team
// has looked at it, and the reason usually lives outside the template (e.g. registry-wide scanning).
import { get, items, str } from '../documents/nodes';
import type { Resource } from '../model/template';

export function suppressedByOtherLinter(res: Resource, checkIds: string[]): boolean {
  const ids = new Set(checkIds.map((id) => id.toUpperCase()));
  const has = (id: string | undefined) => id !== undefined && ids.has(id.toUpperCase());
  const meta = res.metadata;
  for (const entry of items(get(get(meta, 'cfn_nag'), 'rules_to_suppress'))) if (has(str(get(entry, 'id')))) return true;
  for (const entry of items(get(get(meta, 'checkov'), 'skip'))) if (has(str(get(entry, 'id')) ?? str(entry))) return true;
  for (const entry of items(get(get(get(meta, 'cfn-lint'), 'config'), 'ignore_checks'))) if (has(str(entry))) return true;
  return false;
}
