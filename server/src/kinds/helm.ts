// Helm chart templates: files under `<chart>/templates/` beside a `Chart.yaml`, rendered with the chart's
// values (helm/), linted as Kubernetes manifests with positions on the template text.
import * as path from 'node:path';
import { skip, type ParsedFile } from '../documents/parse';
import { LineIndex } from '../documents/lines';
import { helmRenderOf, helmRole, originsAt, parseHelmTemplate, HELM_KIND } from '../helm/render';
import { PLACEHOLDER as HELM_PLACEHOLDER } from '../helm/eval';
import { get, str } from '../documents/nodes';
import { containers, k8sObjects, objectRef } from '../model/kubernetes';
import type { Finding } from '../engine/run';
import type { FileModel, KindDescriptor } from './kind';
import { kubernetes } from './kubernetes';

type Grouped = Finding & { repeats?: Finding[] };

/** Findings of one template range rendered several times (a `range`) are given once, naming the other objects. */
function finishFindings(file: ParsedFile, findings: Finding[], model: FileModel): Finding[] {
  const render = helmRenderOf(file);
  if (!render) return findings;
  const out: Grouped[] = [];
  const byPlace = new Map<string, Grouped>();
  // The same finding for another object: the same message once the names of the rendered objects and of
  // their containers are blanked (another image on the same line is another finding).
  const named = model.objects.flatMap((o) => [o.name, ...containers(o).map((c) => str(get(c, 'name')))]);
  const names = [...new Set(named.filter((n): n is string => !!n && n.length > 2))].sort((a, b) => b.length - a.length);
  const blanked = (message: string) => names.reduce((m, n) => m.replaceAll(n, '\u0000'), message);
  for (const f of findings) {
    const key = `${f.ruleId}|${f.messageId ?? ''}|${f.start}|${f.end}|${blanked(f.message)}`;
    const first = byPlace.get(key);
    if (first) {
      (first.repeats ??= []).push(f);
      continue;
    }
    const g: Grouped = { ...f };
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
    if (g.repeats) {
      // The objects rendered around this range whose findings name them (the message of each names its object).
      const refs = model.objects.map(objectRef).filter((r, i, all) => all.indexOf(r) === i && !mentions(g.message, r) && g.repeats!.some((x) => mentions(x.message, r)));
      const others = refs.length ? refs.slice(0, 5).join(', ') + (refs.length > 5 ? ` and ${refs.length - 5} more` : '') : `${g.repeats.length} more objects`;
      g.message += ` (and ${g.repeats.length} more object${g.repeats.length === 1 ? '' : 's'})`;
      g.detail = `The same template line renders ${others} with the same finding (shown once).${g.detail ? ` ${g.detail}` : ''}`;
    }
    delete g.repeats;
    // A value the renderer could not compute (a random suffix, a lookup) reads as an ellipsis in names.
    g.message = g.message.replaceAll(HELM_PLACEHOLDER, '…');
    if (g.detail) g.detail = g.detail.replaceAll(HELM_PLACEHOLDER, '…');
    g.related = g.related.map((r) => (r.message.includes(HELM_PLACEHOLDER) ? { ...r, message: r.message.replaceAll(HELM_PLACEHOLDER, '…') } : r));
  }
  return out;
}

/** Whether a message names the object `ref` (`Kind/name`, not as the start of a longer name). */
function mentions(message: string, ref: string): boolean {
  for (let i = message.indexOf(ref); i >= 0; i = message.indexOf(ref, i + 1)) if (!/[A-Za-z0-9.-]/.test(message[i + ref.length] ?? '') || /[.-]\s/.test(message.slice(i + ref.length, i + ref.length + 2))) return true;
  return false;
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
