// The Nu HTML Checker (vnu-jar, run on Java) over the pages people see: every page in the
// sitemap, the 404 page, a search, the questionnaire, its 422, a recommendation (as posted and at
// its permalink) and a team decision's pages with two members who disagree, and the embeds of
// every topic, the result and the decision. Fails on any error.
// Usage: VERSUS_BASE_URL=http://127.0.0.1:PORT node vnu.js   (tests/e2e/run.sh does this)
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

if (!process.env.VERSUS_BASE_URL) {
  console.error('vnu: VERSUS_BASE_URL is not set: run it through tests/e2e/run.sh');
  process.exit(2);
}
const base = new URL(process.env.VERSUS_BASE_URL).origin;

/** The path and query of `url` (absolute, or relative to the server). */
const local = (url) => {
  const u = new URL(url, base);
  return u.pathname + u.search;
};

async function request(method, pathname, body) {
  const init = { method, redirect: 'manual', headers: {} };
  if (body !== undefined) {
    init.body = new URLSearchParams(body).toString();
    init.headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  return fetch(base + pathname, init);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'versus-vnu-'));
  const pages = []; // { file, label }
  const problems = [];

  /** Saves an HTML response after checking its status; returns the response. */
  async function save(label, response, status) {
    const text = await response.text();
    if (response.status !== status) {
      problems.push(`${label}: HTTP ${response.status}, expected ${status}`);
      return response;
    }
    const file = path.join(dir, `${String(pages.length).padStart(3, '0')}.html`);
    fs.writeFileSync(file, text);
    pages.push({ file, label });
    return response;
  }
  const get = async (pathname, status = 200) => save(`GET ${pathname}`, await request('GET', pathname), status);

  // 1. The sitemap's pages, on this server.
  const xml = await (await request('GET', '/sitemap.xml')).text();
  const paths = [...xml.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)].map((m) => local(m[1].replace(/&amp;/g, '&')));
  if (paths.length === 0) throw new Error('no <loc> in /sitemap.xml');
  for (const p of paths) await get(p);
  // Each topic's embed, which other sites frame.
  for (const p of paths.filter((p) => p.startsWith('/topics/'))) await get(`/embed${p}`);
  if (!paths.includes('/recommend')) await get('/recommend');

  // 2. Pages that are not in the sitemap.
  await get('/vnu-no-such-page', 404);
  await get('/search?q=csrf');
  await save('POST /recommend (no answers)', await request('POST', '/recommend', []), 422);

  const questionnaire = await (await request('GET', '/api/questionnaire')).json();
  const pick = (which) =>
    questionnaire.questions
      .filter((q) => q.required)
      .map((q) => [q.id, which(q.options).id]);
  const first = pick((o) => o[0]);
  const last = pick((o) => o[o.length - 1]);
  const posted = await save('POST /recommend (answered)', await request('POST', '/recommend', first), 200);
  const permalink = posted.headers.get('content-location');
  if (permalink) {
    await get(local(permalink));
    // The result's embed (the permalink's query).
    await get(`/embed/recommendation${new URL(permalink, base).search}`);
  }
  else problems.push('POST /recommend: no Content-Location naming the permalink');

  // 3. A team decision: the start form, the organiser's page, the team page with two members who
  // disagree, the answer form and its 422.
  await get('/teams');
  const created = await request('POST', '/teams', [['title', 'Nu checker: framework for the API']]);
  const organiser = created.headers.get('location');
  if (created.status !== 303 || !organiser) {
    problems.push(`POST /teams: HTTP ${created.status}, expected 303 with a Location`);
  } else {
    const team = local(organiser).split('/organiser/')[0];
    for (const [name, answers, comment] of [
      ['Ana', first, 'We know the admin well'],
      ['Bo', last, ''],
    ]) {
      const joined = await request('POST', `${team}/answers`, [['name', name], ['comment', comment], ...answers]);
      if (joined.status !== 303) problems.push(`POST ${team}/answers as ${name}: HTTP ${joined.status}, expected 303`);
    }
    await get(team);
    await get(local(organiser));
    // Its read-only page and the embed other sites frame.
    const links = (await (await request('GET', `/api${team}`)).json()).links;
    await get(local(links.view));
    await get(local(links.embed));
    await get(`${team}/join`);
    await save(`POST ${team}/answers (no answers)`, await request('POST', `${team}/answers`, []), 422);
  }

  // 4. One Java run over every file.
  const jar = String(require('vnu-jar'));
  const run = spawnSync('java', ['-jar', jar, '--errors-only', '--format', 'json', '--stdout', ...pages.map((p) => p.file)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  let messages;
  try {
    messages = JSON.parse(run.stdout).messages;
  } catch (e) {
    throw new Error(`vnu gave no JSON report (exit ${run.status}): ${run.stderr || run.stdout}`);
  }
  const labelOf = new Map(pages.map((p) => [p.file, p.label]));
  const errors = messages.filter((m) => m.type !== 'info');
  for (const m of errors) {
    const file = m.url ? decodeURIComponent(new URL(m.url).pathname) : '';
    console.error(`vnu: ${labelOf.get(file) || file}:${m.lastLine || '?'}: ${m.message}${m.extract ? `\n    ${m.extract.trim()}` : ''}`);
  }
  for (const p of problems) console.error(`vnu: ${p}`);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`vnu: ${errors.length} error(s) over ${pages.length} pages`);
  if (errors.length > 0 || problems.length > 0) process.exit(1);
}

main().catch((e) => {
  console.error(`vnu: ${e.stack || e}`);
  process.exit(2);
});
