// What every LSP concern module is given: the connection, the open documents, the per-version analyses,
// settings, project configuration, and what the client said it supports at `initialize`.
import type { Connection, Diagnostic, Hover, HoverParams, InitializeParams } from 'vscode-languageserver';
import type { Finding } from '../engine/run';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../engine/analyze';
import type { LinkStyle } from '../kb/topics';
import type { InitializationOptions } from '../protocol';
import type { SettingsStore } from '../settings';
import type { Analyses } from './analyses';
import type { OpenDocuments } from './documents';
import type { ProjectConfigs } from './projectConfig';

/** What the client announced, read once at `initialize`. */
export interface ClientFeatures {
  /** Hover and article links: `command:kbHints.openTopic` (VS Code) or web links. */
  linkStyle: LinkStyle;
  /** The client runs our `kbHints.*` commands (it asked for command links: VS Code does). */
  commands: boolean;
  /** `textDocument.hover.contentFormat` includes markdown (or the client said nothing). */
  hoverMarkdown: boolean;
  /** `workspace.workspaceEdit.documentChanges`: versioned edits; else plain `changes`. */
  documentChanges: boolean;
  /** `workspace.configuration`: settings are asked per document; else pushed by didChangeConfiguration. */
  configuration: boolean;
}

export function clientFeatures(params: InitializeParams): ClientFeatures {
  const init = (params.initializationOptions ?? {}) as InitializationOptions;
  const caps = params.capabilities ?? {};
  const formats = caps.textDocument?.hover?.contentFormat;
  const linkStyle = init.linkStyle === 'command' ? 'command' : 'web';
  return {
    linkStyle,
    commands: linkStyle === 'command',
    hoverMarkdown: !Array.isArray(formats) || formats.length === 0 || formats.includes('markdown'),
    documentChanges: caps.workspace?.workspaceEdit?.documentChanges === true,
    configuration: caps.workspace?.configuration === true,
  };
}

export interface ServerContext {
  connection: Connection;
  documents: OpenDocuments;
  analyses: Analyses;
  settings: SettingsStore;
  configs: ProjectConfigs;
  /** Set at `initialize`. */
  client: ClientFeatures;
  /** Errors and failures (shown in the client's output). */
  log: (message: string) => void;
  /** ServerHost.digest: equal digests mean equal texts. */
  digest: (text: string) => string;
  /** Diagnostics a document gets besides its findings (problems of a team rule or topic file). */
  extraDiagnostics?: (uri: string) => Diagnostic[];
  /** A finding's diagnostic with what else relates to it (a CDK template finding: its source line). */
  relateDiagnostic?: (doc: TextDocument, finding: Finding, diagnostic: Diagnostic) => Diagnostic;
  /** A hover on a document the server does not lint (a CDK app's source file). */
  hoverElsewhere?: (params: HoverParams) => Hover | null;
}

/** The current analysis of an open document, or undefined when it is not open, linting is off, or it is not a file we lint. */
export function currentAnalysis(ctx: ServerContext, uri: string): { doc: TextDocument; analysis: Analysis } | undefined {
  const doc = ctx.documents.get(uri);
  if (!doc) return undefined;
  const settings = ctx.settings.get(uri);
  if (!settings.enable) return undefined;
  const analysis = ctx.analyses.get(doc, settings);
  return analysis.file.kind ? { doc, analysis } : undefined;
}
