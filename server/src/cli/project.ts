// `.kbhints.yaml` for the CLI: which collected files are ignored, the rule severities, the declared
// environment and the team rule folders for each file.
// Found upward from each file, or one file for the whole run (`--config FILE`; its ignore patterns are
// relative to the folder it is in).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigLoader, isIgnored, mergeConfigs, parseConfig, type ResolvedConfig } from '../engine/config';
import type { SeverityOverrides } from '../engine/run';
import type { Environment } from '../engine/environment';
import { CliTeam } from '../team/cli';
import { absolutePath, UsageError } from './files';
import { reason } from '../engine/walk';

export class Project {
  readonly loader = new ConfigLoader();
  /** Team rules and topics (`.kbhints/rules/`, `teamRules:` and `kb:` folders). */
  readonly team = new CliTeam(this.loader);
  private readonly warned = new Set<string>();
  private readonly fixed?: ResolvedConfig;

  /** @param configFile `--config`: this file instead of the upward search (a UsageError when unreadable). */
  constructor(
    private readonly warn: (message: string) => void,
    configFile?: string,
  ) {
    if (configFile !== undefined) {
      let text: string;
      try {
        text = fs.readFileSync(configFile, 'utf8');
      } catch (e) {
        throw new UsageError(`Cannot read the config file ${configFile}: ${reason(e)}`);
      }
      const file = path.resolve(configFile);
      this.fixed = mergeConfigs([{ dir: path.dirname(file), file, ...parseConfig(text) }]);
    }
  }

  /** The files `.kbhints.yaml` does not ignore. */
  keep(files: string[]): string[] {
    return files.filter((f) => !isIgnored(this.config(f), absolutePath(f)));
  }

  severities(file: string): SeverityOverrides {
    return this.config(file).rules;
  }

  /** The environment `.kbhints.yaml` declares for the file (the workspace's own signs are added at lint). */
  environment(file: string): Environment {
    return this.config(file).environment;
  }

  private config(file: string) {
    // The folder of the file's absolute path (worked out once per file, see files.ts): asked per file several times.
    const c = this.fixed ?? this.loader.forDir(path.dirname(absolutePath(file)));
    for (const e of c.errors) {
      if (this.warned.has(e)) continue;
      this.warned.add(e);
      this.warn(`warning: ${e}`);
    }
    return c;
  }
}
