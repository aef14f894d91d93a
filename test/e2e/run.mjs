#!/usr/bin/env node
// End-to-end harness: runs KB Hints in a real VS Code (code-server 4.100.3 = VS Code 1.100.3) opened
// in headless Chromium, runs test/e2e/suite inside its extension host, then checks what a person
// sees with playwright (Problems panel, status bar, hover, the Ctrl+. quick fix menu, Browse Rules and
// the KB search from the command palette) and takes the README screenshots (problems.png, hover.png,
// quick-fix.png, kb-article.png; kb-search.png and failed-*.png are for people debugging a run), and that
// the KB Hints output channel logs the version and the server start. Then the same workbench again with the
// extension forced into the web worker extension host (its `browser` entry, as on vscode.dev): findings,
// a hover, and the output channel's word that client and server run in Web Workers.
// See /work/shared/e2e/NOTES.md.
//
// Environment:
//   KB_HINTS_EXTENSION_PATH  extension folder to load (default: the repo root)
//   KB_HINTS_SCREENSHOTS     folder for screenshots (default: a temp folder)
//   KB_HINTS_E2E_CACHE       where scripts/e2e-setup.sh installed code-server
//   KB_HINTS_E2E_TIMEOUT_MS  how long to wait for the suite's results (default 180000)
//   KB_HINTS_E2E_SKIP_SETUP  set to 1 to not run scripts/e2e-setup.sh first (it is a no-op when cached)
//   KB_HINTS_E2E_KEEP        set to 1 to keep the temp folder (logs, workspace) even on success
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..', '..');
const EXTENSION_PATH = path.resolve(process.env.KB_HINTS_EXTENSION_PATH || REPO_ROOT);
const SUITE_PATH = path.join(HERE, 'suite', 'index.js');
const FIXTURES = path.join(HERE, 'workspace');
const CODE_SERVER_VERSION = '4.100.3';
const CACHE = process.env.KB_HINTS_E2E_CACHE || path.join(os.homedir(), '.cache', 'kb-hints-e2e');
const CODE_SERVER_ENTRY = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = '/usr/bin/chromium';
const RESULTS_TIMEOUT_MS = Number(process.env.KB_HINTS_E2E_TIMEOUT_MS || 180000);
// Last resort if something hangs outside our own timeouts: clean up and fail.
const WATCHDOG_MS = RESULTS_TIMEOUT_MS + 5 * 60 * 1000;

const results = []; // { name, ok, error? }
const state = { server: null, browserServer: null, browser: null, tmp: null, cleanedUp: false, interrupted: null };

function record(name, ok, error) {
  results.push({ name, ok, error });
  console.log(`  ${ok ? '✓' : '✗'} ${name}`);
  if (!ok && error) console.log(indent(String(error), 6));
}

function indent(text, n) {
  return text.split('\n').map((l) => ' '.repeat(n) + l).join('\n');
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `fn` until it returns a truthy value or `timeoutMs` passes.
async function poll(fn, what, timeoutMs, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(intervalMs);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function ensureSetup() {
  if (process.env.KB_HINTS_E2E_SKIP_SETUP === '1') return;
  const r = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'e2e-setup.sh')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`scripts/e2e-setup.sh failed (exit ${r.status})`);
}

/** The temp folders of a run; `workspace: false` leaves the workspace folder to the caller (no fixtures). */
function prepareTempDirs({ workspace = true } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-hints-e2e-'));
  state.tmp = tmp;
  const dirs = {
    tmp,
    userData: path.join(tmp, 'user-data'),
    extensions: path.join(tmp, 'extensions'),
    workspace: path.join(tmp, 'workspace'),
    results: path.join(tmp, 'e2e-results.json'),
    release: path.join(tmp, 'e2e-release'),
    serverLog: path.join(tmp, 'code-server.log'),
    consoleLog: path.join(tmp, 'browser-console.log'),
    config: path.join(tmp, 'code-server.yaml'),
  };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.mkdirSync(dirs.extensions);
  if (workspace) fs.cpSync(FIXTURES, dirs.workspace, { recursive: true });
  // Tells the suite it runs under this harness (see suite/index.js).
  fs.writeFileSync(path.join(tmp, 'e2e-harness.json'), JSON.stringify({ pid: process.pid }));
  // An empty config keeps code-server from writing ~/.config/code-server/config.yaml.
  fs.writeFileSync(dirs.config, '');
  const settings = {
    // A modal trust dialog would block every click.
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'extensions.ignoreRecommendations': true,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'editor.accessibilitySupport': 'off',
    // Test (c) checks lint-as-you-type on an unsaved document.
    'files.autoSave': 'off',
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'window.commandCenter': false,
    'chat.commandCenter.enabled': false,
  };
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  return dirs;
}

