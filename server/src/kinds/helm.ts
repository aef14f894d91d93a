// Helm chart templates: files under `<chart>/templates/` beside a `Chart.yaml`, rendered with the chart's
// values (helm/), linted as Kubernetes manifests with positions on the template text.
import * as path from 'node:path';
import { skip, type ParsedFile } from '../documents/parse';
import { LineIndex } from '../documents/lines';
import { helmRenderOf, helmRole, originsAt, parseHelmTemplate, HELM_KIND } from '../helm/render';
import { k8sObjects } from '../model/kubernetes';
import type { Finding } from '../engine/run';
import type { KindDescriptor } from './kind';
import { kubernetes } from './kubernetes';

/** Findings of one template range rendered several times (a `range`) are given once, saying so. */
function finishFindings(file: ParsedFile, findings: Finding[]): Finding[] {
  const render = helmRenderOf(file);
  if (!render) return findings;
  const out: Array<Finding & { repeats?: number }> = [];
  const byPlace = new Map<string, Finding & { repeats?: number }>();
  for (const f of findings) {
    const key = `${f.ruleId}|${f.messageId ?? ''}|${f.start}|${f.end}`;
    const first = byPlace.get(key);
    if (first) {
      first.repeats = (first.repeats ?? 1) + 1;
      continue;
    }
    const g: Finding & { repeats?: number } = { ...f };
    if (f.kb) {
      const origins = originsAt(render, f.start, f.end).slice(0, 2);
      if (origins.length)
        g.related = [
          ...f.related,
          ...origins.map(({ origin: o, how }) => {
            const lines = render.chart.valueFiles.find((v) => v.uri === o.uri)?.lines;
            const range = lines && { start: lines.position(o.start), end: lines.position(o.end) };
            return { uri: o.uri, start: o.start, end: o.end, ...(range ? { range } : {}), message: how === 'value' ? `\`${o.path}\` in ${path.basename(o.uri)} sets this` : `\`${o.path}\` in ${path.basename(o.uri)} turns this on` };
          }),
        ];
    }
    byPlace.set(key, g);
    out.push(g);
  }
  for (const g of out) {
    if (g.repeats) g.message += ` (this template line renders ${g.repeats} objects with the same finding; shown once)`;
    delete g.repeats;
  }
  return out;
}

function skipped(text: string, uri: string, reason: string): ParsedFile {
  return skip({ uri, text, format: 'yaml', docs: [], errors: [], lines: new LineIndex(text) }, reason);
}

export const helm: KindDescriptor = {
  id: HELM_KIND,
  family: 'kubernetes',
  label: 'Helm chart template',
  extensions: ['.yaml', '.yml'],
  languages: ['yaml', 'helm'],
  formats: ['yaml'],
  // Claimed by `parse` (by location), never by detection on the text.
  hint: /(?!)/,
  parse(text, uri) {
    const role = helmRole(uri);
    if (!role) return undefined;
    if (role.role === 'meta') return skipped(text, uri, 'Helm chart values or metadata (read with the chart\'s templates)');
    if (role.role === 'helper') return skipped(text, uri, 'a Helm helper template (its text is checked where it is included)');
    return parseHelmTemplate(text, uri, role.path, role.chartDir!);
  },
  detect: () => false,
  model: (file) => ({ objects: k8sObjects(file) }),
  findings: finishFindings,
  suppressions: ['comment', 'annotation'],
  // The model is the rendered output: a quick fix's edit would not land where it means to.
  editable: false,
  locate: (p) => kubernetes.locate(p),
};
