// The one table of `kbHints.*` command ids (server/src/protocol.ts) against what package.json contributes
// and activates, what the client registers, and what the server names in its actions and links.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** protocol.ts compiled on the fly (it is bundled into the client and the server, not built on its own). */
function loadProtocol() {
  const out = esbuild.buildSync({ entryPoints: [path.join(ROOT, 'server/src/protocol.ts')], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
  const m = new Module(path.join(ROOT, 'server/src/protocol.js'));
  m.paths = Module._nodeModulePaths(ROOT);
  m._compile(out.outputFiles[0].text, m.id);
  return m.exports;
}

const source = (dir) =>
  fs
    .readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(path.join(ROOT, dir, f), 'utf8'))
    .join('\n');

describe('LSP protocol: the command table', () => {
  const protocol = loadProtocol();
  const table = Object.values(protocol.COMMANDS);

  it('names every command package.json contributes, and nothing else', () => {
    assert.deepEqual([...table].sort(), pkg.contributes.commands.map((c) => c.command).sort());
    for (const id of table) assert.match(id, /^kbHints\.[a-zA-Z]+$/);
  });

  it('internal commands are hidden from the palette, the others are not', () => {
    const hidden = (pkg.contributes.menus?.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command);
    assert.deepEqual([...hidden].sort(), [...protocol.INTERNAL_COMMANDS].sort());
  });

  it('activation: commands activate the extension (implicit since VS Code 1.74), and no stale onCommand event remains', () => {
    const min = /(\d+)\.(\d+)/.exec(pkg.engines.vscode);
    const implicit = Number(min[1]) > 1 || Number(min[2]) >= 74;
    const onCommand = pkg.activationEvents.filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
    for (const id of onCommand) assert.ok(table.includes(id), `activation event for unknown command ${id}`);
    if (!implicit) for (const id of table) assert.ok(onCommand.includes(id), `no activation event for ${id}`);
  });

  it('the client registers each command through the table and spells no command id itself', () => {
    const client = source('client/src');
    for (const [key, id] of Object.entries(protocol.COMMANDS)) {
      assert.ok(client.includes(`registerCommand(COMMANDS.${key},`), `${id} is not registered by the client`);
    }
    const literal = client.match(/['"]kbHints\.(?!article|status)[a-zA-Z]+['"]/g) ?? [];
    assert.deepEqual(literal, [], 'command ids written out in the client instead of COMMANDS');
  });

  it('custom requests and notifications are typed objects under kbHints/', () => {
    const typed = Object.entries(protocol).filter(([name]) => /(Request|Notification)$/.test(name));
    assert.ok(typed.length >= 7);
    for (const [name, t] of typed) assert.match(t.method, /^kbHints\//, name);
    const lsp = source('server/src/lsp') + fs.readFileSync(path.join(ROOT, 'server/src/server.ts'), 'utf8');
    assert.deepEqual(lsp.match(/['"]kbHints\/[a-zA-Z]+['"]/g) ?? [], [], 'method names written out instead of the typed objects');
  });

  it('the KB links in hovers and articles run the table\'s openTopic command', () => {
    const topics = fs.readFileSync(path.join(ROOT, 'server/src/kb/topics.ts'), 'utf8');
    assert.ok(topics.includes(`command:${protocol.COMMANDS.openTopic}?`));
  });
});
