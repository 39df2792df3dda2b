// The matrix at a phone's and a desktop's width, without JavaScript: every topic's row shows a
// signal per framework (worded in the legend, taken from the topic's lean), the verdict opens
// with a tap, and nothing scrolls sideways.
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

for (const viewport of [
  { width: 360, height: 800 },
  { width: 1280, height: 900 },
]) {
  test(`/compare reads at a glance at ${viewport.width} px, without JavaScript`, async ({ browser }) => {
    const ctx = await browser.newContext({ viewport, baseURL: h.baseUrl(), javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto('/compare');
      await expect(page.getByRole('heading', { name: 'How to read it' })).toBeVisible();
      const admin = page.locator('tr#admin');
      await expect(admin.getByText('Leans Django')).toBeVisible();
      const django = admin.locator('td').nth(0);
      const flask = admin.locator('td').nth(1);
      await expect(django.locator('summary')).toHaveText('Usually the better choice');
      await expect(flask.locator('summary')).toHaveText('Better in some cases');
      // The prose is a tap away.
      const verdict = flask.locator('details p');
      await expect(verdict).toBeHidden();
      await flask.locator('summary').click();
      await expect(verdict).toBeVisible();
      await expect(verdict).toContainText('Choose Flask when');
      // Every row has a signal in every framework's column.
      const rows = await page.locator('table.matrix tbody tr').count();
      expect(rows).toBeGreaterThan(20);
      expect(await page.locator('table.matrix tbody td summary .signal').count()).toBe(rows * 2);
      const overflow = await h.horizontalOverflow(page);
      expect(overflow.scrollWidth, overflow.offenders.join('\n')).toBeLessThanOrEqual(overflow.innerWidth);
      await page.screenshot({ path: path.join(h.screenshotDir(), `compare-${viewport.width}.png`) });
    } finally {
      await ctx.close();
    }
  });
}
