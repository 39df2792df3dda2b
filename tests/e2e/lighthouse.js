// Lighthouse (12.2.3, on Debian's Chromium) over the reader's main pages: home, a topic, the
// questionnaire and a result. Fails when accessibility or best practices score below 100;
// prints the performance score and its metrics without judging them (a score made of timings
// belongs with the benchmarks, benches/RESULTS.md), and keeps each report under target/.
// Usage: VERSUS_BASE_URL=http://127.0.0.1:PORT node lighthouse.js   (tests/e2e/run.sh does this)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

if (!process.env.VERSUS_BASE_URL) {
  console.error('lighthouse: VERSUS_BASE_URL is not set: run it through tests/e2e/run.sh');
  process.exit(2);
}
const base = new URL(process.env.VERSUS_BASE_URL).origin;
const out = path.resolve(__dirname, '..', '..', 'target', 'lighthouse');
fs.mkdirSync(out, { recursive: true });

const PAGES = [
  ['home', '/'],
  ['topic', '/topics/security'],
  ['questionnaire', '/recommend'],
  ['result', '/recommendation?building=shop&size=medium&team=small-team&admin=day-one&auth=own-accounts'],
];
const JUDGED = ['accessibility', 'best-practices'];

/**
 * One Lighthouse run of `pathname`: its report, or why it did not run. Lighthouse's own
 * recording errors (NO_NAVSTART, a lost trace) say nothing of the page, so such a run is tried
 * again, twice at most; a score is never tried again.
 */
function audit(name, pathname) {
  let why = '';
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const lhr = runOnce(name, pathname);
    if (lhr.report) return lhr;
    why = lhr.why;
    console.error(`lighthouse: ${pathname}: attempt ${attempt} did not run: ${why}`);
  }
  return { why };
}

function runOnce(name, pathname) {
  const report = path.join(out, `${name}.json`);
  fs.rmSync(report, { force: true });
  const run = spawnSync(
    path.join(__dirname, 'node_modules', '.bin', 'lighthouse'),
    [
      base + pathname,
      '--quiet',
      '--output=json',
      `--output-path=${report}`,
      '--only-categories=performance,accessibility,best-practices',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run',
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH || '/usr/bin/chromium' },
      timeout: 120_000,
    },
  );
  if (run.status !== 0 || !fs.existsSync(report)) {
    const said = (run.stderr || String(run.error || '')).trim().split('\n').pop();
    return { why: `exit status ${run.status}: ${said}` };
  }
  const lhr = JSON.parse(fs.readFileSync(report, 'utf8'));
  if (lhr.runtimeError) {
    return { why: `${lhr.runtimeError.code} ${lhr.runtimeError.message}` };
  }
  return { report: lhr };
}

let failed = false;
for (const [name, pathname] of PAGES) {
  const { report: lhr, why } = audit(name, pathname);
  if (!lhr) {
    console.error(`lighthouse: ${pathname} did not run: ${why}`);
    failed = true;
    continue;
  }
  const score = (id) => Math.round((lhr.categories[id].score ?? 0) * 100);
  const metric = (id) => lhr.audits[id]?.displayValue ?? '?';
  console.log(
    `lighthouse: ${pathname}: performance ${score('performance')} (FCP ${metric('first-contentful-paint')}, ` +
      `LCP ${metric('largest-contentful-paint')}, TBT ${metric('total-blocking-time')}, CLS ${metric('cumulative-layout-shift')}), ` +
      `accessibility ${score('accessibility')}, best practices ${score('best-practices')}`,
  );
  for (const id of JUDGED) {
    if (score(id) < 100) {
      failed = true;
      const failing = lhr.categories[id].auditRefs
        .map((ref) => lhr.audits[ref.id])
        .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== 'informative')
        .map((audit) => `  - ${audit.id}: ${audit.title}`);
      console.error(`lighthouse: ${pathname}: ${id} ${score(id)}:\n${failing.join('\n')}`);
    }
  }
}
process.exit(failed ? 1 : 0);
