// A decided decision whose evidence changed, as a reader sees it in the browser: the suite's
// server cannot change its content, so this file starts its own (the same binary) on a copy of
// the content, decides, changes a weight and a reason's wording, and restarts on the same
// database. The panel must read on a phone and on a desktop, pass axe, and the record must say
// what changed.
const { test, expect } = require('@playwright/test');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { screenshotDir, horizontalOverflow, runAxe, formatViolations, WCAG_TAGS } = require('./helpers');

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const bin = path.resolve(repoRoot, process.env.VERSUS_BIN || 'target/debug/versus');

/** Starts the binary on a free loopback port and resolves with its origin and process. */
function serve(content, database) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['serve', '--bind', '127.0.0.1:0', '--content', content, '--database', database], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`no address within 15 s:\n${log}`)), 15_000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ origin: m[1], child });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${log}`));
    });
  });
}

function stop(server) {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

async function api(origin, method, url, body) {
  const response = await fetch(origin + url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The shop answer's weight lowered and its reason reworded, with no change entry. */
function changeTheEvidence(content) {
  const file = path.join(content, 'questionnaire.toml');
  const text = fs.readFileSync(file, 'utf8');
  const at = text.indexOf('id = "shop"');
  expect(at, 'the shop option').toBeGreaterThan(0);
  const after = text
    .slice(at)
    .replace('weights = { django = 2, flask = 0 }', 'weights = { django = 1, flask = 0 }')
    .replace(/why = "[^"]*"/, 'why = "django-oscar and Saleor are Django projects; no Flask package of similar scope was found in this review."');
  expect(after).not.toBe(text.slice(at));
  fs.writeFileSync(file, text.slice(0, at) + after);
}

test.describe('a decision whose evidence changed', () => {
  // One server and one decision for the whole file.
  test.describe.configure({ mode: 'serial' });
  let dir;
  let server;
  let decision;

  test.beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'versus-drift-'));
    const content = path.join(dir, 'content');
    fs.cpSync(path.join(repoRoot, 'content'), content, { recursive: true });
    const database = `sqlite:${path.join(dir, 'teams.db')}`;

    server = await serve(content, database);
    const created = await api(server.origin, 'POST', '/api/teams', { title: 'Shop platform' });
    const team = created.team;
    const key = new URL(created.organiser_url).pathname.split('/').pop();
    for (const [name, answers] of [
      ['Asha', { building: 'shop', admin: 'day-one' }],
      ['Ben', { building: 'shop' }],
    ]) {
      await api(server.origin, 'POST', `/api/teams/${team}/answers`, { name, answers });
    }
    await api(server.origin, 'POST', `/api/teams/${team}/organiser/${key}/close`, { outcome: 'django' });
    const before = await api(server.origin, 'GET', `/api/teams/${team}`);
    expect(before.drift).toBeNull();
    decision = { team, view: new URL(before.links.view).pathname };
    await stop(server);

    changeTheEvidence(content);
    server = await serve(content, database);
  });

  test.afterAll(async () => {
    if (server) await stop(server);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [width, height] of [
    [360, 800],
    [1280, 900],
  ]) {
    test(`the team page says what changed, at ${width} px`, async ({ browser }) => {
      const context = await browser.newContext({ viewport: { width, height }, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(server.origin + decision.view);
      const panel = page.locator('section.drift');
      await expect(panel).toBeVisible();
      await expect(panel.getByRole('heading', { level: 2 })).toHaveText(/Needs review|evidence has changed/);
      await expect(panel).toContainText('Since you decided on');
      // Each change links the entry or the evidence that explains it, on this site.
      const links = panel.locator('li a');
      expect(await links.count()).toBeGreaterThan(0);
      for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
        expect(href).toMatch(/^\//);
      }
      const overflow = await horizontalOverflow(page);
      expect(overflow.scrollWidth, overflow.offenders.join('\n')).toBeLessThanOrEqual(overflow.innerWidth);
      const violations = await runAxe(page, { runOnly: { type: 'tag', values: WCAG_TAGS } });
      expect(violations, formatViolations(violations, decision.view)).toEqual([]);
      await panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshotDir(), `drift-team-page-${width}.png`), fullPage: width === 360 });
      await context.close();
    });
  }

  test('the record has a "Since the Decision" section', async ({ page }) => {
    const record = await (await fetch(`${server.origin}${decision.view}/record.md`)).text();
    expect(record).toContain('## Since the Decision');
    const since = record.slice(record.indexOf('## Since the Decision'));
    expect(since).toMatch(/django-commerce|shop/);
    // A record is plain Markdown: shown as text for the screenshot.
    await page.setViewportSize({ width: 900, height: 900 });
    await page.setContent('<pre id="record"></pre>');
    await page.locator('#record').evaluate((el, text) => {
      el.textContent = text;
      el.style.whiteSpace = 'pre-wrap';
      el.style.font = '14px monospace';
    }, record);
    await page.locator('#record').screenshot({ path: path.join(screenshotDir(), 'drift-record.png') });
  });
});
