// KB topics: every topic names its official sources and when they were last checked, the build refuses
// a topic without them, and every article ends with them.
const assert = require('node:assert/strict');
const path = require('node:path');
const engine = require('../../dist/engine.js');

const kbModule = import(path.join(__dirname, '../../scripts/kb.mjs'));

const TOPIC = (frontMatter) => `---\nid: t\ntitle: T\nsummary: S\n${frontMatter}---\n## Key points\n- a\n`;

describe('KB topics', () => {
  it('every topic lists https sources and a valid checked date', () => {
    assert.ok(engine.TOPICS.length > 0);
    for (const t of engine.TOPICS) {
      assert.ok(Array.isArray(t.sources) && t.sources.length > 0, `${t.id}: no sources`);
      for (const s of t.sources) {
        const url = new URL(s);
        assert.equal(url.protocol, 'https:', `${t.id}: ${s} is not https`);
      }
      assert.equal(new Set(t.sources).size, t.sources.length, `${t.id}: a source is listed twice`);
      assert.match(t.checked, /^\d{4}-\d{2}-\d{2}$/, `${t.id}: checked`);
      const d = new Date(`${t.checked}T00:00:00Z`);
      assert.equal(d.toISOString().slice(0, 10), t.checked, `${t.id}: ${t.checked} is not a calendar date`);
    }
  });

  it('every article ends with its sources and the date they were last checked', () => {
    for (const t of engine.TOPICS) {
      for (const style of ['web', 'command']) {
        const md = engine.getArticle(t.id, style).markdown;
        const tail = md.slice(md.lastIndexOf('\n## Sources\n'));
        assert.ok(md.lastIndexOf('\n## Sources\n') > 0, `${t.id}: no Sources section`);
        assert.equal(md.indexOf('\n## ', md.lastIndexOf('\n## Sources\n') + 1), -1, `${t.id}: Sources is not the last section`);
        for (const s of t.sources) assert.ok(tail.includes(`<${s}>`), `${t.id}: ${s} missing from the Sources section`);
        assert.ok(md.trimEnd().endsWith(`*Last checked: ${t.checked}.*`), `${t.id}: article does not end with the date`);
      }
    }
  });

  it('user-facing topic text states facts, not what "the KB says"', () => {
    for (const t of engine.TOPICS) assert.doesNotMatch(`${t.summary}\n${t.body}`, /the KB says|what the KB says/i, t.id);
  });

  describe('front matter reader', () => {
    const ok = 'sources:\n  - https://docs.aws.amazon.com/a.html\n  - https://kubernetes.io/b/\nchecked: 2026-12-01\n';
    it('reads block lists and the checked date', async () => {
      const { parseTopic } = await kbModule;
      const t = parseTopic(TOPIC(ok), 't.md');
      assert.deepEqual(t.sources, ['https://docs.aws.amazon.com/a.html', 'https://kubernetes.io/b/']);
      assert.equal(t.checked, '2026-12-01');
      assert.deepEqual(t.keywords, []);
    });
    it('also reads an inline list of sources', async () => {
      const { parseTopic } = await kbModule;
      assert.deepEqual(parseTopic(TOPIC('sources: [https://a.example/x]\nchecked: 2026-01-31\n'), 't.md').sources, ['https://a.example/x']);
    });
    it('fails clearly when sources or the date are missing or malformed', async () => {
      const { parseTopic } = await kbModule;
      assert.throws(() => parseTopic(TOPIC('checked: 2026-12-01\n'), 't.md'), /t\.md: front matter needs 'sources'/);
      assert.throws(() => parseTopic(TOPIC('sources:\nchecked: 2026-12-01\n'), 't.md'), /t\.md: front matter needs 'sources'/);
      assert.throws(() => parseTopic(TOPIC('sources:\n  - https://a.example/x\n'), 't.md'), /t\.md: front matter needs 'checked'/);
      assert.throws(() => parseTopic(TOPIC('sources:\n  - http://a.example/x\nchecked: 2026-12-01\n'), 't.md'), /not an https URL/);
      assert.throws(() => parseTopic(TOPIC('sources:\n  - docs page\nchecked: 2026-12-01\n'), 't.md'), /not an https URL/);
      assert.throws(() => parseTopic(TOPIC('sources:\n  - https://a.example/x\nchecked: 2026-02-30\n'), 't.md'), /not a date/);
      assert.throws(() => parseTopic(TOPIC('sources:\n  - https://a.example/x\nchecked: 1 Dec 2026\n'), 't.md'), /not a date/);
      assert.throws(() => parseTopic(TOPIC('  - https://a.example/x\nchecked: 2026-12-01\n'), 't.md'), /outside a list/);
    });
  });
});
