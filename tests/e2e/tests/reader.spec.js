// Reader features in a real browser: search from any page's header (with and without
// JavaScript), copying a Markdown link to a section, and the feed link.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

test.use({ baseURL: h.baseUrl() });

test('search from the header lands on the matching section', async ({ page }) => {
  const watch = await h.monitor(page);
  await page.goto('/topics/admin');
  const box = page.getByRole('search').getByRole('searchbox', { name: 'Search' });
  await box.fill('csrf');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=csrf$/);
  await expect(page.getByRole('heading', { level: 2, name: /match|best/ })).toBeVisible();
  const results = page.locator('ol.results > li');
  expect(await results.count()).toBeGreaterThan(2);
  await expect(results.first().locator('mark').first()).toHaveText(/csrf/i);
  // The best match is the security topic; its first section listed is its CSRF section, and
  // following that link lands on the section.
  await expect(results.first().getByRole('heading', { level: 3 }).getByRole('link')).toHaveAttribute(
    'href',
    '/topics/security',
  );
  const first = results.first().locator('.result-sections a').first();
  const href = await first.getAttribute('href');
  expect(href).toBe('/topics/security#csrf');
  await first.click();
  await expect(page).toHaveURL(new RegExp(`${href.replace('?', '\\?')}$`));
  const target = page.locator(`[id="${href.split('#')[1]}"]`);
  await expect(target).toBeInViewport();
  const seen = await watch.collect();
  expect(seen.consoleErrors).toEqual([]);
  expect(seen.csp).toEqual([]);
});

test('search works with JavaScript disabled', async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false, baseURL: h.baseUrl() });
  try {
    const page = await ctx.newPage();
    await page.goto('/');
    const box = page.getByRole('searchbox', { name: 'Search' });
    await box.fill('jinja');
    await box.press('Enter');
    await expect(page).toHaveURL(/\/search\?q=jinja$/);
    await expect(page.locator('ol.results > li h3 a').first()).toHaveAttribute(
      'href',
      /^\/topics\/templates/,
    );
    // The page's own form keeps the query.
    await expect(page.locator('#search-q')).toHaveValue('jinja');
    // No script, no copy buttons: the # links remain.
    await page.goto('/topics/security');
    await expect(page.locator('button.copy-link')).toHaveCount(0);
    await expect(page.locator('h2 a.anchor').first()).toBeVisible();
  } finally {
    await ctx.close();
  }
});

test('"Copy link" puts a Markdown link to the section on the clipboard', async ({ browser }) => {
  const ctx = await browser.newContext({
    baseURL: h.baseUrl(),
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  try {
    const page = await ctx.newPage();
    await page.goto('/topics/security');
    const canonical = await page.locator('link[rel="canonical"]').getAttribute('href');
    // The button shows while its heading is hovered.
    await page.locator('h2#csrf, h3#csrf').hover();
    const button = page.getByRole('button', { name: 'Copy link to the section: CSRF' });
    await expect(button).toBeVisible();
    await button.click();
    const expected = `[Security — CSRF](${canonical}#csrf)`;
    await expect(page.getByRole('status')).toHaveText(`Copied: ${expected}`);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    // Keyboard users reach it too: from a section's # link, Shift+Tab and Enter.
    await page.mouse.move(0, 0);
    await page.locator('#verdict a.anchor').focus();
    await page.keyboard.press('Shift+Tab');
    await expect(page.getByRole('button', { name: 'Copy link to the section: Verdict' })).toBeFocused();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      `[Security — Verdict](${canonical}#verdict)`,
    );
  } finally {
    await ctx.close();
  }
});

test('every page advertises the Atom feed, and it is served as Atom', async ({ page }) => {
  await page.goto('/compare');
  const link = page.locator('link[rel="alternate"][type="application/atom+xml"]');
  await expect(link).toHaveAttribute('href', '/feed.xml');
  const response = await page.request.get('/feed.xml');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
  expect(await response.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
});

test('on a 360×800 phone the header leaves the page title in the top fifth, and search still works', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, baseURL: h.baseUrl(), javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    for (const path of ['/', '/topics/security', '/frameworks/django', '/faq', '/recommend']) {
      await page.goto(path);
      const top = await page.locator('main h1').evaluate((el) => el.getBoundingClientRect().top);
      expect(top, `${path}: the h1 starts at ${top}px`).toBeLessThanOrEqual(800 / 5);
    }
    const box = page.getByRole('search').getByRole('searchbox', { name: 'Search' });
    await box.fill('admin');
    await box.press('Enter');
    await expect(page).toHaveURL(/\/search\?q=admin$/);
  } finally {
    await ctx.close();
  }
});
