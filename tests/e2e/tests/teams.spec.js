// Team decisions in a real browser: two people in two browser contexts, with JavaScript and
// without it, by keyboard; axe-core on every team page at a phone and a desktop width; and both
// decision records checked by markdownlint (markdownlint-cli2, the peer tool for Markdown).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

test.use({ baseURL: h.baseUrl() });
test.describe.configure({ timeout: 90_000 });

const WIDTHS = [
  { width: 360, height: 800 },
  { width: 1280, height: 900 },
];

/** The questionnaire's required questions with the option each person picks. */
async function answersFor(request, pick) {
  const q = await (await request.get('/api/questionnaire')).json();
  return q.questions
    .filter((question) => question.required)
    .map((question) => [question.id, pick(question.options).id]);
}

/** Fills the team form: name, the answers (by their input ids), an optional comment. */
async function fill(page, name, answers, comment) {
  await page.getByLabel('Your name').fill(name);
  for (const [question, option] of answers) {
    await page.locator(`#q-${question}-${option}`).check();
  }
  if (comment) await page.getByLabel(/Why\?/).fill(comment);
}

async function startTeam(page, title) {
  await page.goto('/recommend');
  await page.getByRole('link', { name: 'Decide as a team' }).first().click();
  await expect(page).toHaveURL(/\/teams$/);
  await page.getByLabel('What is the team deciding?').fill(title);
  await page.getByRole('button', { name: 'Start the decision' }).click();
  await expect(page.getByText('Keep this page’s link')).toBeVisible();
  const share = await page.locator('section[aria-labelledby=share] a.permalink').getAttribute('href');
  return { organiser: page.url(), share: new URL(share).pathname };
}

test('two people answer one decision in two browsers and see the combined result', async ({ browser, request }) => {
  const first = await answersFor(request, (options) => options[0]);
  const last = await answersFor(request, (options) => options[options.length - 1]);
  const a = await browser.newContext();
  const b = await browser.newContext();
  try {
    const organiser = await a.newPage();
    const watch = await h.monitor(organiser);
    const { share } = await startTeam(organiser, 'Framework for the booking service');

    // Bo opens the share link in another browser and answers.
    const bo = await b.newPage();
    await bo.goto(share);
    await expect(bo.getByRole('heading', { level: 1 })).toHaveText('Framework for the booking service');
    await bo.getByRole('link', { name: 'Add your answers' }).click();
    await fill(bo, 'Bo', last, 'We mostly write APIs');
    await bo.getByRole('button', { name: 'Add my answers' }).click();
    await expect(bo).toHaveURL(new RegExp(`${share}#you$`));
    await expect(bo.getByText('You answered as')).toBeVisible();

    // The organiser answers too, differently.
    await organiser.goto(share);
    await organiser.getByRole('link', { name: 'Add your answers' }).click();
    await fill(organiser, 'Ana', first);
    await organiser.getByRole('button', { name: 'Add my answers' }).click();
    await expect(organiser.getByRole('heading', { name: /The team’s result/ })).toBeVisible();
    await expect(organiser.getByRole('rowheader', { name: 'Ana' })).toBeVisible();
    await expect(organiser.getByRole('rowheader', { name: 'Bo' })).toBeVisible();
    await expect(organiser.getByRole('heading', { name: 'Where the team disagrees' })).toBeVisible();

    // Bo sees Ana's answer without reloading anything but the page.
    await bo.goto(share);
    await expect(bo.getByRole('rowheader', { name: 'Ana' })).toBeVisible();
    const seen = await watch.collect();
    expect(seen.csp, 'CSP violations').toEqual([]);
    expect(seen.consoleErrors, 'console errors').toEqual([]);
  } finally {
    await a.close();
    await b.close();
  }
});

test('the whole team journey works with JavaScript off, and a refused name keeps what was typed', async ({ browser, request }) => {
  const answers = await answersFor(request, (options) => options[0]);
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    const { share } = await startTeam(page, 'No-script decision');
    await page.goto(`${share}/join`);
    // No name: refused, with everything else kept (the field's maxlength stops an over-long one).
    await fill(page, '', answers, 'kept comment');
    await page.getByRole('button', { name: 'Add my answers' }).click();
    await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    await expect(page.getByLabel(/Why\?/)).toHaveValue('kept comment');
    await expect(page.locator(`#q-${answers[0][0]}-${answers[0][1]}`)).toBeChecked();
    await page.getByLabel('Your name').fill('Cy');
    await page.getByRole('button', { name: 'Add my answers' }).click();
    await expect(page.getByText('You answered as')).toBeVisible();
    await expect(page.getByRole('rowheader', { name: 'Cy' })).toBeVisible();
  } finally {
    await ctx.close();
  }
});

test('a decision can be started and answered by keyboard alone', async ({ page, request }) => {
  const answers = await answersFor(request, (options) => options[0]);
  await page.goto('/teams');
  await page.keyboard.press('Tab');
  // Tab until the title field has focus, then type and submit with Enter.
  for (let i = 0; i < 30; i += 1) {
    if (await page.evaluate(() => document.activeElement && document.activeElement.id === 'team-title')) break;
    await page.keyboard.press('Tab');
  }
  await expect(page.locator('#team-title')).toBeFocused();
  await page.keyboard.type('Keyboard decision');
  await page.keyboard.press('Enter');
  await expect(page.getByText('Keep this page’s link')).toBeVisible();
  const share = new URL(await page.locator('section[aria-labelledby=share] a.permalink').getAttribute('href')).pathname;
  await page.goto(`${share}/join`);
  await page.locator('#team-name').focus();
  await page.keyboard.type('Kim');
  for (const [question, option] of answers) {
    await page.locator(`#q-${question}-${option}`).focus();
    await page.keyboard.press('Space');
  }
  await page.locator('#questions button[type=submit]').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('rowheader', { name: 'Kim' })).toBeVisible();
});

