// Red Hat's YAML extension reports YAML syntax errors itself; with it active our own `syntax-error`
// diagnostic on a YAML file would say the same thing a second time. The `kbHints.yamlSyntaxErrors`
// setting decides: `auto` (hide ours while redhat.vscode-yaml is enabled), `show`, `hide`. JSON syntax
// errors are always shown (VS Code's JSON support does not lint CloudFormation JSON as such).
import * as vscode from 'vscode';

export const YAML_EXTENSION = 'redhat.vscode-yaml';
const SYNTAX_ERROR = 'syntax-error';

function hideOurs(uri: vscode.Uri): boolean {
  const setting = vscode.workspace.getConfiguration('kbHints', uri).get<string>('yamlSyntaxErrors', 'auto');
  if (setting === 'show') return false;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const yaml = doc ? doc.languageId === 'yaml' : /\.ya?ml$/i.test(uri.path);
  if (!yaml) return false;
  return setting === 'hide' || !!vscode.extensions.getExtension(YAML_EXTENSION);
}

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);

/** The diagnostics to show: without our YAML syntax error when it would be the second report of it. */
export function withoutDuplicateSyntaxErrors(uri: vscode.Uri, diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  return hideOurs(uri) ? diagnostics.filter((d) => codeOf(d) !== SYNTAX_ERROR) : diagnostics;
}
