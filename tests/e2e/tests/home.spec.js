// The home page answers "what is this, why trust it, what do I do" in its first screen, on a
// phone and on a desktop: three ways in and the review date above the fold; topics grouped,
// each with the way it leans.
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

test.use({ baseURL: h.baseUrl() });

const WAYS = [
  ['Read the comparison', '/compare'],
  ['Decide for yourself', '/recommend'],
  ['Decide as a team', '/teams'],
];

for (const [width, height] of [[360, 800], [1280, 900]]) {
  test(`at ${width}×${height} the three ways in and the review date are in the first screen`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    const watch = await h.monitor(page);
    await page.goto('/');
    const inFirstScreen = async (locator) => {
      await expect(locator).toBeVisible();
      const box = await locator.boundingBox();
      expect(box, 'has a box').not.toBeNull();
      expect(box.y + box.height, 'ends above the fold').toBeLessThanOrEqual(height);
    };
    for (const [name, href] of WAYS) {
      const link = page.getByRole('link', { name: new RegExp(`^${name}`) });
      await expect(link).toHaveAttribute('href', href);
      await inFirstScreen(link);
    }
    const reviewed = page.locator('.evidence time').first();
    await inFirstScreen(reviewed);
    // The date is the footer's "last reviewed" date: one fact, said twice.
    const footer = page.locator('.site-footer time');
    expect(await reviewed.getAttribute('datetime')).toBe(await footer.getAttribute('datetime'));
    await expect(page.locator('.evidence')).toContainText(/\d+ sources cited/);
    await expect(page.locator('.evidence a[href="/methodology"]')).toBeVisible();
    const overflow = await h.horizontalOverflow(page);
    expect(overflow.scrollWidth, overflow.offenders.join(', ')).toBeLessThanOrEqual(overflow.innerWidth);
    await page.screenshot({ path: path.join(h.screenshotDir(), `home-first-screen-${width}.png`) });
    const seen = await watch.collect();
    expect(seen.csp, 'CSP violations').toEqual([]);
    expect(seen.consoleErrors, 'console errors').toEqual([]);
  });
}

test('topics are grouped under named headings, each with the way it leans', async ({ page }) => {
  await page.goto('/');
  const topics = page.locator('section[aria-labelledby=topics]');
  const groups = topics.locator('h3');
  expect(await groups.count()).toBeGreaterThan(1);
  const items = topics.locator('.topic-list li');
  const count = await items.count();
  expect(count).toBeGreaterThan(20);
  for (let i = 0; i < count; i++) {
    const item = items.nth(i);
    await expect(item.locator('a[href^="/topics/"]')).toHaveCount(1);
    await expect(item.locator('.lean')).toHaveText(/^(Leans (Django|Flask)|Either)$/);
    await expect(item.locator('.because')).not.toBeEmpty();
  }
});
