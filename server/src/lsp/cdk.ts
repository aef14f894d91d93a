// CDK apps in the editor (issue #11): at start-up and whenever an assembly changes (`cdk synth`), the
// findings on the apps' templates are published on the TypeScript/JavaScript/Python lines that create the
// constructs (open or not), with the template location as related information; a hover on such a line
// explains the finding. The work is cdk/workspace.ts's; this module only adapts it to LSP.
import * as fs from 'node:fs';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { DiagnosticSeverity, HoverRequest, type Connection, type Diagnostic, type Hover, type HoverParams, type InitializeParams } from 'vscode-languageserver';
import { prefetchSourceFacts } from '../cdk/prefetch';
import { CdkWorkspace, suppressionAdvice, type CdkSourceFinding } from '../cdk/workspace';
import { findingMarkdown } from '../kb/hover';
import { ruleUrl, type LinkStyle } from '../kb/topics';
import { RULES, ruleById } from '../rules';
import type { Finding, SeverityOverrides } from '../engine/run';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;
/** After the last change in an assembly folder (a synth writes many files), read it again. */
const SETTLE_MS = 400;
const STALE_NOTE = ' (from the last synth: the source changed since)';

export interface CdkFeatureOptions {
  connection: Connection;
  log: (message: string) => void;
  /** Severities for a document URI. */
  severities?: (uri: string) => SeverityOverrides;
  linkStyle: () => LinkStyle;
}

export class CdkFeature {
  private readonly cdk: CdkWorkspace;
  private roots: string[] = [];
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private readonly sourceWatchers = new Map<string, fs.FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private restampTimer: NodeJS.Timeout | undefined;
  private hoverDynamic = false;

  constructor(private readonly options: CdkFeatureOptions) {
    // `.kbhints.yaml` severities are looked up by URI.
    this.cdk = new CdkWorkspace({ rules: RULES, severities: options.severities && ((file) => options.severities!(pathToFileURL(file).toString())) });
  }

  /** From `initialize`: the workspace folders, and whether the client takes a hover registration for source files. */
  initialize(params: InitializeParams): void {
    const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.roots = uris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    this.hoverDynamic = !!params.capabilities.textDocument?.hover?.dynamicRegistration;
  }

  /** From `initialized`: reads the apps, publishes, watches the assemblies. */
  start(): void {
    if (this.hoverDynamic) {
      // The client syncs only template and manifest languages; hovers on the apps' sources are asked for here.
      void this.options.connection.client.register(HoverRequest.type, { documentSelector: ['typescript', 'javascript', 'python'].map((language) => ({ scheme: 'file', language })) }).catch(() => undefined);
    }
    this.refresh();
  }

  refresh(): void {
    // The sources are read on a worker first (reading a large app does not hold up requests).
    const started = performance.now();
    void prefetchSourceFacts(this.roots).then(() => this.refreshNow(started));
  }

  private refreshNow(started: number): void {
    try {
      const changed = this.cdk.refresh(this.roots);
      for (const file of changed) this.publish(file);
      this.watch();
      if (changed.length) this.options.log(`KB Hints: CDK findings on ${this.cdk.sources.length} source file(s) (${this.cdk.unplaced} left on templates) in ${Math.round(performance.now() - started)} ms`);
    } catch (e) {
      this.options.log(`KB Hints: reading the CDK apps failed: ${(e as Error)?.stack ?? e}`);
    }
  }

  private publish(file: string): void {
    const diagnostics = this.cdk.findingsFor(file).map((x) => toDiagnostic(x));
    void this.options.connection.sendDiagnostics({ uri: pathToFileURL(file).toString(), diagnostics });
  }

  private watch(): void {
    // Sources saved after the synth: their findings are marked as from the last synth.
    syncWatchers(this.sourceWatchers, this.cdk.sourceDirs(), () => () => this.restampSoon());
    // A folder that cannot be watched has its findings refreshed with the others.
    syncWatchers(this.watchers, this.cdk.watched(), (dir) => (_event, name) => {
      // In an app folder only the assembly folder matters; in an assembly, any file.
      if (name && !/\.json$|^cdk\.out$/.test(String(name)) && !fs.existsSync(`${dir}/manifest.json`)) return;
      this.soon();
    });
  }

