// More questionnaire journeys: keyboard only, the decision record download, the permalink
// after a reload, the whole journey with JavaScript disabled, and "Change your answers".
//
// Answers come from /api/questionnaire (question ids = input names, option ids = input values,
// input ids `q-{question}-{option}`). Each answer set's outcome is first confirmed with
// GET /api/recommend, so a change in the questionnaire's weights fails here with a clear message
// instead of as a puzzling heading mismatch in the browser.
const fs = require('node:fs');
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

test.use({ baseURL: h.baseUrl() });

/** Answers that give each outcome, as [question, option] pairs (multi-choice may repeat). */
const FLASK = [
  ['building', 'microservice'],
  ['size', 'small'],
  ['lifetime', 'short-lived'],
  ['team', 'one-or-two'],
  ['experience', 'experienced'],
  ['admin', 'no'],
  ['data', 'none'],
  ['auth', 'none'],
  ['interface', 'api-only'],
  ['concurrency', 'fan-out'],
  ['deadline', 'weeks-small'],
  ['components', 'our-own'],
  ['security', 'token-api'],
  ['hosting', 'small-containers'],
];
const DJANGO = [
  ['building', 'content-site'],
  ['size', 'large'],
  ['lifetime', 'stay-current'],
  ['team', 'several-teams'],
  ['experience', 'new'],
  ['admin', 'day-one'],
  ['data', 'relational-many'],
  ['auth', 'own-accounts'],
  ['interface', 'html'],
  // concurrency (optional) left unanswered on purpose.
  ['deadline', 'weeks-full'],
  ['components', 'built-in'],
  ['security', 'high-no-specialist'],
  // Two boxes of a multi-choice question, given out of questionnaire order.
  ['hosting', 'preflight-checks'],
  ['hosting', 'own-server'],
];
const TOSS_UP = [
  ['building', 'other'],
  ['size', 'not-sure'],
  ['lifetime', 'not-sure'],
  ['team', 'small-team'],
  ['experience', 'some'],
  ['admin', 'not-sure'],
  ['data', 'not-sure'],
  ['auth', 'external'],
  ['interface', 'not-sure'],
  ['deadline', 'no-rush'],
  ['components', 'no-preference'],
  ['security', 'ordinary'],
];

/** The outcomes: their answers, the API's value and the result page's h1. */
const OUTCOMES = {
  django: { answers: DJANGO, api: 'django', h1: 'Django' },
  flask: { answers: FLASK, api: 'flask', h1: 'Flask' },
  tossUp: { answers: TOSS_UP, api: null, h1: 'A toss-up' },
};
/** h1 → the words the decision record's title must contain. */
const RECORD_WORDS = { Django: 'Chosen option: "Django"', Flask: 'Chosen option: "Flask"', 'A toss-up': 'No option chosen yet' };

const toQuery = (answers) => new URLSearchParams(answers).toString();
const pairKey = ([q, o]) => `${q}=${o}`;
const pairSet = (answers) => [...new Set(answers.map(pairKey))].sort();

/** The questionnaire, from the JSON API. */
async function questionnaire(request) {
  const res = await request.get('/api/questionnaire');
  expect(res.status(), 'GET /api/questionnaire').toBe(200);
  const body = await res.json();
  expect(body.questions.length, 'the questionnaire has questions').toBeGreaterThan(0);
  return body.questions;
}

/** Confirms with GET /api/recommend that `outcome`'s answers still give that outcome. */
async function confirmOutcome(request, outcome) {
  const res = await request.get(`/api/recommend?${toQuery(outcome.answers)}`);
  expect(res.status(), `GET /api/recommend?${toQuery(outcome.answers)}`).toBe(200);
  const body = await res.json();
  expect(body.recommendation, `the API's recommendation for ${toQuery(outcome.answers)}`).toBe(outcome.api);
}

/** Every answer names a real question and option (so a renamed id fails loudly). */
function checkAnswersExist(questions, answers) {
  for (const [q, o] of answers) {
    const question = questions.find((x) => x.id === q);
    expect(question, `question ${q} in /api/questionnaire`).toBeTruthy();
    expect(question.options.map((x) => x.id), `options of ${q}`).toContain(o);
  }
}

