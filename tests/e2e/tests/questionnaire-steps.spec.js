// The questionnaire as named steps with one required question, its error wording, the size of
// its touch targets, and a result that says how fragile its lead is, at a phone's and a
// desktop's width. The bundled content is assumed: "What are you building?" is the one required
// question and the SaaS example is a lead that single changes can unseat (checked through the
// JSON API first, so a content change fails with a clear message).
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

test.use({ baseURL: h.baseUrl() });

const VIEWPORTS = [
  { width: 360, height: 800 },
  { width: 1280, height: 900 },
];

async function submit(page) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/recommend'),
    page.locator('form#questions button[type="submit"]').click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}px`, () => {
    test.use({ viewport });

    test('the form reads as named steps, says once what is required, and gives no hint twice', async ({ page }) => {
      const watch = await h.monitor(page);
      await page.goto('/recommend');
      const progress = page.getByRole('navigation', { name: 'Steps of the questionnaire' });
      await expect(progress).toBeVisible();
      const items = progress.getByRole('listitem');
      const steps = await items.count();
      expect(steps, 'a few named steps').toBeGreaterThanOrEqual(3);
      const headings = page.locator('form#questions h2.step-title');
      await expect(headings).toHaveCount(steps);
      for (let i = 0; i < steps; i += 1) {
        await expect(headings.nth(i).locator('.step-count')).toHaveText(`Step ${i + 1} of ${steps}`);
        // Each entry of the progress list leads to its step.
        const href = await items.nth(i).getByRole('link').getAttribute('href');
        expect(href).toBe(`#${await headings.nth(i).getAttribute('id')}`);
      }
      // Every question sits in a step.
      const fieldsets = await page.locator('form#questions fieldset').count();
      expect(await page.locator('form#questions section.step fieldset').count()).toBe(fieldsets);

      await expect(page.locator('.required-note')).toHaveText(/marked “required” needs an answer/);
      await expect(page.locator('legend .optional')).toHaveCount(1);
      await expect(page.locator('legend .optional')).toHaveText('(required)');
      const legend = page.locator('legend', { has: page.locator('.optional') });
      await expect(legend).toHaveText('What are you building? (required)');

      const hints = await page.locator('form#questions .hint').allInnerTexts();
      for (const hint of hints) {
        expect(hint, 'a hint says "optional" nowhere').not.toMatch(/optional/i);
        expect(hint, 'a hint says "tick all" nowhere').not.toMatch(/tick all/i);
        expect(hint.match(/Select all that apply/g)?.length ?? 0, hint).toBeLessThanOrEqual(1);
      }
      await page.screenshot({ path: `${h.screenshotDir()}/recommend-steps-${viewport.width}.png`, fullPage: false });
      const seen = await watch.collect();
      expect(seen.csp, 'CSP violations').toEqual([]);
      expect(seen.consoleErrors, 'console errors').toEqual([]);
    });

    test('every radio and checkbox has a touch target at least 40px each way, over its input', async ({ page }) => {
      await page.goto('/recommend');
      const small = await page.locator('form#questions .choice').evaluateAll((choices) =>
        choices
          .map((choice) => {
            const input = choice.querySelector('input').getBoundingClientRect();
            const label = choice.querySelector('label').getBoundingClientRect();
            const covers =
              label.left <= input.left && label.right >= input.right && label.top <= input.top && label.bottom >= input.bottom;
            return { id: choice.querySelector('input').id, width: label.width, height: label.height, covers };
          })
          .filter((t) => t.width < 40 || t.height < 40 || !t.covers),
      );
      expect(small, 'targets smaller than 40px or not over their input').toEqual([]);
      // A tap on the label's empty edge, away from the text, still chooses the option.
      const label = page.locator('label[for="q-size-medium"]');
      await label.scrollIntoViewIfNeeded();
      const box = await label.boundingBox();
      await page.mouse.click(box.x + box.width - 4, box.y + box.height - 3);
      await expect(page.locator('#q-size-medium')).toBeChecked();
    });

    test('an empty submit: one error that says what to do, in the summary and beside the question', async ({ page }) => {
      const watch = await h.monitor(page);
      await page.goto('/recommend');
      const response = await submit(page);
      expect(response.status()).toBe(422);
      const summary = page.locator('#error-summary');
      await expect(summary).toBeFocused();
      const links = summary.getByRole('link');
      await expect(links).toHaveCount(1);
      await expect(links).toHaveText('Select what you are building');
      await expect(page.locator('#q-building-error')).toHaveText('Error: Select what you are building');
      await links.click();
      await expect(page.locator('#q-building-content-site')).toBeFocused();
      await page.screenshot({ path: `${h.screenshotDir()}/recommend-error-${viewport.width}.png`, fullPage: false });
      const seen = await watch.collect();
      expect(seen.consoleErrors.filter((e) => !/status of 422/.test(e)), 'console errors').toEqual([]);
    });

    test('an example result names its example, says how fragile its lead is, and shows points', async ({ page, request }) => {
      const watch = await h.monitor(page);
      await page.goto('/recommend');
      const example = page.locator('section.examples').getByRole('link', { name: 'A two-person SaaS MVP' });
      const href = await example.getAttribute('href');
      const api = await (await request.get(href.replace('/recommendation?', '/api/recommend?'))).json();
      expect(api.recommendation, 'the API still recommends Django for the SaaS example').toBe('django');
      expect(api.flips.length, 'single changes can unseat its lead').toBeGreaterThan(0);
      const questions = new Set(api.flips.map((f) => f.question)).size;

      await example.click();
      await expect(page).toHaveURL(/\/recommendation\?/);
      await expect(page.locator('.example-note')).toContainText('For the example “A two-person SaaS MVP”');
      await expect(page.locator('.eyebrow')).toHaveText(/fragile lead/i);
      await expect(page.locator('.outcome')).toHaveText(
        new RegExp(`^Django leads for your answers, \\d+ points to Flask’s \\d+, but changing your answer to any one of ${questions} questions would make it`),
      );
      // Points, not shares of all points.
      await expect(page.locator('table.scores')).not.toContainText('%');
      // The answers that moved nothing, with why.
      const unmoved = page.locator('section[aria-labelledby="no-points"]');
      await expect(unmoved).toContainText('An MVP or prototype to test an idea');
      await expect(unmoved).toContainText('Both are quick to start');
      await page.screenshot({ path: `${h.screenshotDir()}/result-fragile-${viewport.width}.png`, fullPage: false });
      const seen = await watch.collect();
      expect(seen.csp, 'CSP violations').toEqual([]);
      expect(seen.consoleErrors, 'console errors').toEqual([]);
    });
  });
}

test('axe: the stepped form, its error state and an example result have no WCAG A/AA violations', async ({ browser }) => {
  const ctx = await browser.newContext({ baseURL: h.baseUrl(), bypassCSP: true }); // axe injection only
  try {
    const page = await ctx.newPage();
    const problems = [];
    const check = async (label) => {
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport);
        const v = await h.runAxe(page, { runOnly: { type: 'tag', values: h.WCAG_TAGS } });
        if (v.length) problems.push(h.formatViolations(v, `${label} @${viewport.width}px`));
      }
    };
    await page.goto('/recommend');
    await check('/recommend');
    expect((await submit(page)).status()).toBe(422);
    await check('error state of /recommend');
    await page.goto('/recommend');
    await page.locator('section.examples').getByRole('link', { name: 'A two-person SaaS MVP' }).click();
    await page.waitForLoadState('load');
    await check('the SaaS example result');
    expect(problems.length, problems.join('\n\n')).toBe(0);
  } finally {
    await ctx.close();
  }
});
