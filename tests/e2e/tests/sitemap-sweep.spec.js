// Every page in /sitemap.xml (plus the 404 page), at a phone and a desktop width:
// axe-core WCAG 2.x A/AA finds nothing (and color-contrast also in dark), no console errors, no CSP violations, no horizontal
// overflow (and at the phone width no table scrolling sideways in its box), and a full-page screenshot per width for a person to look at.
//
// One test per page; each loads the page once per context and resizes between widths (the site
// is CSS-only for layout, so a resize lays out exactly as a fresh load would).
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const WIDTHS = [
  { width: 360, height: 800 },
  { width: 1280, height: 900 },
];

const sitemap = h.sitemapPaths();
const PAGES = [
  ...sitemap.map((p) => ({ path: p, status: 200 })),
  // Not in the sitemap, but a page people land on: the error page must pass the same checks.
  { path: '/e2e-no-such-page', status: 404, slug: 'error-404' },
  // Search results are not in the sitemap (they are noindex) but are a page like any other.
  { path: '/search?q=csrf', status: 200, slug: 'search-csrf' },
];

// The questionnaire is built separately; while its URL answers 404 (as on a tree without it),
// that page is reported as an explicit skip with a reason, never silently dropped.
const NOT_BUILT_YET = new Set(['/recommend']);

test.describe.configure({ timeout: 90_000 });

test('sitemap lists the core pages', () => {
  expect(sitemap.length).toBeGreaterThan(5);
  expect(sitemap).toContain('/');
  expect(sitemap).toContain('/compare');
  expect(new Set(sitemap).size, 'sitemap has duplicate URLs').toBe(sitemap.length);
});

for (const entry of PAGES) {
  const label = WIDTHS.map((w) => `${w.width}px`).join(' + ');
  test(`${entry.path} at ${label}`, async ({ browser }) => {
    const slug = entry.slug || h.slugFor(entry.path);

    // 1. A normal context, CSP enforced: status, console, CSP, overflow, screenshots.
    const ctx = await browser.newContext({ viewport: WIDTHS[0], baseURL: h.baseUrl() });
    try {
      const page = await ctx.newPage();
      const watch = await h.monitor(page);
      const response = await page.goto(entry.path, { waitUntil: 'load' });
      expect(response, 'no response').not.toBeNull();

      if (NOT_BUILT_YET.has(entry.path) && response.status() === 404) {
        const reason = `${entry.path} is in the sitemap but answers 404: the questionnaire is not built yet`;
        console.warn(`SKIPPED ${entry.path}: ${reason}`);
        test.skip(true, reason);
      }

      expect(response.status(), `HTTP status of ${entry.path}`).toBe(entry.status);
      const csp = response.headers()['content-security-policy'] || '';
      expect(csp, 'the page must be served with its strict CSP').toContain("script-src 'self'");

      for (const viewport of WIDTHS) {
        await test.step(`layout at ${viewport.width}px`, async () => {
          await page.setViewportSize(viewport);
          const overflow = await h.horizontalOverflow(page);
          expect
            .soft(
              overflow.scrollWidth,
              `horizontal overflow at ${viewport.width}px: scrollWidth ${overflow.scrollWidth} > innerWidth ${overflow.innerWidth}\n` +
                overflow.offenders.map((o) => `  ${o}`).join('\n'),
            )
            .toBeLessThanOrEqual(overflow.innerWidth);
          if (viewport.width <= 360) {
            // On a phone no table scrolls sideways either: wide tables reflow into labelled rows.
            expect.soft(await h.tableOverflow(page), `tables scrolling sideways at ${viewport.width}px`).toEqual([]);
          }
          await page.screenshot({
            path: path.join(h.screenshotDir(), `${slug}-${viewport.width}.png`),
            fullPage: true,
            animations: 'disabled',
            caret: 'hide',
          });
        });
      }

      const seen = await watch.collect();
      let consoleErrors = seen.consoleErrors;
      if (entry.status !== 200) {
        // The browser logs the document's own error status; that is the point of this page.
        consoleErrors = consoleErrors.filter(
          (e) => !(e.includes(`status of ${entry.status}`) && e.includes(response.url())),
        );
      }
      expect.soft(seen.csp, 'Content Security Policy violations').toEqual([]);
      expect.soft(consoleErrors, 'console errors').toEqual([]);
    } finally {
      await ctx.close();
    }

    // 2. A separate context with bypassCSP, only so that axe-core can be injected.
    const axeCtx = await browser.newContext({ viewport: WIDTHS[0], baseURL: h.baseUrl(), bypassCSP: true });
    try {
      const page = await axeCtx.newPage();
      await page.goto(entry.path, { waitUntil: 'load' });
      for (const viewport of WIDTHS) {
        await test.step(`axe at ${viewport.width}px`, async () => {
          await page.setViewportSize(viewport);
          const violations = await h.runAxe(page, { runOnly: { type: 'tag', values: h.WCAG_TAGS } });
          expect
            .soft(violations.length, h.formatViolations(violations, `axe ${entry.path} @${viewport.width}px`))
            .toBe(0);
        });
      }
      // Beyond the three pages of contrast.spec.js: every page's contrast in the dark scheme.
      await test.step('color-contrast in the dark colour scheme', async () => {
        await page.emulateMedia({ colorScheme: 'dark' });
        const violations = await h.runAxe(page, { runOnly: { type: 'rule', values: ['color-contrast'] } });
        expect
          .soft(violations.length, h.formatViolations(violations, `color-contrast ${entry.path} (dark)`))
          .toBe(0);
      });
    } finally {
      await axeCtx.close();
    }
  });
}

test('the CSP monitor catches a violation (canary)', async ({ browser }) => {
  // Proves the CSP check above is not vacuous: an inline <style> is blocked and recorded.
  const ctx = await browser.newContext({ baseURL: h.baseUrl() });
  try {
    const page = await ctx.newPage();
    const watch = await h.monitor(page);
    await page.goto('/', { waitUntil: 'load' });
    await page.evaluate(() => {
      const s = document.createElement('style');
      s.textContent = 'body { outline: 1px solid red; }';
      document.head.appendChild(s);
    });
    await expect.poll(async () => (await watch.collect()).csp.length).toBeGreaterThan(0);
  } finally {
    await ctx.close();
  }
});
