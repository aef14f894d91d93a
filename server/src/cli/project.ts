// `.kbhints.yaml` for the CLI: which collected files are ignored, and the rule severities and declared
// environment for each file.
import * as path from 'node:path';
import { ConfigLoader, isIgnored } from '../engine/config';
import { CliTeam } from '../team/cli';
import type { SeverityOverrides } from '../engine/run';
import type { Environment } from '../engine/environment';

export class Project {
  readonly loader = new ConfigLoader();
  /** Team rules and topics (`.kbhints/rules/`, `teamRules:` and `kb:` folders). */
  readonly team = new CliTeam(this.loader);
  private readonly warned = new Set<string>();

  constructor(private readonly warn: (message: string) => void) {}

  /** The files `.kbhints.yaml` does not ignore. */
  keep(files: string[]): string[] {
    return files.filter((f) => !isIgnored(this.config(f), path.resolve(f)));
  }

  severities(file: string): SeverityOverrides {
    return this.config(file).rules;
  }

  /** The environment `.kbhints.yaml` declares for the file (the workspace's own signs are added at lint). */
  environment(file: string): Environment {
    return this.config(file).environment;
  }

  private config(file: string) {
    const c = this.loader.forFile(file);
    for (const e of c.errors) {
      if (this.warned.has(e)) continue;
      this.warned.add(e);
      this.warn(`warning: ${e}`);
    }
    return c;
  }
}