/** Submits form#questions by clicking its button; returns the POST's response. */
async function clickSubmit(page) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/recommend'),
    page.locator('form#questions button[type="submit"]').click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** Answers by clicking each option's label, as a mouse user would. */
async function clickAnswers(page, answers) {
  for (const [q, o] of answers) {
    const input = page.locator(`[id="q-${q}-${o}"]`);
    await page.locator(`label[for="q-${q}-${o}"]`).click();
    await expect(input).toBeChecked();
  }
}

/** The checked inputs of form#questions as sorted "name=value" strings. */
async function checkedSet(page) {
  const pairs = await page
    .locator('form#questions input:checked')
    .evaluateAll((els) => els.map((el) => `${el.name}=${el.value}`));
  return pairs.sort();
}

/** What the result page shows: the h1 and the scores table's text. */
async function resultState(page) {
  return {
    h1: (await page.getByRole('heading', { level: 1 }).innerText()).trim(),
    scores: (await page.locator('table.scores').innerText()).trim(),
  };
}

async function expectClean(watch, { allowStatus } = {}) {
  const seen = await watch.collect();
  expect(seen.csp, 'CSP violations').toEqual([]);
  const errors = allowStatus
    ? seen.consoleErrors.filter((e) => !e.includes(`status of ${allowStatus}`))
    : seen.consoleErrors;
  expect(errors, 'console errors').toEqual([]);
}

