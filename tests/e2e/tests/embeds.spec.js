// @ts-check
// Decisions where teams work, in a real browser and through real clients: embeds shown inside
// another site's page (an iframe on a page of another origin), which a full page refuses; a
// badge as that page's image; what a link preview reads (open-graph-scraper) of a topic, a
// result and a team decision; and what an oEmbed consumer (@extractus/oembed-extractor) finds
// by discovery. Screenshots go to target/e2e-screenshots/.
const http = require('node:http');
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const ogs = require('open-graph-scraper');
const { extract } = require('@extractus/oembed-extractor');
const {
  baseUrl,
  screenshotDir,
  monitor,
  runAxe,
  formatViolations,
  horizontalOverflow,
  WCAG_TAGS,
} = require('./helpers');

/** The decision these tests share (see [`decision`]). */
const TITLE = 'Framework for the billing API';
let shared;

/**
 * A decision with two members who disagree, and its JSON (the read-only links are in `links`):
 * made once per worker, since starting decisions is rate-limited per client and the other
 * files start theirs from the same address.
 */
async function decision(request) {
  shared ??= (async () => {
    let response = await request.post('/api/teams', { data: { title: TITLE } });
    if (response.status() === 429) {
      // Another file used this address's allowance: wait as the server asks, once.
      await new Promise((r) => setTimeout(r, 1000 * Number(response.headers()['retry-after'] || 6)));
      response = await request.post('/api/teams', { data: { title: TITLE } });
    }
    expect(response.status()).toBe(201);
    const created = await response.json();
    const questionnaire = await (await request.get('/api/questionnaire')).json();
    const answers = (pick) =>
      Object.fromEntries(
        questionnaire.questions.filter((q) => q.required).map((q) => [q.id, pick(q.options).id]),
      );
    for (const [name, pick] of [
      ['Ana', (o) => o[0]],
      ['Bo', (o) => o[o.length - 1]],
    ]) {
      const joined = await request.post(`/api/teams/${created.team}/answers`, {
        data: { name, answers: answers(pick) },
      });
      expect(joined.status()).toBe(201);
    }
    return { id: created.team, ...(await (await request.get(`/api/teams/${created.team}`)).json()) };
  })();
  return shared;
}

/** A permalink of the first option of each required question. */
async function permalink(request) {
  const questionnaire = await (await request.get('/api/questionnaire')).json();
  const query = questionnaire.questions
    .filter((q) => q.required)
    .map((q) => `${q.id}=${q.options[0].id}`)
    .join('&');
  const result = await (await request.get(`/api/recommend?${query}`)).json();
  return result.permalink;
}

/**
 * Serves `body` as another site would: a server of its own on this machine, reached as
 * localhost, so it is another site than the one under test (127.0.0.1). `close()` stops it.
 */
async function serveElsewhere(body) {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://localhost:${port}/page`, close: () => server.close() };
}

/** Text for HTML. */
const escapeHtml = (text) =>
  String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Another site's page: the embeds, a full page in a frame too, and a badge. */
