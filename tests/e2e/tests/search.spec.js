// Search as a reader uses it, on a phone and on a desktop: a misspelt query still gets somewhere
// useful, a topic's own name (or what it is about) leads with that topic, a page's sections are
// grouped under it, and all of it works without JavaScript (the search page is a GET form).
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const WIDTHS = [
  { width: 360, height: 800 },
  { width: 1280, height: 900 },
];

for (const viewport of WIDTHS) {
  for (const javaScriptEnabled of [true, false]) {
    const label = `${viewport.width}px, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;

    test(`a typo finds the page it meant (${label})`, async ({ browser }) => {
      const ctx = await browser.newContext({ viewport, javaScriptEnabled, baseURL: h.baseUrl() });
      try {
        const page = await ctx.newPage();
        const watch = await h.monitor(page);
        await page.goto('/');
        const box = page.getByRole('search').getByRole('searchbox', { name: 'Search' });
        await box.fill('djnago');
        await box.press('Enter');
        await expect(page).toHaveURL(/\/search\?q=djnago$/);
        // The correction is offered as a link, and its results are shown.
        const suggestion = page.locator('.did-you-mean').getByRole('link', { name: 'django' });
        await expect(suggestion).toBeVisible();
        await expect(suggestion).toHaveAttribute('href', '/search?q=django');
        await expect(page.locator('h2.results-heading')).toHaveText(/pages? match “django”|best pages for “django”/);
        const first = page.locator('ol.results > li').first();
        await expect(first.locator('h3 a')).toHaveAttribute('href', '/frameworks/django');
        await expect(first.locator('mark').first()).toHaveText(/django/i);
        // The result fits the screen: nothing scrolls sideways.
        const overflow = await h.horizontalOverflow(page);
        expect(overflow.scrollWidth, overflow.offenders.join('\n')).toBeLessThanOrEqual(overflow.innerWidth);
        // Following the first result arrives on the framework's page.
        await first.locator('h3 a').click();
        await expect(page).toHaveURL(/\/frameworks\/django$/);
        await expect(page.getByRole('heading', { level: 1 })).toContainText('Django');
        // A typo in one word of several: the other words' results, and the correction offered.
        await page.goto('/search?q=middlware+flsk');
        await expect(page.locator('.did-you-mean').getByRole('link')).toHaveText('middleware flask');
        await page.locator('.did-you-mean').getByRole('link').click();
        await expect(page).toHaveURL(/\/search\?q=middleware\+flask$/);
        await expect(page.locator('.did-you-mean')).toHaveCount(0);
        expect(await page.locator('ol.results > li').count()).toBeGreaterThan(0);
        await page.screenshot({
          path: path.join(h.screenshotDir(), `search-typo-${viewport.width}${javaScriptEnabled ? '' : '-nojs'}.png`),
          fullPage: true,
        });
        const seen = await watch.collect();
        expect(seen.consoleErrors).toEqual([]);
        expect(seen.csp).toEqual([]);
      } finally {
        await ctx.close();
      }
    });
  }

  test(`"csrf" and "admin" lead with their topics, sections grouped under them (${viewport.width}px)`, async ({ browser }) => {
    const ctx = await browser.newContext({ viewport, baseURL: h.baseUrl() });
    try {
      const page = await ctx.newPage();
      for (const [query, topic, section] of [
        ['csrf', '/topics/security', '/topics/security#csrf'],
        ['admin', '/topics/admin', null],
      ]) {
        await page.goto(`/search?q=${query}`);
        const results = page.locator('ol.results > li');
        const first = results.first();
        await expect(first.locator('h3 a')).toHaveAttribute('href', topic);
        const sections = first.locator('.result-sections a');
        expect(await sections.count(), `${query}: sections under ${topic}`).toBeGreaterThan(1);
        for (const href of await sections.evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
          expect(href.startsWith(`${topic}#`), `${href} under ${topic}`).toBe(true);
        }
        if (section) await expect(sections.first()).toHaveAttribute('href', section);
        // Each page is one result.
        const pages = await results.locator('h3 a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
        expect(new Set(pages).size, pages.join(' ')).toBe(pages.length);
        // Snippets are prose: no code block's markup is quoted.
        for (const text of await results.locator('.excerpt').allTextContents()) {
          expect(text).not.toMatch(/comment-create|CSRFProtect\(app\)|MIDDLEWARE = \[|^\s*(def|import|from) /);
        }
        const overflow = await h.horizontalOverflow(page);
        expect(overflow.scrollWidth, overflow.offenders.join('\n')).toBeLessThanOrEqual(overflow.innerWidth);
      }
    } finally {
      await ctx.close();
    }
  });
}