/** What has keyboard focus, in terms of the form. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { what: 'body' };
    return {
      what: el.tagName.toLowerCase(),
      type: el.type || '',
      id: el.id || '',
      name: el.name || '',
      value: el.value || '',
      submit: el.matches('form#questions button[type="submit"]'),
    };
  });
}

test('keyboard only: Tab, arrow keys and Space fill the questionnaire, Enter submits', async ({ page, request }) => {
  const outcome = OUTCOMES.flask;
  const questions = await questionnaire(request);
  checkAnswersExist(questions, outcome.answers);
  await confirmOutcome(request, outcome);

  const watch = await h.monitor(page);
  await page.goto('/recommend');
  const wanted = new Map();
  for (const [q, o] of outcome.answers) wanted.set(q, [...(wanted.get(q) || []), o]);

  // Tab from the top of the page to the first question's first option.
  const first = questions[0];
  let f = await focused(page);
  for (let i = 0; i < 60 && f.name !== first.id; i += 1) {
    await page.keyboard.press('Tab');
    f = await focused(page);
  }
  expect(f.id, 'Tab reaches the first question').toBe(`q-${first.id}-${first.options[0].id}`);

  for (const q of questions) {
    const chosen = wanted.get(q.id) || [];
    const ids = q.options.map((o) => o.id);
    if (q.kind === 'multi') {
      // Each checkbox is a tab stop: Space toggles, Tab goes on.
      for (const o of ids) {
        f = await focused(page);
        expect(f.id, `Tab order inside ${q.id}`).toBe(`q-${q.id}-${o}`);
        if (chosen.includes(o)) {
          await page.keyboard.press('Space');
          await expect(page.locator(`[id="q-${q.id}-${o}"]`)).toBeChecked();
        }
        await page.keyboard.press('Tab');
      }
    } else {
      // A radio group is one tab stop; arrow keys move the selection within it.
      f = await focused(page);
      expect(f.name, `Tab lands in the ${q.id} group`).toBe(q.id);
      if (chosen.length) {
        const target = ids.indexOf(chosen[0]);
        let at = ids.indexOf(f.value);
        if (at === target) await page.keyboard.press('Space');
        for (; at < target; at += 1) await page.keyboard.press('ArrowDown');
        for (; at > target; at -= 1) await page.keyboard.press('ArrowUp');
        const input = page.locator(`[id="q-${q.id}-${chosen[0]}"]`);
        await expect(input).toBeFocused();
        await expect(input).toBeChecked();
      }
      await page.keyboard.press('Tab');
    }
  }

  // Every answer, and nothing else, is selected; focus is on the submit button.
  expect(await checkedSet(page)).toEqual(pairSet(outcome.answers));
  await expect(page.locator('form#questions button[type="submit"]')).toBeFocused();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/recommend'),
    page.keyboard.press('Enter'),
  ]);
  expect(response.status(), 'POST /recommend by keyboard').toBe(200);
  await page.waitForLoadState('load');
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(/^(Django|Flask|A toss-up)$/);
  await expect(heading).toHaveText(outcome.h1);
  await expectClean(watch);
});

for (const [name, outcome] of Object.entries(OUTCOMES)) {
  test(`decision record download: ${name}`, async ({ page, request }) => {
    await confirmOutcome(request, outcome);
    const watch = await h.monitor(page);
    // The form pre-filled from a query, then submitted: the ordinary result page.
    await page.goto(`/recommend?${toQuery(outcome.answers)}`);
    expect((await clickSubmit(page)).status()).toBe(200);
    const h1 = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
    expect(h1).toBe(outcome.h1);

    const link = page.getByRole('link', { name: 'Download decision record' });
    await expect(link).toHaveAttribute('download', 'versus-decision-record.md');
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/recommendation\.md\?/);
    // The record is of the same answers as the permalink, which also names the questionnaire's
    // version (`v`, which the record ignores).
    const permalink = await page.locator('a.permalink').getAttribute('href');
    expect(href.split('?')[1]).toBe(permalink.split('?')[1].replace(/&v=[0-9a-f]+$/, ''));

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('versus-decision-record.md');
    expect(new URL(download.url()).pathname).toBe('/recommendation.md');
    expect(await download.failure(), 'download failure').toBeNull();
    const text = fs.readFileSync(await download.path(), 'utf8');
    // A MADR 4.0 record: YAML front matter, then the decision's sections.
    expect(text.startsWith('---\nstatus: '), `record starts with its front matter:\n${text.slice(0, 200)}`).toBe(true);
    expect(text).toMatch(/^## Decision Outcome$/m);
    // The record's decision is the page's outcome sentence.
    const outcomeSentence = (await page.locator('.outcome').innerText()).trim();
    const decision = text.split(/^## Decision Outcome$/m)[1].split(/^#+ /m)[0];
    expect(decision).toContain(RECORD_WORDS[h1]);
    expect(decision).toContain(outcomeSentence);
    // The page did not navigate away: it stays on the result, at its permalink.
    await expect(page).toHaveURL(/\/recommendation\?/);
    await expectClean(watch);
  });
}

test('the permalink shows the same outcome and scores, also after a reload', async ({ page, request }) => {
  const outcome = OUTCOMES.django;
  await confirmOutcome(request, outcome);
  const watch = await h.monitor(page);
  await page.goto(`/recommend?${toQuery(outcome.answers)}`);
  expect((await clickSubmit(page)).status()).toBe(200);
  const posted = await resultState(page);
  expect(posted.h1).toBe(outcome.h1);
  expect(posted.scores).toMatch(/Django/);

  const permalink = page.locator('a.permalink');
  const href = await permalink.getAttribute('href');
  expect(href).toMatch(/^\/recommendation\?/);
  // One short link, not the address spelled out; the address to copy is absolute, on the
  // address this server is bound to (it runs without --base-url, on a port of its own).
  await expect(permalink).toHaveText('Link to this result');
  expect(await permalink.getAttribute('data-copy')).toBe(new URL(href, page.url()).href);
  await permalink.click();
  await expect(page).toHaveURL((u) => u.pathname + u.search === href);
  expect(await resultState(page)).toEqual(posted);

  const response = await page.reload();
  expect(response.status()).toBe(200);
  await expect(page).toHaveURL((u) => u.pathname + u.search === href);
  expect(await resultState(page)).toEqual(posted);
  await expectClean(watch);
});

test('without JavaScript: fill by mouse, get the result; empty submit gives a usable 422', async ({ browser, request }) => {
  const outcome = OUTCOMES.django;
  await confirmOutcome(request, outcome);
  const ctx = await browser.newContext({ baseURL: h.baseUrl(), javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    const watch = await h.monitor(page);
    await page.goto('/recommend');
    await clickAnswers(page, outcome.answers);
    expect((await clickSubmit(page)).status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(outcome.h1);
    await expect(page.getByRole('heading', { name: 'Why' })).toBeVisible();
    await expect(page.locator('a.permalink')).toHaveAttribute('href', /^\/recommendation\?/);

    await page.goto('/recommend');
    const response = await clickSubmit(page);
    expect(response.status()).toBe(422);
    const summary = page.locator('#error-summary');
    await expect(summary).toBeVisible();
    const link = summary.getByRole('link').first();
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^#[A-Za-z0-9_-]+$/);
    const id = href.slice(1);
    const target = page.locator(`[id="${id}"]`);
    await expect(target).toHaveCount(1);
    expect(await target.evaluate((el) => el.tagName.toLowerCase())).toBe('input');
    // Plain fragment navigation. (With JavaScript on, app.js cancels it and moves focus
    // instead, so the hash changing also shows that scripts really are off here.)
    await link.click();
    await expect(page).toHaveURL(new RegExp(`#${id}$`));
    await expectClean(watch, { allowStatus: 422 });
  } finally {
    await ctx.close();
  }
});

test('"Change your answers" returns to the form with exactly the answered options checked', async ({ page, request }) => {
  const outcome = OUTCOMES.django;
  await confirmOutcome(request, outcome);
  const watch = await h.monitor(page);
  await page.goto('/recommend');
  await clickAnswers(page, outcome.answers);
  expect((await clickSubmit(page)).status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(outcome.h1);
  // The answers summary: question prompt → the chosen labels joined with "; ".
  const summary = await page.locator('dl.answers > div').evaluateAll((rows) =>
    rows.map((r) => [r.querySelector('dt').textContent.trim(), r.querySelector('dd').textContent.trim()]),
  );

  const change = page.getByRole('link', { name: 'Change your answers' });
  const href = await change.getAttribute('href');
  await change.click();
  await expect(page).toHaveURL(/\/recommend\?/);
  expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(href);

  const checked = await checkedSet(page);
  expect(checked, 'checked inputs = the answers given').toEqual(pairSet(outcome.answers));
  expect(checked, 'checked inputs = the link\'s query').toEqual(pairSet([...new URLSearchParams(href.split('?')[1])]));
  // And the same as the summary on the result page, question by question.
  const onForm = await page.locator('form#questions fieldset').evaluateAll((sets) =>
    sets
      .map((fs) => {
        const legend = fs.querySelector('legend').cloneNode(true);
        legend.querySelectorAll('.optional').forEach((s) => s.remove());
        const labels = [...fs.querySelectorAll('input:checked')].map((i) =>
          document.querySelector(`label[for="${i.id}"]`).textContent.trim(),
        );
        return [legend.textContent.trim(), labels.join('; ')];
      })
      .filter(([, labels]) => labels !== ''),
  );
  expect(onForm, 'checked options on the form = the result page\'s answers summary').toEqual(summary);
  await expectClean(watch);
});

test('"Copy link" beside the result link copies its absolute address; without JavaScript the link stays', async ({ browser }) => {
  const outcome = OUTCOMES.django;
  for (const javaScriptEnabled of [true, false]) {
    const ctx = await browser.newContext({
      baseURL: h.baseUrl(),
      javaScriptEnabled,
      permissions: javaScriptEnabled ? ['clipboard-read', 'clipboard-write'] : [],
    });
    try {
      const page = await ctx.newPage();
      await page.goto(`/recommendation?${toQuery(outcome.answers)}`);
      const link = page.getByRole('link', { name: 'Link to this result' });
      await expect(link).toBeVisible();
      const absolute = new URL(await link.getAttribute('href'), page.url()).href;
      const button = page.getByRole('button', { name: `Copy link: ${absolute}` });
      if (!javaScriptEnabled) {
        await expect(button).toHaveCount(0);
        continue;
      }
      await button.click();
      await expect(page.getByRole('status')).toHaveText('Copied');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(absolute);
    } finally {
      await ctx.close();
    }
  }
});