test('team pages pass axe at 360 and 1280 px, and both records pass markdownlint', async ({ browser, request }) => {
  const answers = await answersFor(request, (options) => options[0]);
  const created = await (await request.post('/api/teams', { data: { title: 'Accessible decision' } })).json();
  const team = created.team;
  const organiser = new URL(created.organiser_url).pathname;
  const body = { name: 'Dee <b>', answers: Object.fromEntries(answers), comment: 'Because' };
  const joined = await request.post(`/api/teams/${team}/answers`, { data: body });
  expect(joined.status()).toBe(201);
  const edit = new URL((await joined.json()).edit_url).pathname;

  const ctx = await browser.newContext({ viewport: WIDTHS[0], bypassCSP: true });
  try {
    const page = await ctx.newPage();
    for (const target of ['/teams', `/teams/${team}`, `/teams/${team}/join`, `${organiser}?created=1`, edit]) {
      await page.goto(target);
      for (const viewport of WIDTHS) {
        await page.setViewportSize(viewport);
        const violations = await h.runAxe(page, { runOnly: { type: 'tag', values: h.WCAG_TAGS } });
        expect.soft(violations.length, h.formatViolations(violations, `axe ${target} @${viewport.width}px`)).toBe(0);
        const overflow = await h.horizontalOverflow(page);
        expect
          .soft(overflow.scrollWidth, `overflow on ${target} at ${viewport.width}px:\n${overflow.offenders.join('\n')}`)
          .toBeLessThanOrEqual(overflow.innerWidth);
      }
    }
  } finally {
    await ctx.close();
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'versus-records-'));
  try {
    const query = new URLSearchParams(answers).toString();
    const records = {
      'single.md': await (await request.get(`/recommendation.md?${query}`)).text(),
      'team.md': await (await request.get(`/teams/${team}/record.md`)).text(),
    };
    for (const [name, text] of Object.entries(records)) {
      expect(text.startsWith('---\nstatus: '), `${name} has MADR front matter`).toBe(true);
      fs.writeFileSync(path.join(dir, name), text);
    }
    const config = path.join(__dirname, '..', '.markdownlint-cli2.jsonc');
    fs.copyFileSync(config, path.join(dir, '.markdownlint-cli2.jsonc'));
    const cli = path.join(__dirname, '..', 'node_modules', '.bin', 'markdownlint-cli2');
    let output = '';
    let failed = false;
    try {
      output = execFileSync(cli, ['single.md', 'team.md'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      failed = true;
      output = `${e.stdout || ''}${e.stderr || ''}`;
    }
    expect(failed, `markdownlint-cli2 found problems:\n${output}`).toBe(false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the records of an accepted, a rejected, a deprecated and a superseded decision pass markdownlint and say their status', async ({ request }) => {
  const answers = Object.fromEntries(await answersFor(request, (options) => options[0]));
  /** A decision with one member, closed with `outcome`; its id and organiser path. */
  async function decided(title, outcome) {
    const created = await (await request.post('/api/teams', { data: { title } })).json();
    const organiser = new URL(created.organiser_url).pathname;
    const joined = await request.post(`/api/teams/${created.team}/answers`, { data: { name: 'Ana', answers } });
    expect(joined.status()).toBe(201);
    const closed = await request.post(`/api${organiser}/close`, { data: { outcome, rationale: 'Stated on purpose' } });
    expect(closed.status(), `closing ${title}`).toBe(200);
    return { team: created.team, organiser, url: created.organiser_url };
  }
  const accepted = await decided('Accepted one', 'django');
  const rejected = await decided('Rejected one', 'none');
  const deprecated = await decided('Deprecated one', 'flask');
  expect((await request.post(`/api${deprecated.organiser}/deprecate`, { data: {} })).status()).toBe(200);
  const superseded = await decided('Superseded one', 'django');
  const replaced = await request.post(`/api${superseded.organiser}/supersede`, { data: { by: [accepted.url] } });
  expect(replaced.status()).toBe(200);

  const expected = {
    'accepted.md': [accepted, /^status: accepted$/m],
    'rejected.md': [rejected, /^status: rejected$/m],
    'deprecated.md': [deprecated, /^status: deprecated$/m],
    'superseded.md': [superseded, /^status: superseded by http\S+\/teams\/view\/[0-9a-f]{32}$/m],
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'versus-lifecycle-'));
  try {
    for (const [name, [decision, status]] of Object.entries(expected)) {
      const text = await (await request.get(`/teams/${decision.team}/record.md`)).text();
      expect(text, name).toMatch(status);
      expect(text.includes(`/teams/${decision.team}`), `${name} carries no share link`).toBe(false);
      fs.writeFileSync(path.join(dir, name), text);
    }
    const config = path.join(__dirname, '..', '.markdownlint-cli2.jsonc');
    fs.copyFileSync(config, path.join(dir, '.markdownlint-cli2.jsonc'));
    const cli = path.join(__dirname, '..', 'node_modules', '.bin', 'markdownlint-cli2');
    let output = '';
    let failed = false;
    try {
      output = execFileSync(cli, Object.keys(expected), { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      failed = true;
      output = `${e.stdout || ''}${e.stderr || ''}`;
    }
    expect(failed, `markdownlint-cli2 found problems:\n${output}`).toBe(false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
