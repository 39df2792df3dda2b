// A team lead's whole journey, at a phone's and a desktop's width: start a decision, share it,
// two people answer differently (each in their own browser, JavaScript off), read where they
// disagree and whose answer would change the result, close with an outcome the team chose (by
// keyboard), and download the record. axe-core runs on the team and organiser pages at each
// step that changes them; screenshots go to the screenshot directory.
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

test.use({ baseURL: h.baseUrl() });
test.describe.configure({ timeout: 120_000 });

const WIDTHS = [
  { width: 360, height: 800 },
  { width: 1280, height: 900 },
];

/** Ana leans Django, Bo leans Flask: together a toss-up that either of them could settle. */
const PEOPLE = [
  ['Ana', { building: 'shop', admin: 'day-one' }],
  ['Bo', { building: 'microservice', admin: 'custom' }],
];

async function axeClean(page, label) {
  const violations = await h.runAxe(page, { runOnly: { type: 'tag', values: h.WCAG_TAGS } });
  expect.soft(violations, h.formatViolations(violations, label)).toEqual([]);
  const overflow = await h.horizontalOverflow(page);
  expect
    .soft(overflow.scrollWidth, `overflow on ${label}:\n${overflow.offenders.join('\n')}`)
    .toBeLessThanOrEqual(overflow.innerWidth);
}

for (const viewport of WIDTHS) {
  test(`a lead runs a decision start to finish at ${viewport.width} px`, async ({ browser, request }) => {
    const shots = h.screenshotDir();
    // The lead, with JavaScript (for axe) but working the forms by keyboard where it matters.
    const lead = await browser.newContext({ viewport, bypassCSP: true });
    const page = await lead.newPage();
    await page.goto('/');
    await page.getByRole('link', { name: 'Decide as a team' }).first().click();
    await expect(page).toHaveURL(/\/teams$/);
    await page.getByLabel('What is the team deciding?').fill(`Booking service at ${viewport.width}`);
    await page.getByRole('button', { name: 'Start the decision' }).click();
    await expect(page.getByRole('heading', { name: 'What to do next' })).toBeVisible();
    const organiser = page.url();
    const share = new URL(
      await page.locator('section[aria-labelledby=share] a.permalink').getAttribute('href'),
    ).pathname;
    await axeClean(page, `organiser page, new, @${viewport.width}`);

    // Two teammates answer through the share link, each in a browser without JavaScript.
    for (const [name, answers] of PEOPLE) {
      const ctx = await browser.newContext({ viewport, javaScriptEnabled: false });
      const member = await ctx.newPage();
      await member.goto(share);
      await member.getByRole('link', { name: 'Add your answers' }).click();
      await member.getByLabel('Your name').fill(name);
      for (const [question, option] of Object.entries(answers)) {
        await member.locator(`#q-${question}-${option}`).check();
      }
      await member.getByRole('button', { name: 'Add my answers' }).click();
      await expect(member.getByText('You answered as')).toBeVisible();
      // A member who answered is offered a change, not a second set of answers.
      await expect(member.getByRole('link', { name: 'Change your answers' })).toBeVisible();
      await ctx.close();
    }

    // The team page leads with the result, then whose answer would change it.
    await page.goto(share);
    await expect(page.getByRole('heading', { level: 2, name: /The team’s result: a toss-up/ })).toBeVisible();
    await expect(page.getByText('Each member’s own result: Django 1 · Flask 1.')).toBeVisible();
    const disagreements = page.locator('section[aria-labelledby=disagreements]');
    await expect(disagreements.getByText(/^If Bo answered “An online shop” instead of/).first()).toBeVisible();
    await expect(page.getByRole('heading', { level: 3, name: 'Ana: Django (strong)' })).toBeVisible();
    await axeClean(page, `team page, open, @${viewport.width}`);
    await page.screenshot({ path: path.join(shots, `lead-team-page-open-${viewport.width}.png`), fullPage: true });

    // The organiser page says the same, and closing states an outcome other than the result,
    // with the team's reason: by keyboard.
    await page.goto(organiser);
    await expect(page.getByRole('heading', { name: /The team’s result: a toss-up/ })).toBeVisible();
    await expect(page.getByText(/2 disagreements could change it/)).toBeVisible();
    await page.screenshot({ path: path.join(shots, `lead-organiser-page-open-${viewport.width}.png`), fullPage: true });
    await page.locator('#outcome-flask').focus();
    await page.keyboard.press('Space');
    await expect(page.locator('#outcome-flask')).toBeChecked();
    await page.locator('#close-rationale').focus();
    await page.keyboard.type('We run three Flask services already');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: /Close with this decision/ })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByText('Closed with the decision:')).toBeVisible();
    await axeClean(page, `organiser page, closed, @${viewport.width}`);

    // Closed: the team page says what was decided and why, and offers no way to answer.
    await page.goto(share);
    await expect(page.locator('p.decided')).toHaveText(
      'Decided: Flask. The team’s reason: We run three Flask services already',
    );
    await expect(page.getByRole('link', { name: 'Add your answers' })).toHaveCount(0);
    await expect(page.getByText('Send this link to each teammate')).toHaveCount(0);
    await axeClean(page, `team page, closed, @${viewport.width}`);
    await page.screenshot({ path: path.join(shots, `lead-team-page-closed-${viewport.width}.png`), fullPage: true });

    // The record: accepted, with the team's choice and reason, and whose change would have
    // settled each disagreement.
    const href = await page.getByRole('link', { name: 'Download the decision record' }).getAttribute('href');
    const record = await (await request.get(href)).text();
    expect(record).toMatch(/^---\nstatus: accepted\n/);
    expect(record).toContain('Chosen option: "Flask", because the team stated: We run three Flask services already');
    expect(record).toContain('Disagreement on "What are you building?"');
    expect(record).toContain('If Bo answered “An online shop” instead of');
    expect(record).not.toContain(share + '"');
    await lead.close();
  });
}
