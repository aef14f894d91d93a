// @ts-check
// A time-boxed fuzz of the language server's protocol: a seeded stream of random valid and invalid messages
// (opens, edits with ranges in and out of the document, closes, hovers, code actions, KB requests,
// cancellations, unknown methods, malformed params, raw garbage frames) for a few seconds, then the server
// must still be alive and answer correctly. A failure prints the seed, so the run can be replayed with
// KB_HINTS_FUZZ_SEED=<seed>; KB_HINTS_FUZZ_MS sets the duration.
const assert = require('node:assert/strict');
const { LspClient } = require('../helpers/lsp-client');

const DURATION_MS = Number(process.env.KB_HINTS_FUZZ_MS) || 4000;
const SEED = Number(process.env.KB_HINTS_FUZZ_SEED) || Date.now() % 1_000_000;

/** A small seeded PRNG (mulberry32), so a failing run can be replayed. @param {number} seed */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEMPLATES = [
  'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      ContainerDefinitions:\n        - { Name: app, Image: nginx }\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  ports: [{ port: 80 }]\n',
  '{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"ImageTagMutability": "MUTABLE"}}}}',
  'Resources:\n  A: &a\n    Type: AWS::ECS::Service\n    Properties: { Cluster: !Ref C, LaunchType: !If [X, FARGATE, EC2] }\n  B: *a\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d }\nspec:\n  template:\n    spec:\n      volumes: [{ name: v, hostPath: { path: /data } }]\n      containers: [{ name: c, image: "{{ .Values.image }}" }]\n',
  '',
  '\u0000\u0001binary',
];

describe('LSP: protocol fuzz (time-boxed)', function () {
  this.timeout(DURATION_MS + 30000);

  it(`survives ${DURATION_MS} ms of random valid and invalid traffic (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const pick = (/** @type {any[]} */ list) => list[Math.floor(random() * list.length)];
    const int = (/** @type {number} */ n) => Math.floor(random() * n);
    const client = new LspClient();
    try {
      await client.initialize();
      const uris = ['file:///fuzz/a.yaml', 'file:///fuzz/b.json', 'file:///fuzz/c.yml', 'untitled:Untitled-1'];
      /** @type {Map<string, number>} */
      const versions = new Map();
      const position = () => ({ line: pick([0, 1, 2, 5, 1e6, -1]), character: pick([0, 3, 10, 1e6, -5]) });
      const ops = [
        () => {
          const uri = pick(uris);
          versions.set(uri, 1);
          client.open(uri, pick(TEMPLATES), { languageId: pick(['yaml', 'json', 'plaintext']) });
        },
        () => {
          const uri = pick(uris);
          const v = (versions.get(uri) ?? 0) + pick([1, 1, 1, 0, -3, 100]);
          versions.set(uri, v);
          const edit = random() < 0.5 ? { text: pick(TEMPLATES) } : { range: { start: position(), end: position() }, text: pick(['x', '', '\n', ': ', '{{', '!If [', '\u{1F600}']) };
          client.change(uri, v, [edit]);
        },
        () => client.close(pick(uris)),
        () => void client.request('textDocument/hover', { textDocument: { uri: pick(uris) }, position: position() }, 60000).catch(() => {}),
        () => void client.request('textDocument/codeAction', { textDocument: { uri: pick(uris) }, range: { start: position(), end: position() }, context: { diagnostics: [] } }, 60000).catch(() => {}),
        () => void client.request('kbHints/searchKb', { query: pick(['fargate', '', '((((', 'a'.repeat(5000)]) }, 60000).catch(() => {}),
        () => void client.request('kbHints/getArticle', { id: pick(['ecr', 'rule:ecr-tags-mutable', '__proto__', 42]) }, 60000).catch(() => {}),
        () => client.notify('$/cancelRequest', { id: int(client.nextId + 5) }),
        () => void client.request(pick(['nope/method', 'textDocument/definition', 'workspace/symbol']), pick([null, {}, [], 'x']), 60000).catch(() => {}),
        () => client.notify('textDocument/didChange', pick([null, {}, { textDocument: {} }, { contentChanges: 'x' }])),
        () => client.proc.stdin.write(pick(['garbage\r\n\r\n', 'Content-Length: 5\r\n\r\n{"a":', 'Content-Length: abc\r\n\r\n', '\r\n'])),
      ];
      const end = Date.now() + DURATION_MS;
      let sent = 0;
      while (Date.now() < end && !client.exitInfo) {
        for (let i = 0; i < 20; i++, sent++) pick(ops)();
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.equal(client.exitInfo, undefined, `server exited during the fuzz (seed ${SEED}, ${sent} messages): ${client.stderr.slice(-2000)}`);
      // Still working: a fresh document gets its diagnostics, a KB request its answer.
      const uri = 'file:///fuzz/final.yaml';
      client.open(uri, TEMPLATES[0]);
      const d = await client.diagnostics(uri, { predicate: (p) => p.diagnostics.length > 0, timeout: 20000 });
      assert.ok(d.diagnostics.some((x) => x.code === 'ecs-fargate-network-mode'), `seed ${SEED}`);
      const found = await client.request('kbHints/searchKb', { query: 'fargate' }, 20000);
      assert.ok(Array.isArray(found) && found.length > 0, `seed ${SEED}`);
    } finally {
      client.kill();
    }
  });
});
