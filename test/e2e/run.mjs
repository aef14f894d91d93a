#!/usr/bin/env node
// End-to-end harness: runs KB Hints in a real VS Code (code-server 4.100.3 = VS Code 1.100.3) opened
// in headless Chromium, runs test/e2e/suite inside its extension host, then checks what a person
// sees (Problems panel, command palette) with playwright. See /work/shared/e2e/NOTES.md.
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

function prepareTempDirs() {
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
  fs.cpSync(FIXTURES, dirs.workspace, { recursive: true });
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

function workbenchUrl(port, dirs) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(EXTENSION_PATH)],
    ['extensionTestsPath', remote(SUITE_PATH)],
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

// Checks what a person sees: the Problems panel lists our findings, and the KB search command
// works from the command palette and opens an article.
async function runUiChecks(page, shotsDir) {
  const quickInput = page.locator('.quick-input-widget');
  const quickInputBox = quickInput.locator('.quick-input-box input');
  const quickRows = quickInput.locator('.quick-input-list .monaco-list-row');
  const tabs = page.locator('.tabs-container .tab');

  await check('UI: Problems panel lists kb-hints findings', 'problems', async () => {
    await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    const panel = page.locator('.markers-panel');
    await page.keyboard.press('Control+Shift+M');
    // The shortcut toggles the panel: if it was already open it just closed, so press again.
    if (!(await panel.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false))) {
      await page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible', timeout: 15000 });
    }
    await poll(async () => {
      const text = await panel.innerText();
      return /kb-hints|ecs-task-role-missing|elb-classic-not-recommended|k8s-service-classic-lb/.test(text);
    }, 'kb-hints findings in the Problems panel', 20000);
    await screenshot(page, shotsDir, 'problems.png');
  });

  await check('UI: KB Hints: Search Knowledge Base finds "fargate" and opens an article', 'kb-search', async () => {
    await page.keyboard.press('F1');
    await quickInput.waitFor({ state: 'visible', timeout: 15000 });
    await quickInputBox.fill('>KB Hints: Search Knowledge Base');
    // Enter runs the first (focused) row, so make sure that is our command.
    await poll(async () => (await quickRows.first().isVisible())
      && (await quickRows.first().innerText()).includes('Search Knowledge Base'),
    'the command palette to offer KB Hints: Search Knowledge Base', 15000);
    await page.keyboard.press('Enter');

    // The command's own quick pick replaces the palette: wait until the '>' prefix is gone.
    await poll(async () => {
      if (!(await quickInput.isVisible())) return false;
      return !(await quickInputBox.inputValue()).startsWith('>');
    }, 'the KB search quick pick', 15000);
    await page.keyboard.type('fargate');
    try {
      await quickRows.first().waitFor({ state: 'visible', timeout: 15000 });
    } catch {
      // An input box (no list) that searches on Enter is fine too.
      await page.keyboard.press('Enter');
      await quickRows.first().waitFor({ state: 'visible', timeout: 15000 });
    }
    await screenshot(page, shotsDir, 'kb-search.png');

    // The article may replace an existing preview tab or open in another editor group, so look
    // for a tab label that was not there before, or a new window title (it names the active editor).
    const labelsBefore = new Set((await tabs.allInnerTexts()).map(normalize));
    const titleBefore = await page.title();
    await page.keyboard.press('Enter');
    const opened = await poll(async () => {
      const added = (await tabs.allInnerTexts()).map(normalize).find((l) => !labelsBefore.has(l));
      if (added) return `tab "${added}"`;
      const title = await page.title();
      return title !== titleBefore && `window title "${title}"`;
    }, 'an article tab to open', 15000);
    console.log(`    opened: ${opened}`);
    // Best effort only (a picture, not a correctness check): let the article render.
    await page.locator('iframe.webview.ready, .editor-group-container.active .view-lines .view-line')
      .first().waitFor({ state: 'visible', timeout: 10000 }).catch(() => {});
    await screenshot(page, shotsDir, 'kb-article.png');
  });

  async function check(name, slug, fn) {
    try {
      await fn();
      record(name, true);
    } catch (err) {
      record(name, false, err.message);
      await screenshot(page, shotsDir, `failed-${slug}.png`).catch(() => {});
      // Leave no quick input open for the next check.
      await page.keyboard.press('Escape').catch(() => {});
    }
  }
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

await main();
