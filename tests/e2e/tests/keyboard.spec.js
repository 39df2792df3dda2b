// Keyboard use and the error page.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

test.use({ baseURL: h.baseUrl() });

for (const p of ['/', '/topics/performance', '/compare']) {
  test(`first Tab focuses the skip link, Enter moves focus to main: ${p}`, async ({ page }) => {
    await page.goto(p);
    await page.keyboard.press('Tab');
    const skip = page.locator('a.skip-link');
    await expect(skip).toBeFocused();
    await expect(skip).toHaveText('Skip to content');
    await expect(skip).toHaveAttribute('href', '#main');
    // It is off screen until focused; focused, it must be visible inside the viewport.
    await expect(skip).toBeInViewport();

    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#main$/);
    await expect(page.locator('main#main')).toBeFocused();

    // The next Tab continues from main's content, not from the top of the page.
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => !!document.activeElement.closest('main'));
    expect(inMain, 'Tab after the skip link should land inside main').toBe(true);
  });
}

test('an unknown URL answers 404 with the error page', async ({ page }) => {
  const response = await page.goto('/e2e-definitely-missing-page');
  expect(response.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.getByRole('main').getByRole('link', { name: 'home page' })).toHaveAttribute('href', '/');
});