async function startCodeServer(dirs, port) {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server not found at ${CODE_SERVER_ENTRY}; run scripts/e2e-setup.sh`);
  }
  const log = fs.openSync(dirs.serverLog, 'a');
  // detached: own process group, so the extension host and language server die with it.
  const server = spawn(process.execPath, [
    CODE_SERVER_ENTRY,
    '--config', dirs.config,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    dirs.workspace,
  ], {
    detached: true,
    stdio: ['ignore', log, log],
    // The server and extension host leave vscode-ipc-*.sock files in TMPDIR: keep them in ours.
    env: { ...process.env, TMPDIR: dirs.tmp },
  });
  fs.closeSync(log);
  state.server = server;
  server.exitInfo = null;
  server.on('exit', (code, signal) => { server.exitInfo = { code, signal }; });

  await poll(async () => {
    if (server.exitInfo) throw new Error(`code-server exited early (${JSON.stringify(server.exitInfo)})`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      return res.ok;
    } catch {
      return false;
    }
  }, 'code-server to listen', 60000);
  return server;
}

// With the suite (phase 1), or the extension alone (the web phase).
function workbenchUrl(port, dirs, { suite = true } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(EXTENSION_PATH)],
    ...(suite ? [['extensionTestsPath', remote(SUITE_PATH)]] : []),
  ];
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`
    + `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function launchBrowser(dirs) {
  // launchServer (not launch) so there is a process handle to kill if closing hangs.
  const browserServer = await chromium.launchServer({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, // we clean up ourselves
    timeout: 60000,
  });
  state.browserServer = browserServer;
  const browser = await chromium.connect(browserServer.wsEndpoint(), { timeout: 30000 });
  state.browser = browser;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  return newPage(context, dirs);
}

async function newPage(context, dirs) {
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  // Synchronous appends: the log is read right after cleanup when something failed.
  const log = (line) => fs.appendFileSync(dirs.consoleLog, line + '\n');
  page.on('console', (m) => log(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => log(`[pageerror] ${e.stack || e}`));
  page.on('crash', () => log('[crash] page crashed'));
  return page;
}

async function waitForSuiteResults(dirs, page) {
  return poll(async () => {
    if (state.server.exitInfo) throw new Error(`code-server exited (${JSON.stringify(state.server.exitInfo)})`);
    if (page.isClosed()) throw new Error('the workbench page closed');
    if (!fs.existsSync(dirs.results)) return null;
    return JSON.parse(fs.readFileSync(dirs.results, 'utf8'));
  }, `the suite's results (${dirs.results})`, RESULTS_TIMEOUT_MS, 500);
}

async function screenshot(page, dir, name) {
  const file = path.join(dir, name);
  await page.screenshot({ path: file });
  console.log(`    screenshot: ${file}`);
}

// What the engine itself (the CLI in dist/) reports for a workspace fixture: what the editor should show.
function cliFindings(relPath) {
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'lint', '--format', 'json', path.join(FIXTURES, relPath)], { encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout).filter((f) => !f.suppressed);
  } catch {
    throw new Error(`could not read the CLI's findings for ${relPath} (exit ${r.status}): ${r.stderr || r.stdout}`);
  }
}

