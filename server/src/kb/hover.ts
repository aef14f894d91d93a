// What the KB says about the spot under the cursor: the findings there, the resource type or kind,
// or a property a topic explains. Returns Markdown and the offsets it covers.
import type { Node, Pair } from '../documents/nodes';
import type { ParsedFile } from '../documents/parse';
import type { Finding } from '../engine/run';
import { kindOf } from '../kinds';
import { ruleById } from '../rules';
import { link, topicById, topicsForKind, topicsForProperty, topicsForType, type LinkStyle, type Topic } from './topics';

export interface HoverResult {
  markdown: string;
  start: number;
  end: number;
}

/**
 * Escapes text from the user's file so it renders literally in Markdown (no links, no HTML), on one
 * line: line breaks (and tabs, which could indent a code block) become spaces, so user text cannot
 * start a heading, a code block or a paragraph of its own.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[\r\n\u2028\u2029\t\f\v]+/g, ' ')
      // Renderers turn bare URLs, `www.` names and e-mail addresses into links (GFM autolinks), escapes or not:
      // an invisible zero-width space keeps them text.
      .replace(/:\/\//g, ':\u200b//')
      .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\u200b.`)
      .replace(/@/g, '@\u200b')
      .replace(/[\\`*_{}[\]()<>#+\-.!|~&]/g, '\\$&')
  );
}

export function hoverAt(file: ParsedFile, offset: number, findings: Finding[], style: LinkStyle = 'web'): HoverResult | undefined {
  const here = findings.filter((f) => f.kb && f.start <= offset && offset <= f.end);
  if (here.length) {
    const md = here.map((f) => findingMarkdown(f, style)).join('\n\n---\n\n');
    let start = here[0].start;
    let end = here[0].end;
    for (const f of here) {
      start = Math.min(start, f.start);
      end = Math.max(end, f.end);
    }
    return { markdown: md, start, end };
  }
  const doc = file.docs.find((d) => d.start <= offset && offset <= d.end);
  const path = doc?.root ? pairsAt(doc.root, offset) : [];
  const last = path[path.length - 1];
  if (!last) return undefined;
  const topics = topicsFor(file, path);
  if (!topics.length) return undefined;
  return { markdown: topics.map((t) => topicMarkdown(t, style)).join('\n\n---\n\n'), start: last.key.start, end: last.value.kind === 'scalar' && offset >= last.value.start ? last.value.end : last.key.end };
}

function topicsFor(file: ParsedFile, path: Pair[]): Topic[] {
  const place = kindOf(file)?.locate(path);
  if (!place) return [];
  if ('type' in place) return topicsForType(place.type);
  if ('kind' in place) return topicsForKind(place.kind);
  return place.ownerType === undefined ? topicsForProperty(place.property) : propertyTopics(place.property, place.ownerType);
}

// Names so common across resource types that only the topic of the resource's own type may claim them.
const GENERIC_PROPERTIES = new Set(['Type', 'Image', 'Name', 'Cluster', 'TaskDefinition', 'InstanceType', 'Tags', 'Port', 'Protocol']);

/** Topics explaining a property: those about the resource's type first; other topics only for distinctive names. */
function propertyTopics(key: string, resourceType: string): Topic[] {
  const all = topicsForProperty(key);
  const own = all.filter((t) => t.cloudformation.includes(resourceType));
  return own.length || GENERIC_PROPERTIES.has(key) ? own : all;
}

/** The chain of pairs from the root down to the innermost one whose key or value holds the offset. */
function pairsAt(root: Node, offset: number): Pair[] {
  const out: Pair[] = [];
  let node: Node | undefined = root;
  while (node) {
    let next: Node | undefined;
    if (node.kind === 'map') {
      for (const p of node.pairs) {
        if (p.key.start <= offset && offset <= Math.max(p.key.end, p.value.end)) {
          out.push(p);
          next = offset > p.key.end ? p.value : undefined;
          break;
        }
      }
    } else if (node.kind === 'seq') {
      next = node.items.find((i) => i.start <= offset && offset <= i.end);
    }
    node = next;
  }
  return out;
}

function topicMarkdown(t: Topic, style: LinkStyle): string {
  return [`**KB: ${t.title}**`, t.summary, kbFacts(t.body), `[Read the full topic](${link('topic', t.id, style)})`].filter(Boolean).join('\n\n');
}

/** The topic's section of KB facts (the first bulleted section), trimmed for a hover. */
function kbFacts(body: string): string {
  const m = /^## .*\n+((?:- .*\n?)+)/m.exec(body);
  return m ? m[1].trim() : '';
}

/**
 * A finding in a hover: a short headline (the message), then what the KB says and where to read more,
 * then this finding's details, the KB facts and, last, the fix.
 */
export function findingMarkdown(f: Finding, style: LinkStyle): string {
  const rule = ruleById(f.ruleId);
  const topic = f.kb ? topicById(f.kb) : undefined;
  const links = [topic && `[Read the KB topic](${link('topic', topic.id, style)})`, rule && `[Rule documentation](${link('rule', rule.meta.id, style)})`].filter(Boolean).join(' · ');
  const parts = [
    `**${escapeMarkdown(f.message)}**`,
    `\`${f.ruleId}\` · ${f.severity}`,
    topic && `**Why (KB: ${topic.title})**: ${topic.summary}`,
    links,
    f.detail && escapeMarkdown(f.detail),
    topic && kbFacts(topic.body),
    rule && `**Fix**: ${rule.meta.fix}`,
  ];
  return parts.filter(Boolean).join('\n\n');
}
