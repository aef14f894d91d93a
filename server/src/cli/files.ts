// Which files the CLI reads: explicit paths as given, directories walked for template extensions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mayClaim } from '../kinds';

const SKIP_DIRS = new Set(['node_modules', '.git']);

export function collectFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) throw new UsageError(`No such file or directory: ${p}`);
    if (stat.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function walk(dir: string, out: string[]): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(full, out);
    } else if (e.isFile() && mayClaim(e.name)) out.push(full);
  }
}

export class UsageError extends Error {}
