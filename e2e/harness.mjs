// Test harness: starts `parkos demo` on a free port and Debian's Chromium headless.
// Browsers are never downloaded: CHROMIUM (default /usr/bin/chromium) must exist.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const outputDir = new URL('./output/', import.meta.url).pathname;
mkdirSync(outputDir, { recursive: true });

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

export async function startParkOS() {
  const port = await freePort();
  const bin = process.env.PARKOS_BIN || new URL('../bin/parkos', import.meta.url).pathname;
  // The first demo builds the data set and keeps a snapshot here; the others start from it.
  const cache = process.env.PARKOS_DEMO_CACHE || outputDir + 'demo-cache';
  const proc = spawn(bin, ['demo', '--addr', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PARKOS_DB: '', PARKOS_DEMO_CACHE: cache } });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(base + '/readyz')).ok) return { base, proc, log: () => log }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill();
  throw new Error('parkos demo did not become ready:\n' + log);
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

export async function login(browser, base, username, password = 'demo') {
  // A browser set to Chinese, as park staff's are; English is chosen in the app.
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  page.on('pageerror', (err) => { throw err; });
  await page.goto(base + '/login');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState('load'), page.click('#login-submit')]);
  return page;
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// axe runs through the DevTools protocol, which the page's Content-Security-Policy does not
// govern, so the page under test keeps its real CSP.
export async function seriousA11yViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

export async function shot(page, name) {
  await page.screenshot({ path: `${outputDir}${name}.png`, fullPage: true });
}