function embedderPage(frames, badge) {
  const iframes = frames
    .map(([id, src, h]) => `<iframe id="${id}" src="${src}" width="560" height="${h}" title="${id}"></iframe>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Team wiki</title></head>
<body><h1>Team wiki: our framework decision</h1>
<p>Status: <img id="badge" src="${badge}" alt="decision status"></p>
${iframes}</body></html>`;
}

test('embeds show inside another site\'s page, full pages refuse to be framed', async ({ page, request }) => {
  const base = baseUrl();
  const team = await decision(request);
  const result = await permalink(request);
  const embedResult = `${base}/embed/recommendation${new URL(result).search}`;
  // The wiki: a server of its own on this machine, reached as localhost, so it is another site
  // than the one under test (127.0.0.1).
  const body = embedderPage(
    [
      ['topic', `${base}/embed/topics/security`, 560],
      ['result', embedResult, 320],
      ['team', team.links.embed, 360],
      ['full', `${base}/topics/security`, 200],
    ],
    team.links.badge,
  );
  const wiki = await serveElsewhere(body);
  await page.setViewportSize({ width: 640, height: 1600 });
  await page.goto(wiki.url);
  const topic = page.frameLocator('#topic');
  await expect(topic.locator('h1')).toContainText('Security');
  await expect(topic.locator('table.glance tbody tr').first()).toBeVisible();
  await expect(page.frameLocator('#result').locator('h1')).not.toBeEmpty();
  const teamFrame = page.frameLocator('#team');
  await expect(teamFrame.locator('h1')).toContainText(TITLE);
  await expect(teamFrame.locator('.embed-names li')).toHaveCount(2);
  // Links leave the frame for the full page.
  await expect(topic.locator('.embed-foot a').first()).toHaveAttribute('target', '_blank');
  // The badge is an image the wiki page can show.
  const badge = page.locator('#badge');
  await expect(badge).toBeVisible();
  expect(await badge.evaluate((img) => /** @type {HTMLImageElement} */ (img).naturalWidth)).toBeGreaterThan(40);
  // A full page is not rendered in its frame (loaded with the others): its policy refuses
  // every ancestor.
  await expect(page.frameLocator('#full').locator('table.glance')).toHaveCount(0);
  await page.screenshot({ path: path.join(screenshotDir(), 'embeds-in-a-wiki-page.png'), fullPage: true });
  wiki.close();
  // The badge on its own, as a README shows it.
  await page.goto(team.links.badge);
  await page.screenshot({ path: path.join(screenshotDir(), 'embeds-badge.png') });
});

test('link previews read the labels and the card of a topic, a result and a decision', async ({ page, request }) => {
  const base = baseUrl();
  const team = await decision(request);
  const result = await permalink(request);
  const labels = ['twitter:label1', 'twitter:data1', 'twitter:label2', 'twitter:data2'].map((property) => ({
    multiple: false,
    property,
    fieldName: property.replace('twitter:', ''),
  }));
  const read = async (url) => {
    const { error, result: r } = await ogs({
      url,
      customMetaTags: labels,
      urlValidatorSettings: { protocols: ['http'], require_tld: false, require_host: true, require_protocol: true },
    });
    expect(error).toBe(false);
    return r;
  };
  const topic = await read(`${base}/topics/security`);
  expect(topic.ogTitle).toContain('Security');
  expect(topic.ogImage?.[0]?.url).toContain('/cards/topics-security.');

  const r = await read(result);
  expect(r.customMetaTags.label1).toBe('Recommendation');
  expect(['Django', 'Flask', 'A toss-up']).toContain(r.customMetaTags.data1);
  expect(r.customMetaTags.label2).toBe('Confidence');
  expect(r.ogImage?.[0]?.url).toContain('/cards/recommendation-');

  const d = await read(team.links.view);
  expect(d.ogTitle).toContain(TITLE);
  expect(['Recommendation', 'Outcome']).toContain(d.customMetaTags.label1);
  expect(d.customMetaTags.label2).toBe('Agreement');
  expect(d.customMetaTags.data2).toMatch(/^\d+ of 2$/);
  expect(d.ogImage?.[0]?.url).toContain('/cards/team-');
  // What a Slack-style unfurl shows of each, drawn from what the scraper read.
  const card = (read) => {
    const tags = read.customMetaTags || {};
    const fields = [1, 2]
      .filter((n) => tags[`label${n}`])
      .map((n) => `<div><b>${escapeHtml(tags[`label${n}`])}</b><br>${escapeHtml(tags[`data${n}`])}</div>`)
      .join('');
    return `<article style="border-left:4px solid #ccc;padding:4px 12px;margin:16px;font:14px sans-serif;max-width:520px">
<div style="color:#555">${escapeHtml(read.ogSiteName)}</div>
<div style="font-weight:bold;color:#1264a3">${escapeHtml(read.ogTitle)}</div>
<div>${escapeHtml(read.ogDescription)}</div>
<div style="display:flex;gap:32px;margin:6px 0">${fields}</div>
<img src="${escapeHtml(read.ogImage?.[0]?.url)}" alt="" style="width:360px;border-radius:6px"></article>`;
  };
  const unfurls = await serveElsewhere(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unfurls</title></head><body>${[topic, r, d].map(card).join('')}</body></html>`,
  );
  await page.setViewportSize({ width: 600, height: 1200 });
  await page.goto(unfurls.url);
  // The cards show on another site's page, as an oEmbed consumer's thumbnail would.
  for (const img of await page.locator('img').all()) {
    expect(await img.evaluate((i) => /** @type {HTMLImageElement} */ (i).naturalWidth)).toBe(1200);
  }
  await page.screenshot({ path: path.join(screenshotDir(), 'embeds-unfurls.png'), fullPage: true });
  unfurls.close();
});

test('an oEmbed consumer finds each page\'s answer by discovery', async ({ request }) => {
  const base = baseUrl();
  const team = await decision(request);
  for (const [url, embed] of [
    [`${base}/topics/security`, `${base}/embed/topics/security`],
    [await permalink(request), `${base}/embed/recommendation?`],
    [team.links.view, team.links.embed],
  ]) {
    const answer = await extract(url, { maxwidth: 400 });
    expect(answer.method).toBe('auto-discovery');
    expect(answer.type).toBe('rich');
    expect(answer.version).toBe('1.0');
    expect(answer.width).toBeLessThanOrEqual(400);
    expect(answer.html).toContain(`<iframe src="${embed}`);
    expect(answer.html).not.toContain(team.id);
  }
});

test('embeds are accessible, load without console errors or CSP violations, and fit narrow frames', async ({ browser, request }) => {
  const team = await decision(request);
  const result = await permalink(request);
  const embeds = [
    '/embed/topics/security',
    `/embed/recommendation${new URL(result).search}`,
    new URL(team.links.embed).pathname,
  ];
  for (const width of [360, 560]) {
    const context = await browser.newContext({ viewport: { width, height: 600 }, baseURL: baseUrl() });
    const page = await context.newPage();
    const watch = await monitor(page);
    for (const embed of embeds) {
      await page.goto(embed);
      const overflow = await horizontalOverflow(page);
      expect(overflow.offenders, `${embed} at ${width} px`).toEqual([]);
    }
    const seen = await watch.collect();
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.csp).toEqual([]);
    await context.close();
  }
  // A separate context with bypassCSP, only so that axe-core can be injected.
  const axeContext = await browser.newContext({ viewport: { width: 560, height: 600 }, baseURL: baseUrl(), bypassCSP: true });
  const page = await axeContext.newPage();
  for (const embed of embeds) {
    await page.goto(embed);
    const violations = await runAxe(page, { runOnly: { type: 'tag', values: WCAG_TAGS } });
    expect(violations, formatViolations(violations, embed)).toEqual([]);
  }
  await axeContext.close();
});

test('a team page copies its paste block with one button, and shows it without script', async ({ browser, request }) => {
  const team = await decision(request);
  const view = new URL(team.links.view).pathname;
  const context = await browser.newContext({ baseURL: baseUrl() });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl() });
  const page = await context.newPage();
  await page.goto(view);
  const block = page.locator('pre.paste');
  const markdown = await block.innerText();
  expect(markdown).toContain(`### ${TITLE}`);
  expect(markdown).toContain(`Read-only link: <${team.links.view}>`);
  expect(markdown).toMatch(/\*\*Team result:\*\* (a toss-up|(Django|Flask) \([a-z -]+\))  \n/);
  await page.locator('section[aria-labelledby="paste"]').screenshot({ path: path.join(screenshotDir(), 'embeds-paste-block.png') });
  await page.getByRole('button', { name: /^Copy Markdown/ }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(markdown);
  await context.close();
  const noScript = await browser.newContext({ baseURL: baseUrl(), javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(view);
  await expect(plain.locator('pre.paste')).toContainText('Read-only link:');
  await expect(plain.getByRole('button', { name: /^Copy Markdown/ })).toHaveCount(0);
  await noScript.close();
});
