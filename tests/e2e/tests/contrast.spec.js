// Colour contrast beyond the default light screen: dark colour scheme, print, and print from a
// browser in dark mode. axe's color-contrast rule only.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const PAGES = ['/', '/topics/performance', '/compare'];
const MODES = [
  { name: 'dark', colorScheme: 'dark', media: 'screen' },
  { name: 'print', colorScheme: 'light', media: 'print' },
  { name: 'print+dark', colorScheme: 'dark', media: 'print' },
];

for (const mode of MODES) {
  for (const p of PAGES) {
    test(`color-contrast: ${p} in ${mode.name}`, async ({ browser }) => {
      const ctx = await browser.newContext({
        baseURL: h.baseUrl(),
        colorScheme: mode.colorScheme,
        viewport: { width: 1280, height: 900 },
        bypassCSP: true, // only to inject axe-core; CSP is checked in the sitemap sweep
      });
      try {
        const page = await ctx.newPage();
        await page.emulateMedia({ media: mode.media, colorScheme: mode.colorScheme });
        const response = await page.goto(p, { waitUntil: 'load' });
        expect(response.status()).toBe(200);
        // Make sure the emulation took: otherwise the check would be silently of the light screen.
        expect(await page.evaluate((m) => matchMedia(`print`).matches === (m === 'print'), mode.media)).toBe(true);
        expect(
          await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches),
        ).toBe(mode.colorScheme === 'dark');
        const violations = await h.runAxe(page, { runOnly: { type: 'rule', values: ['color-contrast'] } });
        expect(violations.length, h.formatViolations(violations, `color-contrast ${p} (${mode.name})`)).toBe(0);
      } finally {
        await ctx.close();
      }
    });
  }
}
