// Questionnaire journeys (/recommend, /recommendation). The questionnaire is being built by
// another engineer, so these tests drive it through its markup (fieldsets, inputs, the submit
// button, the error summary) rather than through particular question ids, and cover only what
// exists. If /recommend answers 404 (a tree without the questionnaire), every test here is
// skipped with that reason, visibly: nothing is skipped silently.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

test.use({ baseURL: h.baseUrl() });

test.beforeEach(async ({ request }) => {
  const probe = await request.get('/recommend', { maxRedirects: 0 });
  if (probe.status() === 404) {
    const reason = '/recommend answers 404: the questionnaire is not built yet';
    console.warn(`SKIPPED questionnaire test: ${reason}`);
    test.skip(true, reason);
  }
  expect(probe.status(), 'GET /recommend').toBe(200);
});

/** Answers every question with its first option (radio or checkbox) by clicking its label. */
async function answerFirstOptions(page) {
  const fieldsets = page.locator('form#questions fieldset');
  const count = await fieldsets.count();
  expect(count, 'the form has questions').toBeGreaterThan(0);
  const chosen = [];
  for (let i = 0; i < count; i += 1) {
    const input = fieldsets.nth(i).locator('input[type="radio"], input[type="checkbox"]').first();
    const id = await input.getAttribute('id');
    await page.locator(`label[for="${id}"]`).click();
    await expect(input).toBeChecked();
    chosen.push(id);
  }
  return chosen;
}

async function submit(page) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/recommend'),
    page.locator('form#questions button[type="submit"]').click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

test('home → questionnaire → recommendation → permalink → change answers', async ({ page }) => {
  const watch = await h.monitor(page);
  await page.goto('/');
  await page.getByRole('link', { name: /^Decide for yourself/ }).click();
  await expect(page).toHaveURL(/\/recommend$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  const chosen = await answerFirstOptions(page);
  const response = await submit(page);
  expect(response.status(), 'POST /recommend with every question answered').toBe(200);
  // The result has its own address: the permalink the server names in Content-Location.
  const location = response.headers()['content-location'];
  expect(location).toMatch(/^\/recommendation\?/);
  await expect(page).toHaveURL(new RegExp(location.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$'));
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toBeVisible();
  const verdict = (await heading.textContent()).trim();
  await expect(page.getByRole('heading', { name: 'Why' })).toBeVisible();

  // The permalink shows the same recommendation.
  const permalink = page.locator('a.permalink');
  const href = await permalink.getAttribute('href');
  expect(href).toMatch(/\/recommendation\?/);
  await page.goto(href);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(verdict);

  // "Change your answers" returns to the form with the same answers selected.
  await page.getByRole('link', { name: 'Change your answers' }).click();
  await expect(page).toHaveURL(/\/recommend\?/);
  for (const id of chosen) await expect(page.locator(`[id="${id}"]`)).toBeChecked();

  const seen = await watch.collect();
  expect(seen.csp, 'CSP violations').toEqual([]);
  expect(seen.consoleErrors, 'console errors').toEqual([]);
});

test('submitting no answers: 422, focused error summary, its links focus the question', async ({ page }) => {
  const watch = await h.monitor(page);
  await page.goto('/recommend');
  const response = await submit(page);
  expect(response.status()).toBe(422);
  const summary = page.locator('#error-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toHaveAttribute('role', 'alert');
  await expect(summary).toBeFocused();

  const link = summary.getByRole('link').first();
  const target = (await link.getAttribute('href')).slice(1);
  await link.click();
  await expect(page.locator(`[id="${target}"]`)).toBeFocused();

  const seen = await watch.collect();
  expect(seen.csp, 'CSP violations').toEqual([]);
  // The 422 document itself is logged by the browser as a failed load; nothing else may be.
  expect(seen.consoleErrors.filter((e) => !/status of 422/.test(e)), 'console errors').toEqual([]);
});

test('axe: the result page and the error state have no WCAG A/AA violations', async ({ browser }) => {
  const ctx = await browser.newContext({ baseURL: h.baseUrl(), bypassCSP: true }); // axe injection only
  try {
    const page = await ctx.newPage();
    const problems = [];
    const check = async (label) => {
      for (const viewport of [{ width: 360, height: 800 }, { width: 1280, height: 900 }]) {
        await page.setViewportSize(viewport);
        const v = await h.runAxe(page, { runOnly: { type: 'tag', values: h.WCAG_TAGS } });
        if (v.length) problems.push(h.formatViolations(v, `${label} @${viewport.width}px`));
      }
    };
    await page.goto('/recommend');
    expect((await submit(page)).status()).toBe(422);
    await check('error state of /recommend');
    await page.goto('/recommend');
    await answerFirstOptions(page);
    expect((await submit(page)).status()).toBe(200);
    await check('recommendation page');
    expect(problems.length, problems.join('\n\n')).toBe(0);
  } finally {
    await ctx.close();
  }
});

test('color-contrast of the form and the result in dark mode and print', async ({ browser }) => {
  const problems = [];
  for (const mode of [
    { name: 'dark', colorScheme: 'dark', media: 'screen' },
    { name: 'print', colorScheme: 'light', media: 'print' },
  ]) {
    const ctx = await browser.newContext({ baseURL: h.baseUrl(), colorScheme: mode.colorScheme, bypassCSP: true });
    try {
      const page = await ctx.newPage();
      await page.emulateMedia({ media: mode.media, colorScheme: mode.colorScheme });
      await page.goto('/recommend');
      expect((await submit(page)).status()).toBe(422); // the form, with its error styles showing
      let v = await h.runAxe(page, { runOnly: { type: 'rule', values: ['color-contrast'] } });
      if (v.length) problems.push(h.formatViolations(v, `form with errors (${mode.name})`));
      await answerFirstOptions(page);
      expect((await submit(page)).status()).toBe(200);
      v = await h.runAxe(page, { runOnly: { type: 'rule', values: ['color-contrast'] } });
      if (v.length) problems.push(h.formatViolations(v, `recommendation (${mode.name})`));
    } finally {
      await ctx.close();
    }
  }
  expect(problems.length, problems.join('\n\n')).toBe(0);
});
