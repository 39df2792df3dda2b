// Shared helpers for the versus end-to-end suite.
const path = require('node:path');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** The test server's origin, e.g. http://127.0.0.1:41234 (no trailing slash). */
function baseUrl() {
  const raw = process.env.VERSUS_BASE_URL;
  if (!raw) {
    throw new Error('VERSUS_BASE_URL is not set: run the suite with `bash tests/e2e/run.sh`');
  }
  return new URL(raw).origin;
}

/** Where full-page screenshots go: outside git, under the ignored target/ directory. */
function screenshotDir() {
  const dir = process.env.E2E_SCREENSHOT_DIR || path.join(repoRoot, 'target', 'e2e-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A file-name-safe slug for a path: "/" -> "home", "/topics/async" -> "topics-async". */
function slugFor(pathname) {
  const trimmed = pathname.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? 'home' : trimmed.replace(/[^A-Za-z0-9_-]+/g, '-');
}

/**
 * The sitemap's URLs as paths on the test server. Fetched synchronously (in a child node
 * process) because Playwright needs the list of tests when the file loads.
 */
function sitemapPaths() {
  const url = `${baseUrl()}/sitemap.xml`;
  const script =
    'fetch(process.argv[1]).then(async r => {' +
    ' if (!r.ok) { console.error("HTTP " + r.status); process.exit(2); }' +
    ' process.stdout.write(await r.text()); })' +
    '.catch(e => { console.error(String(e)); process.exit(3); });';
  const xml = execFileSync(process.execPath, ['-e', script, url], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  const locs = [...xml.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)].map((m) => m[1]);
  if (locs.length === 0) throw new Error(`no <loc> entries in ${url}`);
  // Replace each loc's origin (the public base URL) with the test server's.
  return locs.map((loc) => {
    const u = new URL(loc.replace(/&amp;/g, '&'));
    return u.pathname + u.search;
  });
}

/** Recorded by an init script: every `securitypolicyviolation` event in the page. */
const CSP_RECORDER = () => {
  window.__cspViolations = [];
  window.addEventListener(
    'securitypolicyviolation',
    (e) => {
      window.__cspViolations.push({
        directive: e.violatedDirective,
        blockedURI: e.blockedURI,
        sourceFile: e.sourceFile,
        line: e.lineNumber,
        sample: e.sample,
      });
    },
    true,
  );
};

/**
 * Watches a page for console errors, uncaught exceptions and CSP violations.
 * Call before navigating. `collect()` returns what was seen so far.
 */
async function monitor(page) {
  const consoleErrors = [];
  const cspConsole = [];
  await page.addInitScript(CSP_RECORDER);
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) cspConsole.push(`[console.${msg.type()}] ${text}`);
    if (msg.type() === 'error') {
      const loc = msg.location();
      consoleErrors.push(`${text}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));
  return {
    async collect() {
      let events = [];
      try {
        events = await page.evaluate(() => window.__cspViolations || []);
      } catch (e) {
        events = [{ directive: 'unknown', sample: `could not read recorder: ${e.message}` }];
      }
      const csp = [
        ...events.map(
          (v) => `[event] ${v.directive} blocked ${v.blockedURI || '(inline)'}` +
            `${v.sourceFile ? ` at ${v.sourceFile}:${v.line}` : ''}${v.sample ? ` sample=${JSON.stringify(v.sample)}` : ''}`,
        ),
        ...cspConsole,
      ];
      return { consoleErrors: [...consoleErrors], csp };
    },
  };
}

/** Injects axe-core (the page's context must have bypassCSP: true) and runs it. */
async function runAxe(page, options) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: require.resolve('axe-core') });
  }
  return page.evaluate(async (opts) => {
    const result = await window.axe.run(document, opts);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html,
        summary: n.failureSummary,
      })),
    }));
  }, options);
}

/** Human-readable axe violations, one block per rule and node. */
function formatViolations(violations, label) {
  if (violations.length === 0) return `${label}: no violations`;
  const lines = [`${label}: ${violations.length} axe rule(s) violated`];
  for (const v of violations) {
    lines.push(`\n  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 10)) {
      lines.push(`    - ${n.target}\n      ${n.html.slice(0, 200)}`);
      if (n.summary) lines.push(`      ${n.summary.replace(/\n/g, '\n      ')}`);
    }
    if (v.nodes.length > 10) lines.push(`    ... and ${v.nodes.length - 10} more node(s)`);
  }
  return lines.join('\n');
}

/** scrollWidth vs innerWidth, and the elements poking past the right edge when it overflows. */
async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const scrollWidth = document.documentElement.scrollWidth;
    const innerWidth = window.innerWidth;
    const offenders = [];
    if (scrollWidth > innerWidth) {
      const clipped = (el) => {
        for (let p = el.parentElement; p; p = p.parentElement) {
          const ox = getComputedStyle(p).overflowX;
          if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') return true;
        }
        return false;
      };
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > innerWidth + 0.5 && !clipped(el)) {
          const cls = el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
          offenders.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls} right=${Math.round(r.right)}`);
          if (offenders.length >= 10) break;
        }
      }
    }
    return { scrollWidth, innerWidth, offenders };
  });
}

/**
 * Tables that scroll sideways: a table wider than the box that clips or scrolls it (its
 * `.table-scroll` wrapper, say), or than the viewport. The page-wide overflow check above cannot
 * see these, because a scrolling wrapper hides them from it.
 */
async function tableOverflow(page) {
  return page.evaluate(() => {
    const offenders = [];
    const describe = (el) => {
      const cls = el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls}`;
    };
    document.querySelectorAll('main table').forEach((table, i) => {
      const rect = table.getBoundingClientRect();
      if (rect.width === 0) return;
      const name = `table ${i + 1} (${describe(table)}${table.caption ? `, "${table.caption.textContent.trim().slice(0, 50)}"` : ''})`;
      for (let p = table.parentElement; p && p !== document.body; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') {
          if (p.scrollWidth > p.clientWidth + 1) {
            offenders.push(`${name} scrolls in ${describe(p)}: scrollWidth ${p.scrollWidth} > clientWidth ${p.clientWidth}`);
          }
          return;
        }
      }
      if (rect.right > window.innerWidth + 0.5 || table.scrollWidth > table.clientWidth + 1) {
        offenders.push(`${name} is wider than the page: right ${Math.round(rect.right)}, scrollWidth ${table.scrollWidth}`);
      }
    });
    return offenders;
  });
}

/** The axe tags the brief asks for: WCAG 2.0/2.1 A and AA, and 2.2 AA. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

module.exports = {
  baseUrl,
  screenshotDir,
  slugFor,
  sitemapPaths,
  monitor,
  runAxe,
  formatViolations,
  horizontalOverflow,
  tableOverflow,
  WCAG_TAGS,
};