// Checks what a person sees. Each check starts from its own file and state, so one failing does not
// take the others down; the suite has left the workbench with no editors open (suite/index.js).
// `web`: the extension forced into the web worker extension host (client/src/browser.ts, its server in a
// Web Worker): the findings, a hover and the output channel's proof of where it runs; no screenshots.
async function runUiChecks(page, shotsDir, { web = false } = {}) {
  const label = web ? 'Web worker host' : 'UI';
  const picture = (name) => (web ? undefined : screenshot(page, shotsDir, name));
  const quickInput = page.locator('.quick-input-widget');
  const quickInputBox = quickInput.locator('.quick-input-box input');
  const quickRows = quickInput.locator('.quick-input-list .monaco-list-row');
  const tabs = page.locator('.tabs-container .tab');
  const activeTab = page.locator('.editor-group-container.active .tab.active');
  const activeEditor = page.locator('.editor-group-container.active .monaco-editor');
  const problems = page.locator('.markers-panel');
  const kbStatus = page.locator('.statusbar .statusbar-item', { hasText: /KB: / });

  await page.locator('.monaco-workbench').waitFor({ state: 'visible' });

  // F1, type `text` (a '>' prefix: commands; none: files), wait until the first row is what we want
  // (Enter runs the first row), then Enter.
  async function quickOpen(text, rowText) {
    if (await quickInput.isVisible()) {
      await page.keyboard.press('Escape');
      await quickInput.waitFor({ state: 'hidden', timeout: 5000 });
    }
    await page.keyboard.press('F1');
    await quickInput.waitFor({ state: 'visible', timeout: 15000 });
    await quickInputBox.fill(text);
    await poll(async () => (await quickRows.first().isVisible())
      && (await quickRows.first().innerText()).includes(rowText),
    `the quick input to offer "${rowText}" first`, 15000);
    await page.keyboard.press('Enter');
  }
  const runCommand = (title) => quickOpen(`>${title}`, title);

  async function openFile(name) {
    await quickOpen(name, name);
    await poll(async () => (await activeTab.isVisible()) && normalize(await activeTab.innerText()).startsWith(name),
      `${name} to be the active editor`, 15000);
    await activeEditor.locator('.view-lines').waitFor({ state: 'visible' });
  }

  async function showProblems() {
    if (await problems.isVisible()) return;
    await runCommand('Problems: Focus on Problems View');
    await problems.waitFor({ state: 'visible', timeout: 15000 });
  }

  async function hidePanel() {
    if (!(await problems.isVisible())) return;
    await runCommand('View: Toggle Panel Visibility');
    await problems.waitFor({ state: 'hidden', timeout: 15000 });
  }

  // Problems panel filter (the funnel menu): list only the active file's problems. The suite's files
  // stay open in the extension host (VS Code keeps documents an extension opened for a while), so their
  // findings would be listed too and could push ours out of the (virtualised) list.
  // The panel only follows the active editor while it is visible: show it before opening the file.
  async function problemsOfActiveFileOnly() {
    await showProblems();
    await page.locator('.part.panel .codicon-filter').first().click();
    const item = page.locator('.monaco-menu .action-menu-item', { hasText: 'Show Active File Only' });
    await item.waitFor({ state: 'visible', timeout: 10000 });
    if ((await item.getAttribute('aria-checked')) === 'true') {
      await page.keyboard.press('Escape');
    } else {
      await item.hover();
      await item.click();
    }
    await item.waitFor({ state: 'hidden', timeout: 10000 });
  }

  // Resolves when the CSS animations of `locator`'s element, its ancestors and its subtree are over
  // (hovers and menus fade in: a screenshot taken earlier shows them half transparent).
  async function settled(locator) {
    await locator.evaluate(async (el) => {
      const animations = el.getAnimations({ subtree: true });
      for (let n = el.parentElement; n; n = n.parentElement) animations.push(...n.getAnimations());
      const finite = animations.filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
      await Promise.all(finite.map((a) => a.finished.catch(() => {})));
    });
  }

  // A token of the active editor whose text is exactly `text` (the line must be on screen).
  function token(text) {
    return activeEditor.locator('.view-lines .view-line span[class^="mtk"]', { hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first();
  }

  await check(`${label}: Problems panel lists the findings of several rules for ecs-classic.yaml`, 'problems', async () => {
    const expected = [...new Set(cliFindings('ecs-classic.yaml').map((f) => f.ruleId))];
    if (expected.length < 3) throw new Error(`the fixture should have findings of 3+ rules, the CLI reports ${expected.join(', ')}`);
    await showProblems();
    await openFile('ecs-classic.yaml');
    await problemsOfActiveFileOnly();
    await poll(async () => {
      const text = await problems.innerText();
      return text.includes('ecs-classic.yaml') && expected.every((id) => text.includes(id));
    }, `the Problems panel to list ${expected.join(', ')}`, 20000);
    // Squiggles drawn in the editor too, before the picture.
    await activeEditor.locator('.squiggly-warning, .squiggly-error, .squiggly-info').first().waitFor({ state: 'visible', timeout: 10000 });
    await picture('problems.png');
  });

  if (!web) await check('UI: the status bar shows the file kind and its number of findings (CloudFormation, Kubernetes)', 'status-bar', async () => {
    for (const [file, kind] of [['ecs-classic.yaml', 'CloudFormation'], ['service.yaml', 'Kubernetes']]) {
      // One number per severity that occurs (error, warning, info, hint), as the Problems panel counts them.
      const found = cliFindings(file);
      const counts = ['error', 'warning', 'info', 'hint'].map((s) => found.filter((f) => f.severity === s).length).filter(Boolean);
      await openFile(file);
      const want = `KB: ${kind} ${counts.length ? counts.join(' ') : '0'}`;
      let shown = '';
      await poll(async () => {
        shown = (await kbStatus.allInnerTexts()).map(normalize).join(' | ');
        return shown === want;
      }, `the status bar to show "${want}" for ${file}`, 15000)
        .catch((err) => { throw new Error(`${err.message} (it shows "${shown}")`); });
    }
  });

  await check(`${label}: hovering a resource Type shows the KB topic`, 'hover', async () => {
    await openFile('ecs-classic.yaml');
    await hidePanel();
    const type = token('AWS::ECS::TaskDefinition');
    await type.waitFor({ state: 'visible', timeout: 15000 });
    const hover = page.locator('.monaco-hover', { hasText: 'KB:' });
    // The hover shows after a delay, and only when the mouse moves onto the text: nudge it until it does.
    await poll(async () => {
      const box = await type.boundingBox();
      if (!box) return false;
      await page.mouse.move(box.x + box.width / 2 - 3, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      return hover.waitFor({ state: 'visible', timeout: 2000 }).then(() => true, () => false);
    }, 'a hover with KB text over AWS::ECS::TaskDefinition', 20000, 0);
    const text = normalize(await hover.innerText());
    if (!/KB: .+/.test(text) || !text.includes('Read the full topic')) throw new Error(`unexpected hover text: ${text}`);
    await settled(hover);
    await picture('hover.png');
    await page.mouse.move(5, 450);
    await page.keyboard.press('Escape');
  });

  if (!web) await check('UI: the quick fix menu (Ctrl+.) sets NetworkMode: awsvpc and the finding leaves the Problems panel', 'quick-fix', async () => {
    const rule = 'ecs-fargate-network-mode';
    const title = 'Set NetworkMode: awsvpc on ApiTask';
    await runCommand('View: Close All Editors');
    await poll(async () => (await tabs.count()) === 0, 'all editors to close', 10000);
    await showProblems();
    await openFile('fargate-bridge.yaml');
    await problemsOfActiveFileOnly();
    await poll(async () => (await problems.innerText()).includes(rule), `the Problems panel to list ${rule}`, 20000);
    await poll(async () => normalize(await kbStatus.innerText().catch(() => '')) === 'KB: CloudFormation 1',
      'the status bar to count 1 finding', 15000);

    // Put the cursor on the finding (the value `bridge`) and open the quick fix menu.
    const bridge = token('bridge');
    await bridge.click();
    await page.keyboard.press('Control+Period');
    const menu = page.locator('.action-widget');
    const item = menu.locator('.monaco-list-row', { hasText: title });
    await item.waitFor({ state: 'visible', timeout: 15000 });
    await settled(menu);
    await screenshot(page, shotsDir, 'quick-fix.png');
    // The menu blocks the pointer until the mouse moves (a full-window div that any pointer move
    // removes): move onto the item with the raw mouse, then click it.
    const box = await item.boundingBox();
    await page.mouse.move(box.x + 20, box.y + box.height / 2, { steps: 2 });
    await item.click();
    await menu.waitFor({ state: 'hidden', timeout: 10000 });

    await poll(async () => {
      const text = (await activeEditor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
      return /NetworkMode:\s*awsvpc/.test(text) && !/NetworkMode:\s*bridge/.test(text);
    }, 'the editor text to read NetworkMode: awsvpc', 10000);
    await poll(async () => !(await problems.innerText()).includes(rule), `${rule} to leave the Problems panel`, 15000);
    await poll(async () => normalize(await kbStatus.innerText().catch(() => '')) === 'KB: CloudFormation 0',
      'the status bar to count 0 findings', 15000);
  });

  // The article webview shows `title` as its heading (VS Code renders a webview in an iframe
  // inside an iframe).
  async function articleShows(title) {
    const article = page.locator('iframe.webview.ready:visible').first().contentFrame()
      .locator('iframe#active-frame').contentFrame();
    await article.locator('h1', { hasText: title }).waitFor({ state: 'visible', timeout: 15000 });
  }

  if (!web) await check('UI: KB Hints: Browse Rules lists the rules and opens the picked rule\'s article', 'browse-rules', async () => {
    // Beside a template where the rule fires (ecs-classic.yaml: WebTask has no task role).
    await openFile('ecs-classic.yaml');
    await hidePanel();
    await runCommand('KB Hints: Browse Rules');
    await poll(async () => /^\d+ rules: pick one/.test((await quickInputBox.getAttribute('placeholder')) || ''),
      'the Browse Rules quick pick', 15000);
    await quickInputBox.fill('ecs-task-role-missing');
    const row = quickRows.first();
    await poll(async () => (await row.isVisible()) && (await row.innerText()).includes('ecs-task-role-missing'),
      'the rule ecs-task-role-missing to be the first row', 15000);
    const ruleTitle = normalize(await row.locator('.label-name').first().innerText());
    if (!ruleTitle) throw new Error('the rule row has no title');
    await page.keyboard.press('Enter');
    await poll(async () => normalize(await activeTab.innerText().catch(() => '')) === ruleTitle,
      `the active tab to be the article "${ruleTitle}"`, 15000);
    await articleShows(ruleTitle);
    console.log(`    opened: tab "${ruleTitle}"`);
    await screenshot(page, shotsDir, 'kb-article.png');
  });

  if (!web) await check('UI: KB Hints: Search Knowledge Base finds "fargate" and opens an article', 'kb-search', async () => {
    await runCommand('KB Hints: Search Knowledge Base');
    // The command's own quick pick replaces the palette: wait until the '>' prefix is gone.
    await poll(async () => {
      if (!(await quickInput.isVisible())) return false;
      return !(await quickInputBox.inputValue()).startsWith('>');
    }, 'the KB search quick pick', 15000);
    await page.keyboard.type('fargate');
    const first = quickRows.first();
    await poll(async () => (await first.isVisible()) && /fargate/i.test(await first.innerText()),
      'a search result about Fargate', 15000);
    await screenshot(page, shotsDir, 'kb-search.png');

    const title = normalize(await first.locator('.label-name').first().innerText());
    await page.keyboard.press('Enter');
    await poll(async () => (await tabs.allInnerTexts()).map(normalize).includes(title),
      `an article tab titled "${title}"`, 15000);
    await articleShows(title);
    console.log(`    opened: tab "${title}"`);
  });

  // In the web worker host, the lines that only client/src/browser.ts and the server in a Web Worker write.
  const serverStarted = web ? /language server started \(a Web Worker: .*language server \S+ started \(a Web Worker,/ : /language server \S* ?started/;
  await check(`${label}: the KB Hints output channel exists and logs the version and the server start${web ? ' in a Web Worker' : ''}`, 'output', async () => {
    await runCommand('Output: Show Output Channels');
    await poll(async () => {
      if (!(await quickInput.isVisible())) return false;
      return !(await quickInputBox.inputValue()).startsWith('>');
    }, 'the output channel picker', 15000);
    await page.keyboard.type('KB Hints');
    await poll(async () => (await quickRows.first().isVisible()) && normalize(await quickRows.first().innerText()).startsWith('KB Hints'),
      'a "KB Hints" output channel in the picker', 15000);
    await page.keyboard.press('Enter');
    const output = page.locator('.part.panel .monaco-editor .view-lines');
    await poll(async () => {
      const text = normalize((await output.allInnerTexts().catch(() => [])).join(' ').replace(/\u00a0/g, ' '));
      return /KB Hints \S+ activating/.test(text) && serverStarted.test(text);
    }, 'the output channel to show the version and the server start', 15000);
  });

  async function check(name, slug, fn) {
    try {
      await fn();
      record(name, true);
    } catch (err) {
      record(name, false, err.message);
      await screenshot(page, shotsDir, `failed-${slug}.png`).catch(() => {});
      // Leave no quick input, menu or hover open for the next check.
      for (let i = 0; i < 2; i++) await page.keyboard.press('Escape').catch(() => {});
    }
  }
}

// The extension again, forced into the web worker extension host (package.json `browser`, as on vscode.dev):
// the suite's extension host is released and its page closed, then a workbench opens with the user setting
// `remote.extensionKind` (which code-server honours for an extension under development too).
async function webWorkbench(page, dirs, port) {
  fs.writeFileSync(dirs.release, '');
  const context = page.context();
  await page.close();
  const file = path.join(dirs.userData, 'User', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(file, JSON.stringify({ ...settings, 'remote.extensionKind': { 'kb-hints.kb-hints': ['web'] } }, null, 2));
  const web = await newPage(context, dirs);
  await web.goto(workbenchUrl(port, dirs, { suite: false }), { waitUntil: 'domcontentloaded', timeout: 60000 });
  return web;
}

function normalize(text) {
  return text.replace(/\s+/g, ' ').trim();
}

function killServerGroup(signal) {
  const server = state.server;
  if (!server || server.exitInfo || server.pid === undefined) return;
  try { process.kill(-server.pid, signal); } catch { /* already gone */ }
}

async function cleanup() {
  if (state.cleanedUp) return;
  state.cleanedUp = true;
  if (state.tmp) { try { fs.writeFileSync(path.join(state.tmp, 'e2e-release'), ''); } catch { /* ignore */ } }
  if (state.browser) {
    await Promise.race([state.browser.close().catch(() => {}), delay(5000)]);
  }
  if (state.browserServer) {
    await Promise.race([state.browserServer.close().catch(() => {}), delay(5000)]);
    await state.browserServer.kill().catch(() => {});
  }
  if (state.server && !state.server.exitInfo) {
    killServerGroup('SIGTERM');
    try {
      await poll(() => state.server.exitInfo, 'code-server to exit', 5000, 100);
    } catch {
      killServerGroup('SIGKILL');
    }
    // The extension host and language server may outlive the server process itself.
    try { process.kill(-state.server.pid, 'SIGKILL'); } catch { /* group already gone */ }
  }
}

function printLogTail(file, label, lines = 40) {
  if (!file || !fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  if (text) console.log(`--- last lines of ${label} (${file}) ---\n${text}\n---`);
}

async function main() {
  const watchdog = setTimeout(async () => {
    console.error(`e2e harness: watchdog fired after ${WATCHDOG_MS} ms`);
    await cleanup();
    console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  // On a signal, tear everything down; the main flow then fails fast and prints the summary.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, async () => {
      if (state.interrupted) return;
      state.interrupted = sig;
      console.error(`e2e harness: ${sig}, cleaning up`);
      setTimeout(() => process.exit(130), 20000).unref();
      await cleanup();
    });
  }
  // Synchronous last resort (e.g. an uncaught exception): never leave code-server running.
  process.on('exit', () => {
    killServerGroup('SIGKILL');
    try { state.browserServer?.process()?.kill('SIGKILL'); } catch { /* ignore */ }
  });

  let dirs;
  let shotsDir;
  const started = Date.now();
  try {
    ensureSetup();
    dirs = prepareTempDirs();
    shotsDir = process.env.KB_HINTS_SCREENSHOTS
      ? path.resolve(process.env.KB_HINTS_SCREENSHOTS)
      : fs.mkdtempSync(path.join(os.tmpdir(), 'kb-hints-e2e-screenshots-'));
    fs.mkdirSync(shotsDir, { recursive: true });
    console.log(`e2e: extension ${EXTENSION_PATH}`);
    console.log(`e2e: temp dir ${dirs.tmp}`);

    const port = await freePort();
    await startCodeServer(dirs, port);
    console.log(`e2e: code-server on 127.0.0.1:${port} (pid ${state.server.pid})`);
    const page = await launchBrowser(dirs);
    await page.goto(workbenchUrl(port, dirs), { waitUntil: 'domcontentloaded', timeout: 60000 });

    console.log('e2e: running the suite in the extension host');
    let suite;
    try {
      suite = await waitForSuiteResults(dirs, page);
    } catch (err) {
      record('extension host suite produced results', false, err.message);
      await screenshot(page, shotsDir, 'suite-timeout.png').catch(() => {});
    }
    if (suite) {
      for (const t of suite.tests) {
        if (t.state === 'skipped') console.log(`  - ${t.fullTitle} (skipped)`);
        else record(t.fullTitle, t.state === 'passed', t.error);
      }
      if (suite.tests.length === 0) record('extension host suite ran tests', false, 'the suite reported no tests');
    }

    if (state.interrupted || state.server.exitInfo || page.isClosed()) {
      console.log('e2e: UI checks skipped (the workbench is gone)');
    } else {
      console.log('e2e: UI checks');
      await runUiChecks(page, shotsDir);
      console.log('e2e: UI checks in the web worker extension host');
      await runUiChecks(await webWorkbench(page, dirs, port), shotsDir, { web: true });
    }
  } catch (err) {
    record('e2e harness', false, err.stack || err.message);
  } finally {
    await cleanup();
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.filter((r) => !r.ok).length;
  if (dirs) {
    if (failed > 0) {
      printLogTail(dirs.serverLog, 'code-server log');
      printLogTail(dirs.consoleLog, 'browser console');
      console.log(`e2e: kept ${dirs.tmp} for inspection`);
    } else if (process.env.KB_HINTS_E2E_KEEP !== '1') {
      fs.rmSync(dirs.tmp, { recursive: true, force: true });
    }
    console.log(`e2e: screenshots in ${shotsDir}`);
  }
  console.log(`e2e: finished in ${Math.round((Date.now() - started) / 1000)} s`);
  if (state.interrupted) console.log(`e2e: interrupted by ${state.interrupted}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = state.interrupted ? 130 : failed > 0 ? 1 : 0;
}

/**
 * `--first-diagnostics FILE[:LINE] [--runs N]` (npm run bench): no suite, no checks. For each run a freshly
 * started code-server opens a workspace holding only FILE; once the workbench is up, quick open (F1)
 * picks `FILE:LINE` (revealing the line of a finding) and the time from Enter to the first squiggle in the
 * editor is taken (activation, server start, first lint and rendering, as a person sees them), beside the
 * time to the editor's first line of text (what VS Code itself takes). Prints one line
 * `first-diagnostics {"runs":[{"editor":ms,"squiggle":ms},...]}`.
 */
async function measureFirstDiagnostics(target, runs) {
  const [file, line] = target.split(/:(?=\d+$)/);
  const name = path.basename(file);
  const times = [];
  ensureSetup();
  for (let i = 0; i < runs; i++) {
    Object.assign(state, { server: null, browserServer: null, browser: null, tmp: null, cleanedUp: false });
    const dirs = prepareTempDirs({ workspace: false });
    fs.mkdirSync(dirs.workspace);
    fs.copyFileSync(file, path.join(dirs.workspace, name));
    try {
      const port = await freePort();
      await startCodeServer(dirs, port);
      const page = await launchBrowser(dirs);
      await page.goto(workbenchUrl(port, dirs, { suite: false }), { waitUntil: 'domcontentloaded', timeout: 60000 });
      // The workbench is up when the explorer lists the file (the extension host has started by then).
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).waitFor({ state: 'visible', timeout: 60000 });
      const quickInput = page.locator('.quick-input-widget');
      await page.keyboard.press('F1');
      await quickInput.waitFor({ state: 'visible', timeout: 15000 });
      await quickInput.locator('.quick-input-box input').fill(line ? `${name}:${line}` : name);
      const row = quickInput.locator('.quick-input-list .monaco-list-row').first();
      await poll(async () => (await row.isVisible()) && (await row.innerText()).includes(name), `quick open to offer ${name}`, 15000);
      const squiggle = page.locator('.editor-group-container.active .monaco-editor').locator('.squiggly-error, .squiggly-warning, .squiggly-info');
      const t0 = performance.now();
      await page.keyboard.press('Enter');
      await page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line').first().waitFor({ state: 'attached', timeout: 60000 });
      const shown = performance.now() - t0;
      await squiggle.first().waitFor({ state: 'attached', timeout: 60000 });
      times.push({ editor: Math.round(shown), squiggle: Math.round(performance.now() - t0) });
    } finally {
      await cleanup();
      fs.rmSync(dirs.tmp, { recursive: true, force: true });
    }
  }
  console.log(`first-diagnostics ${JSON.stringify({ runs: times })}`);
}

const firstArg = process.argv.indexOf('--first-diagnostics');
if (firstArg > 0) {
  const runsArg = process.argv.indexOf('--runs');
  await measureFirstDiagnostics(process.argv[firstArg + 1], runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3);
} else {
  await main();
}
