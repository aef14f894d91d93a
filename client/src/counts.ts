// How the client words a number of findings: the same words in the status bar and the Lint Workspace
// summary, by severity as the Problems panel lists them (errors, warnings, info; hints show only in
// the editor, and VS Code's file badges count errors and warnings).
import type { SeverityCounts } from '../../server/src/protocol';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "1 error, 2 warnings, 3 info" (the severities that occur), plus hints; "no findings" when none. */
export function countsText(c: SeverityCounts | undefined, total: number): string {
  if (!c) return plural(total, 'finding');
  const parts = [c.error && plural(c.error, 'error'), c.warning && plural(c.warning, 'warning'), c.info && `${c.info} info`].filter(Boolean) as string[];
  if (c.hint) parts.push(`${plural(c.hint, 'hint')} (shown in the editor, not in the Problems panel)`);
  return parts.length ? parts.join(', ') : 'no findings';
}

/** Status bar icons with counts: `$(error) 1 $(warning) 2 $(info) 3` (the severities that occur), or `$(check) 0`. */
export function countsIcons(c: SeverityCounts | undefined, total: number): string {
  if (!c) return total ? `$(warning) ${total}` : '$(check) 0';
  const parts = [c.error && `$(error) ${c.error}`, c.warning && `$(warning) ${c.warning}`, c.info && `$(info) ${c.info}`, c.hint && `$(light-bulb) ${c.hint}`].filter(Boolean);
  return parts.length ? parts.join(' ') : '$(check) 0';
}