  private restampSoon(): void {
    if (this.restampTimer) clearTimeout(this.restampTimer);
    this.restampTimer = setTimeout(() => {
      this.restampTimer = undefined;
      for (const file of this.cdk.restamp()) this.publish(file);
    }, SETTLE_MS);
  }

  private soon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, SETTLE_MS);
  }

  /**
   * The diagnostic of a finding on an open template of a CDK app, with the source line that creates its
   * construct as related information (the place to fix it: the template is regenerated by every synth).
   */
  relate(uri: string, text: string, f: Finding, d: Diagnostic): Diagnostic {
    if (!uri.startsWith('file:') || !/\.json$/i.test(uri)) return d;
    const p = this.cdk.placeInTemplate(fileURLToPath(uri), text, f.start);
    if (!p) return d;
    const info = { location: { uri: pathToFileURL(p.file).toString(), range: { start: p.start, end: p.end } }, message: `Created here (${p.constructPath}): fix or suppress it in the code${p.stale ? STALE_NOTE : ''}` };
    return { ...d, relatedInformation: [info, ...(d.relatedInformation ?? [])] };
  }

  /** A hover on a source line that a CDK finding is placed on; null elsewhere. */
  hover(params: HoverParams): Hover | null {
    if (!params.textDocument.uri.startsWith('file:')) return null;
    const file = fileURLToPath(params.textDocument.uri);
    const here = this.cdk.at(file, params.position);
    if (!here.length) return null;
    const style = this.options.linkStyle();
    const md = here
      .map((x) => {
        const s = x.finding.source!;
        const where = `Synthesized as \`${s.logicalId}\` (\`${s.constructPath}\`) in [${x.template.split(/[\\/]/).slice(-2).join('/')}](${pathToFileURL(x.template)}#L${x.templateRange.start.line + 1})${s.stale ? STALE_NOTE : ''}.`;
        return [findingMarkdown(x.finding, style), where, suppressionAdvice(file, x.finding.ruleId)].join('\n\n');
      })
      .join('\n\n---\n\n');
    const s = here[0].finding.source!;
    return { contents: { kind: 'markdown', value: md }, range: { start: s.start, end: s.end } };
  }

  dispose(): void {
    for (const w of [...this.watchers.values(), ...this.sourceWatchers.values()]) w.close();
    this.watchers.clear();
    this.sourceWatchers.clear();
    if (this.timer) clearTimeout(this.timer);
    if (this.restampTimer) clearTimeout(this.restampTimer);
  }
}

function toDiagnostic(x: CdkSourceFinding): Diagnostic {
  const f = x.finding;
  const s = f.source!;
  const uri = pathToFileURL(x.template).toString();
  const d: Diagnostic = {
    range: { start: s.start, end: s.end },
    severity: SEVERITY[f.severity],
    source: 'kb-hints',
    code: f.ruleId,
    message: s.stale ? `${f.message}${STALE_NOTE}` : f.message,
    // No quick fix here: the fix belongs in this code, not in the synthesized template.
    data: { ruleId: f.ruleId, kb: f.kb, cdk: { template: uri, logicalId: s.logicalId, constructPath: s.constructPath, placedBy: s.how } },
    relatedInformation: [
      { location: { uri, range: x.templateRange }, message: `Synthesized as ${s.logicalId} (${s.constructPath})` },
      ...x.related.map((r) => ({ location: { uri, range: { start: r.start, end: r.end } }, message: r.message })),
    ],
  };
  if (ruleById(f.ruleId)) d.codeDescription = { href: ruleUrl(f.ruleId) };
  return d;
}

/**
 * Makes `watchers` watch exactly the `wanted` folders: closes the others, starts the missing ones. A folder
 * that cannot be watched is left out (the next sync tries again).
 */
function syncWatchers(watchers: Map<string, fs.FSWatcher>, wanted: Iterable<string>, listener: (dir: string) => fs.WatchListener<string>): void {
  const keep = new Set(wanted);
  for (const [dir, w] of watchers) {
    if (keep.has(dir)) continue;
    w.close();
    watchers.delete(dir);
  }
  for (const dir of keep) {
    if (watchers.has(dir)) continue;
    try {
      const w = fs.watch(dir, { persistent: false }, listener(dir));
      w.on('error', () => undefined);
      watchers.set(dir, w);
    } catch {
      // not watchable now
    }
  }
}
