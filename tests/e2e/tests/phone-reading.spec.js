// Reading on a phone and on a desktop (360 and 1280 px): tables that reflow on a phone stay
// tables in the browser's own accessibility tree; a heading's "Copy link" button shows on hover
// and focus and is no extra tab stop; code wraps instead of scrolling, and "Copy code" copies it.
const { test, expect } = require('@playwright/test');
const h = require('./helpers');

const WIDTHS = [
  { width: 360, height: 800 },
  { width: 1280, height: 900 },
];

/** Counts of what Chromium exposes (its accessibility tree, over CDP) against the markup's. */
async function tableSemantics(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Accessibility.enable');
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const exposed = {};
    for (const n of nodes) {
      const role = n.role && n.role.value;
      if (!n.ignored && role) exposed[role] = (exposed[role] || 0) + 1;
    }
    const markup = await page.evaluate(() => ({
      table: document.querySelectorAll('table').length,
      row: document.querySelectorAll('tr').length,
      columnheader: document.querySelectorAll('th[scope=col], thead th:not([scope])').length,
      rowheader: document.querySelectorAll('th[scope=row]').length,
      cell: document.querySelectorAll('td').length,
    }));
    const seen = {};
    for (const role of Object.keys(markup)) seen[role] = exposed[role] || 0;
    return { markup, seen };
  } finally {
    await cdp.detach();
  }
}

