// @ts-check
// Hovers quote user text (logical ids, object names, images, paths). Rendered with CommonMark rules (markdown-it,
// as VS Code renders hovers), a hostile template's hover must have the same structure as a benign one's: no
// injected heading, list, code block, block quote, table row or link, and no `command:` link at all beyond
// the ones we write.
const assert = require('node:assert/strict');
const MarkdownIt = require('markdown-it');
const { parseFile, lint, hoverAt } = require('../helpers/engine');

const md = new MarkdownIt({ html: false, linkify: true });

const HOSTILE = [
  'web\n# Injected heading\n[click](command:workbench.action.terminal.new)',
  'web\n\n```\ncode block\n```\n> quote',
  'web\n- item\n| a | b |\n|---|---|',
  'web [x](https://evil.example/) <b>bold</b> ![img](https://evil.example/i.png)',
  'web\r\n=====\r\n',
];

/** The block and link structure of rendered Markdown: token types in order, and every link target. @param {string} markdown */
function structure(markdown) {
  const tokens = md.parse(markdown, {});
  const blocks = tokens.filter((t) => t.type.endsWith('_open') || t.type === 'fence' || t.type === 'code_block' || t.type === 'hr').map((t) => t.type);
  const links = tokens.flatMap((t) => t.children ?? []).filter((t) => t.type === 'link_open' || t.type === 'image').map((t) => t.attrGet('href') ?? t.attrGet('src'));
  return { blocks, links };
}

/** The hover over the Service's `type: LoadBalancer` finding, for a Service with this name. @param {string} name */
function hoverFor(name) {
  const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${JSON.stringify(name)}\nspec:\n  type: LoadBalancer\n  ports: [{ port: 80 }]\n`;
  const file = parseFile(text, 'svc.yaml');
  const findings = lint(file).filter((f) => !f.suppressed);
  const at = text.indexOf('LoadBalancer');
  const h = hoverAt(file, at, findings, 'command');
  assert.ok(h, 'a hover');
  return h.markdown;
}

describe('hovers render user text literally (attack: Markdown injection)', () => {
  const benign = structure(hoverFor('web'));

  for (const name of HOSTILE) {
    it(`a Service named ${JSON.stringify(name).slice(0, 40)}... renders with the benign structure`, () => {
      const markdown = hoverFor(name);
      const got = structure(markdown);
      assert.deepEqual(got.blocks, benign.blocks, markdown);
      assert.deepEqual(got.links, benign.links, markdown);
      assert.ok(!got.links.some((l) => /evil|terminal/.test(String(l ?? ''))), markdown);
    });
  }
});