for (const viewport of WIDTHS) {
  test.describe(`at ${viewport.width}px`, () => {
    test.use({ viewport, baseURL: h.baseUrl() });

    test('reflowing tables are still tables, rows, headers and cells to assistive technology', async ({ page }) => {
      for (const path of ['/topics/performance', '/topics/containers-and-serverless', '/compare', '/frameworks/django', '/topics/security']) {
        await page.goto(path);
        const reflowing = await page.locator('table.reflow').count();
        expect(reflowing, `${path} has reflowing tables`).toBeGreaterThan(0);
        if (viewport.width === 360) {
          // The phone layout is in force: rows are blocks, each cell labelled by its column.
          const td = page.locator('table.reflow td[data-label]').first();
          expect(await td.evaluate((el) => getComputedStyle(el).display)).toBe('block');
          const label = await td.getAttribute('data-label');
          expect(await td.evaluate((el) => getComputedStyle(el, '::before').content)).toContain(label);
          expect(await h.tableOverflow(page), `${path}: tables scrolling sideways`).toEqual([]);
        }
        const { markup, seen } = await tableSemantics(page);
        expect(seen, `${path}: roles in Chromium's accessibility tree`).toEqual(markup);
      }
    });

    test('a heading\'s "Copy link" shows on hover and focus, and tabbing forward skips it', async ({ browser }) => {
      // Hundreds of key presses, each followed by a look at the focus: a budget for a busy
      // machine, not a speed requirement.
      test.setTimeout(120_000);
      const ctx = await browser.newContext({
        viewport,
        baseURL: h.baseUrl(),
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      try {
        const page = await ctx.newPage();
        await page.goto('/topics/performance');
        const anchors = page.locator('main a.anchor');
        const count = await anchors.count();
        expect(count).toBeGreaterThan(10);
        await expect(page.locator('main .heading-copy')).toHaveCount(count);
        await expect(page.locator('main .heading-copy:visible')).toHaveCount(0);

        // Tab from the top of main to the footer: every # link is a stop, no "Copy link" is.
        await page.locator('main').focus();
        const stops = [];
        for (let i = 0; i < 800; i++) {
          await page.keyboard.press('Tab');
          const where = await page.evaluate(() => {
            const el = document.activeElement;
            return {
              inMain: !!el.closest('main'),
              kind: el.classList.contains('heading-copy') ? 'copy' : el.classList.contains('anchor') ? 'anchor' : 'other',
            };
          });
          if (!where.inMain) break;
          stops.push(where.kind);
        }
        expect(stops.filter((k) => k === 'anchor').length, 'every # link is a tab stop').toBe(count);
        expect(stops.filter((k) => k === 'copy').length, '"Copy link" buttons met tabbing forward').toBe(0);

        // Focus on a # link shows its button, without changing the heading's height (no wrapping),
        // inside the viewport; Shift+Tab reaches it and Enter copies.
        const heading = page.locator('main h2:has(> a.anchor)').nth(2);
        const before = await heading.boundingBox();
        const anchor = heading.locator('a.anchor');
        await anchor.focus();
        const button = heading.locator('.heading-copy');
        await expect(button).toBeVisible();
        const after = await heading.boundingBox();
        expect(after.height, 'the heading keeps its height when its button shows').toBeCloseTo(before.height, 0);
        const box = await button.boundingBox();
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
        await page.keyboard.press('Shift+Tab');
        await expect(button).toBeFocused();
        await page.keyboard.press('Enter');
        const canonical = await page.locator('link[rel="canonical"]').getAttribute('href');
        const id = await heading.getAttribute('id');
        // What was copied is read from the status line the page shows, not from the clipboard:
        // reading the clipboard hung in a full parallel run (reader.spec.js checks its contents).
        const status = page.locator('.copy-status[role="status"]');
        await expect(status).toHaveText(new RegExp(`\\[Performance[^\\]]* — .+\\]\\(${canonical.replace(/[.?*+^$()[\]{}|\\/]/g, '\\$&')}#${id}\\)$`));

        // Hovering another heading shows its button, and a click copies that section.
        await page.mouse.move(0, 0);
        const other = page.locator('main h2:has(> a.anchor)').first();
        await other.hover();
        const otherButton = other.locator('.heading-copy');
        await expect(otherButton).toBeVisible();
        await otherButton.click();
        const otherId = await other.getAttribute('id');
        await expect(status).toContainText(`#${otherId})`);
      } finally {
        await ctx.close();
      }
    });

    for (const javaScriptEnabled of [true, false]) {
      test(`code side by side wraps instead of scrolling (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
        const ctx = await browser.newContext({
          viewport,
          baseURL: h.baseUrl(),
          javaScriptEnabled,
          permissions: ['clipboard-read', 'clipboard-write'],
        });
        try {
          const page = await ctx.newPage();
          await page.goto('/topics/performance');
          const blocks = page.locator('main pre.code');
          expect(await blocks.count()).toBeGreaterThan(1);
          const layout = await blocks.evaluateAll((pres) =>
            pres.map((pre) => {
              const lineHeight = parseFloat(getComputedStyle(pre).lineHeight);
              return {
                label: pre.getAttribute('aria-label') || pre.textContent.slice(0, 40),
                scrolls: pre.scrollWidth > pre.clientWidth + 1,
                lines: pre.querySelectorAll('.ln').length,
                wrapped: [...pre.querySelectorAll('.ln')].filter((l) => l.getBoundingClientRect().height > lineHeight * 1.5).length,
              };
            }),
          );
          expect(layout.filter((b) => b.scrolls), 'code blocks that scroll sideways').toEqual([]);
          expect(layout.every((b) => b.lines > 0), 'every line is its own span').toBe(true);
          if (viewport.width === 360) {
            expect(layout.some((b) => b.wrapped > 0), 'on a phone some long lines wrap').toBe(true);
          }

          const example = page.locator('main figure.example').first();
          const pre = example.locator('pre.code').first();
          const copy = example.getByRole('button', { name: /^Copy code: / }).first();
          if (!javaScriptEnabled) {
            await expect(page.locator('.copy-code')).toHaveCount(0);
            return;
          }
          await expect(page.locator('main .copy-code')).toHaveCount(await blocks.count());
          const box = await copy.boundingBox();
          expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
          await copy.click();
          const text = await pre.evaluate((el) => el.textContent);
          expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
          await expect(page.getByRole('status')).toContainText('Copied the code');
          // The copy is the code exactly: its lines, not the numbers beside them.
          expect(text.split('\n').length).toBeGreaterThanOrEqual(await pre.locator('.ln').count());
          expect(text).not.toMatch(/^1/);
        } finally {
          await ctx.close();
        }
      });
    }
  });
}
