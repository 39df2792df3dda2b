//! Loading a content directory, in phases: the site settings, every Markdown file, the checks
//! across files, the questionnaire, the data files charts embed, and the links between them.
//! Every phase records its problems and the next still runs, so `versus check` lists them all.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use super::document::{self, Document};
use super::front_matter::{
    self, FrameworkMeta, PageMeta, PerFramework, Rules, SiteMeta, TopicMeta, EITHER,
};
use super::{
    data, examples, links, markdown, packages, questionnaire, Changed, Content, Framework, Kind,
    Page, Problem, Problems, Topic, FACT_PREFIX, MAX_LEAN, MIN_GLANCE_ROWS, MIN_TOPIC_SOURCES,
    REQUIRED_PAGES,
};

/// Loads and checks the content in `dir`, reporting every problem at once.
pub fn load(dir: &Path) -> Result<Content, Problems> {
    load_on(dir, chrono::Utc::now().date_naive())
}

/// [`load`] as if today were `today` (the release-currency rule depends on the date).
pub fn load_on(dir: &Path, today: NaiveDate) -> Result<Content, Problems> {
    let mut problems = Problems::default();
    if !dir.is_dir() {
        problems.push(
            Problem::new(dir, None, "the content directory does not exist or is not a directory")
                .hint("pass --content DIR (or set VERSUS_CONTENT) to a directory with site.toml, topics/, frameworks/ and pages/"),
        );
        return Err(problems);
    }
    let site_path = dir.join("site.toml");
    let site: Option<SiteMeta> = front_matter::read_toml(
        &site_path,
        "the site settings",
        "every content directory needs a site.toml with title, tagline, description, base_url and frameworks",
        &mut problems,
    )
    .map(|(_, site)| site);
    let slugs: Vec<String> = site
        .as_ref()
        .map(|s| s.frameworks.clone())
        .unwrap_or_default();

    let mut frameworks: Vec<Framework> =
        document::load_all::<FrameworkMeta>(dir, Kind::Framework, &mut problems)
            .into_iter()
            .map(Document::into_entry)
            .collect();
    let mut topics: Vec<Topic> = document::load_all::<TopicMeta>(dir, Kind::Topic, &mut problems)
        .into_iter()
        .map(|doc| topic(doc, &slugs, &mut problems))
        .collect();
    topics.sort_by(|a, b| (a.meta.weight, &a.slug).cmp(&(b.meta.weight, &b.slug)));
    let mut pages: Vec<Page> = Vec::new();
    for kind in Kind::ALL.into_iter().filter(|k| k.is_plain()) {
        pages.extend(
            document::load_all::<PageMeta>(dir, kind, &mut problems)
                .into_iter()
                .map(Document::into_entry),
        );
    }

    if let Some(site) = &site {
        check_site(dir, site, &mut frameworks, &mut problems);
    }
    check_required_pages(dir, &mut problems);
    check_page_addresses(dir, &pages, &mut problems);
    if let Some(site) = &site {
        check_rules(dir, &site.rules, &topics, &pages, &mut problems);
        check_groups(dir, site, &topics, &mut problems);
        check_release_currency(dir, &site.rules, &frameworks, &topics, today, &mut problems);
    }
    check_accessed_dates(dir, &frameworks, &topics, &pages, &mut problems);
    let loaded = questionnaire::load(&dir.join("questionnaire.toml"), &slugs, &mut problems);
    let examples = examples::load(
        &dir.join("examples.toml"),
        loaded.as_ref().map(|l| &l.questionnaire),
        &mut problems,
    );
    let benchmarks = load_charts(dir, &topics, &pages, &slugs, &mut problems);
    let (Some(site), Some(loaded)) = (site, loaded) else {
        return Err(problems);
    };
    let questionnaire_history = load_questionnaire_history(dir, &slugs, &mut problems);
    let packages = packages::load(dir, &slugs, &mut problems);
    let content = Content {
        site,
        frameworks,
        topics,
        pages,
        questionnaire: loaded.questionnaire,
        questionnaire_history,
        questionnaire_changes: loaded.changes,
        benchmarks,
        packages,
        questionnaire_links: loaded.links,
        questionnaire_steps: loaded.steps,
        examples: examples.examples,
        example_links: examples.links,
    };
    links::check(dir, &content, &mut problems);
    check_changes(dir, &content, &mut problems);
    check_questionnaire_changes(dir, &content, &mut problems);
    check_packages(dir, &content, &mut problems);
    if problems.is_empty() {
        Ok(content)
    } else {
        Err(problems)
    }
}

/// A topic, with the checks only topics need: versions, the at-a-glance table, a value per
/// framework in every row, verdict and example, and enough sources.
fn topic(doc: Document<TopicMeta>, frameworks: &[String], problems: &mut Problems) -> Topic {
    let path = doc.path.as_path();
    let meta = &doc.meta;
    let top = Some(doc.front_matter_line);
    if meta.versions_reviewed.is_empty() {
        problems.push(
            Problem::new(path, top, "`versions_reviewed` is empty")
                .hint("list the framework versions this review covered"),
        );
    }
    if meta.glance.len() < MIN_GLANCE_ROWS {
        problems.push(
            Problem::new(
                path,
                top,
                format!("the at-a-glance table has {} rows", meta.glance.len()),
            )
            .hint(format!(
                "add [[glance]] rows until there are at least {MIN_GLANCE_ROWS}"
            )),
        );
    }
    check_inline_text(&doc, problems);
    check_lean(&doc, frameworks, problems);
    for row in &meta.glance {
        let what = format!("the at-a-glance row `{}`", row.get_ref().aspect);
        let line = doc.line_of(&row.span());
        check_per_framework(
            path,
            line,
            &what,
            &row.get_ref().values,
            frameworks,
            problems,
        );
    }
    let line = doc.line_of(&meta.verdict.span());
    check_per_framework(
        path,
        line,
        "the verdict",
        meta.verdict.get_ref(),
        frameworks,
        problems,
    );
    for example in &meta.examples {
        let what = format!("the example `{}`", example.get_ref().title);
        let line = doc.line_of(&example.span());
        check_per_framework(
            path,
            line,
            &what,
            &example.get_ref().code,
            frameworks,
            problems,
        );
    }
    if meta.sources.len() < MIN_TOPIC_SOURCES {
        problems.push(
            Problem::new(path, top, format!("the topic has {} source(s)", meta.sources.len()))
                .hint(format!("add at least {MIN_TOPIC_SOURCES} [[sources]] with id, title, url and accessed, and cite them with [^id]")),
        );
    }
    doc.into_entry()
}

/// Front-matter text that shows on pages (glance cells, verdicts, example notes) must be inline
/// Markdown: it is rendered, and anything that would not render inline is refused.
fn check_inline_text(doc: &Document<TopicMeta>, problems: &mut Problems) {
    let meta = &doc.meta;
    let mut check = |line: usize, what: String, text: &str| {
        if let Err(found) = markdown::inline(text) {
            problems.push(
                Problem::new(&doc.path, Some(line), format!("{what} contains {found}")).hint(
                    "front-matter text that shows on pages is inline Markdown only: `code`, *emphasis*, **strong**",
                ),
            );
        }
    };
    for row in &meta.glance {
        let line = doc.line_of(&row.span());
        let row = row.get_ref();
        check(
            line,
            format!("the at-a-glance row `{}`", row.aspect),
            &row.aspect,
        );
        for (framework, value) in &row.values {
            check(
                line,
                format!("the at-a-glance row `{}` for `{framework}`", row.aspect),
                value,
            );
        }
    }
    for (framework, verdict) in meta.verdict.get_ref() {
        check(
            doc.line_of(&meta.verdict.span()),
            format!("the verdict for `{framework}`"),
            verdict,
        );
    }
    for example in &meta.examples {
        if let Some(note) = &example.get_ref().note {
            let what = format!("the note of the example `{}`", example.get_ref().title);
            check(doc.line_of(&example.span()), what, note);
        }
    }
    if let Some(lean) = &meta.lean {
        check(
            doc.line_of(&lean.span()),
            "the lean's `because`".to_owned(),
            &lean.get_ref().because,
        );
    }
}

/// A topic's lean names a framework or [`EITHER`], with a reason that fits on a home page card.
fn check_lean(doc: &Document<TopicMeta>, frameworks: &[String], problems: &mut Problems) {
    let Some(lean) = &doc.meta.lean else {
        return;
    };
    let line = Some(doc.line_of(&lean.span()));
    let lean = lean.get_ref();
    if lean.towards != EITHER && !frameworks.contains(&lean.towards) {
        problems.push(
            Problem::new(
                &doc.path,
                line,
                format!("the lean is towards `{}`", lean.towards),
            )
            .hint(format!(
                "name a framework of site.toml ({}) or `{EITHER}`",
                frameworks.join(", ")
            )),
        );
    }
    let chars = lean.because.chars().count();
    if lean.because.trim().is_empty() || chars > MAX_LEAN {
        problems.push(
            Problem::new(
                &doc.path,
                line,
                format!("the lean's `because` has {chars} characters"),
            )
            .hint(format!("say why in one line of 1 to {MAX_LEAN} characters")),
        );
    }
}

/// When site.toml groups topics, every topic names one of its groups and every group has a topic.
fn check_groups(dir: &Path, site: &SiteMeta, topics: &[Topic], problems: &mut Problems) {
    let site_path = dir.join("site.toml");
    let ids: Vec<&str> = site.topic_groups.iter().map(|g| g.id.as_str()).collect();
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            problems.push(
                Problem::new(
                    &site_path,
                    None,
                    format!("the topic group `{id}` is defined twice"),
                )
                .hint("give each [[topic_groups]] entry its own id"),
            );
        } else if !topics.iter().any(|t| t.meta.group.as_deref() == Some(id)) {
            problems.push(
                Problem::new(&site_path, None, format!("no topic is in the group `{id}`"))
                    .hint("set `group` in a topic's front matter, or remove the group"),
            );
        }
    }
    for topic in topics {
        let file = dir.join(&topic.origin.file);
        match &topic.meta.group {
            Some(group) if !ids.contains(&group.as_str()) => problems.push(
                Problem::new(
                    &file,
                    None,
                    format!("the group `{group}` is not in site.toml"),
                )
                .hint(format!(
                    "name one of the [[topic_groups]] ids: {}",
                    ids.join(", ")
                )),
            ),
            None if !ids.is_empty() => problems.push(
                Problem::new(&file, None, "the topic names no `group`").hint(format!(
                    "site.toml groups the topics; name one of: {}",
                    ids.join(", ")
                )),
            ),
            _ => {}
        }
    }
}

/// site.toml against the files: every framework listed has a profile and every profile is
/// listed (then frameworks are put in display order), and the edit URL is usable.
fn check_site(dir: &Path, site: &SiteMeta, frameworks: &mut [Framework], problems: &mut Problems) {
    let site_path = dir.join("site.toml");
    if site.frameworks.is_empty() {
        problems.push(
            Problem::new(&site_path, None, "`frameworks` lists no framework")
                .hint("list the framework slugs in display order, e.g. [\"django\", \"flask\"]"),
        );
    }
    for slug in &site.frameworks {
        if !frameworks.iter().any(|f| &f.slug == slug) {
            problems.push(
                Problem::new(
                    &site_path,
                    None,
                    format!("framework `{slug}` has no profile"),
                )
                .hint(format!(
                    "add frameworks/{slug}.md, or remove `{slug}` from `frameworks`"
                )),
            );
        }
    }
    for f in frameworks.iter() {
        if !site.frameworks.contains(&f.slug) {
            problems.push(
                Problem::new(
                    &dir.join(&f.origin.file),
                    None,
                    format!("framework `{}` is not listed in site.toml", f.slug),
                )
                .hint("add its slug to `frameworks` in site.toml, or delete the file"),
            );
        }
        if f.meta.releases.is_empty() {
            problems.push(
                Problem::new(&dir.join(&f.origin.file), None, "the profile lists no `[[releases]]`")
                    .hint("add a [[releases]] entry (version, released) for each release line the project still publishes"),
            );
        }
    }
    frameworks.sort_by_key(|f| site.frameworks.iter().position(|s| s == &f.slug));
    if let Some(edit_url) = &site.edit_url {
        let absolute = edit_url.starts_with("https://") || edit_url.starts_with("http://");
        if !absolute || !edit_url.contains("{path}") {
            problems.push(
                Problem::new(&site_path, None, format!("`edit_url` is `{edit_url}`"))
                    .hint("give an absolute URL with `{path}` where the file's path goes, e.g. https://example.com/edit/main/content/{path}"),
            );
        }
    }
}

fn check_required_pages(dir: &Path, problems: &mut Problems) {
    for required in REQUIRED_PAGES {
        let file = dir.join(Kind::Page.dir()).join(format!("{required}.md"));
        if !file.is_file() {
            problems.push(
                Problem::new(&file, None, format!("the `{required}` page is missing"))
                    .hint("every site has the pages about, methodology, faq and myths"),
            );
        }
    }
}

/// A content page at the address of one the code serves would hide it, or be hidden by it.
fn check_page_addresses(dir: &Path, pages: &[Page], problems: &mut Problems) {
    for page in pages {
        let path = page.kind.path(&page.slug);
        if crate::paths::APP_ROUTES.contains(&path.as_str()) {
            problems.push(
                Problem::new(
                    &dir.join(&page.origin.file),
                    None,
                    format!("`{path}` is the address of a page the site's code serves"),
                )
                .hint("rename the file; a page's address is /{file name without .md}"),
            );
        }
    }
}

/// Every topic must have been reviewed against every release that is still supported and
/// has been out for longer than `rules.review_after_release_days`.
fn check_release_currency(
    dir: &Path,
    rules: &Rules,
    frameworks: &[Framework],
    topics: &[Topic],
    today: NaiveDate,
    problems: &mut Problems,
) {
    let days = rules
        .review_after_release_days
        .unwrap_or(front_matter::DEFAULT_REVIEW_AFTER_RELEASE_DAYS);
    for framework in frameworks {
        for release in &framework.meta.releases {
            let age = (today - release.released).num_days();
            if !release.supported_on(today) || age <= i64::from(days) {
                continue;
            }
            let name = format!("{} {}", framework.meta.name, release.version);
            for topic in topics {
                if !topic
                    .meta
                    .versions_reviewed
                    .iter()
                    .any(|v| names_release(v, &name))
                {
                    problems.push(
                        Problem::new(
                            &dir.join(&topic.origin.file),
                            Some(topic.origin.updated_line),
                            format!(
                                "`versions_reviewed` does not name {name}, released {} ({age} days ago)",
                                release.released
                            ),
                        )
                        .hint(format!(
                            "review the page against {name}, add \"{name}\" to versions_reviewed and set `updated`; \
                             rules.review_after_release_days in site.toml is {days}"
                        )),
                    );
                }
            }
        }
    }
}

/// One source, one date: a URL cited on several pages must carry the same `accessed` date, so
/// a reader never sees the same fact checked on two different days.
fn check_accessed_dates(
    dir: &Path,
    frameworks: &[Framework],
    topics: &[Topic],
    pages: &[Page],
    problems: &mut Problems,
) {
    let cited = frameworks
        .iter()
        .map(|f| (&f.origin, &f.sources))
        .chain(topics.iter().map(|t| (&t.origin, &t.sources)))
        .chain(pages.iter().map(|p| (&p.origin, &p.sources)));
    // URL → the first (file, date) seen.
    let mut first: BTreeMap<&str, (&str, NaiveDate)> = BTreeMap::new();
    for (origin, sources) in cited {
        for source in sources.iter() {
            match first.get(source.url.as_str()) {
                Some((file, date)) if *date != source.accessed => problems.push(
                    Problem::new(
                        &dir.join(&origin.file),
                        None,
                        format!(
                            "the source `{}` ({}) is dated {} here but {date} in {file}",
                            source.id, source.url, source.accessed
                        ),
                    )
                    .hint("re-read it and give every page that cites it the same `accessed` date"),
                ),
                Some(_) => {}
                None => {
                    first.insert(&source.url, (&origin.file, source.accessed));
                }
            }
        }
    }
}

/// Whether a `versions_reviewed` entry (`"Django 5.2 LTS"`) names the release `"Django 5.2"`:
/// the same name and version, then nothing or a word (not `"Django 5.21"`).
fn names_release(entry: &str, release: &str) -> bool {
    entry
        .strip_prefix(release)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// `chart` blocks that the site generates from the questionnaire rather than from a data file:
/// the example projects' outcomes, and the highest score each framework can reach.
pub const GENERATED: &[&str] = &["examples", "scoring", "scoring-changes"];
/// The suffix of a `chart` block that asks for a data file's numbers as a sentence.
pub const SUMMARY: &str = ":summary";

/// The data files that `chart` blocks name, each loaded once.
fn load_charts(
    dir: &Path,
    topics: &[Topic],
    pages: &[Page],
    frameworks: &[String],
    problems: &mut Problems,
) -> BTreeMap<String, data::Dataset> {
    let mut benchmarks = BTreeMap::new();
    let bodies = topics
        .iter()
        .map(|t| (&t.body, &t.origin))
        .chain(pages.iter().map(|p| (&p.body, &p.origin)));
    for (body, origin) in bodies {
        for chart in &body.charts {
            // `name:summary` is the sentence made from that data file's numbers.
            let name = chart.text.strip_suffix(SUMMARY).unwrap_or(&chart.text);
            if benchmarks.contains_key(name) || GENERATED.contains(&name) {
                continue;
            }
            if markdown::slugify(name) != name {
                problems.push(
                    Problem::new(
                        &dir.join(&origin.file),
                        Some(chart.line),
                        format!("the chart `{}` names no data file", chart.text),
                    )
                    .hint(
                        "name a file in content/data/ without its .toml, e.g. framework-benchmark",
                    ),
                );
                continue;
            }
            if let Some(data) = data::load(dir, name, frameworks, problems) {
                benchmarks.insert(name.to_owned(), data);
            }
        }
    }
    benchmarks
}

/// The editorial rules from site.toml: topic length, FAQ and myth counts.
fn check_rules(
    dir: &Path,
    rules: &Rules,
    topics: &[Topic],
    pages: &[Page],
    problems: &mut Problems,
) {
    if let Some([min, max]) = rules.topic_words {
        for t in topics {
            let words = t.body.words;
            if words < min || words > max {
                problems.push(
                    Problem::new(
                        &dir.join(&t.origin.file),
                        None,
                        format!("the body has {words} words of prose"),
                    )
                    .hint(format!(
                        "a topic body has {min} to {max} words (rules.topic_words in site.toml)"
                    )),
                );
            }
        }
    }
    // Pages of questions (`faq = true`) and the myths page count their `##` sections.
    for page in pages {
        let (min, what) = if page.meta.faq {
            (rules.min_faq_questions, "questions")
        } else if page.slug == "myths" {
            (rules.min_myths, "myths")
        } else {
            continue;
        };
        let Some(min) = min else {
            continue;
        };
        let count = page.body.toc.len();
        if count < min {
            problems.push(
                Problem::new(
                    &dir.join(&page.origin.file),
                    None,
                    format!("the page has {count} {what} (`##` sections)"),
                )
                .hint(format!("it needs at least {min}; see rules in site.toml")),
            );
        }
    }
}

fn check_per_framework(
    path: &Path,
    line: usize,
    what: &str,
    values: &PerFramework,
    frameworks: &[String],
    problems: &mut Problems,
) {
    // Without a readable site.toml the frameworks are unknown; that problem is reported once.
    if frameworks.is_empty() {
        return;
    }
    for slug in frameworks {
        if values.get(slug).is_none_or(|v| v.trim().is_empty()) {
            problems.push(
                Problem::new(
                    path,
                    Some(line),
                    format!("{what} has no value for `{slug}`"),
                )
                .hint(format!(
                    "add `{slug} = \"…\"`: every framework in site.toml needs one"
                )),
            );
        }
    }
    for key in values.keys() {
        if !frameworks.contains(key) {
            problems.push(
                Problem::new(
                    path,
                    Some(line),
                    format!("{what} names an unknown framework `{key}`"),
                )
                .hint(format!("use one of: {}", frameworks.join(", "))),
            );
        }
    }
}

/// Every written page's change history: an entry for its reviewed date (so a new `updated`
/// never goes without saying what changed), none after it, and every `touched` id a section of
/// the page or a questionnaire fact (`fact:<id>`).
fn check_changes(dir: &Path, content: &Content, problems: &mut Problems) {
    let targets = links::targets(content);
    let facts: std::collections::BTreeSet<&str> = content
        .questionnaire
        .questions
        .iter()
        .flat_map(|q| q.options.iter())
        .map(|o| o.fact.as_str())
        .filter(|f| !f.is_empty())
        .collect();
    for w in content.written() {
        let file = dir.join(&w.origin.file);
        if !w.changes.iter().any(|c| c.change.date == w.updated) {
            problems.push(
                Problem::new(
                    &file,
                    Some(w.origin.updated_line),
                    format!("reviewed on {}, but no [[changes]] entry has that date", w.updated),
                )
                .hint(format!(
                    "add [[changes]] with date = {}, a one-line summary and touched (the ids of the sections or fact:<id>s it changed; [] when nothing changed)",
                    w.updated
                )),
            );
        }
        let ids = targets.get(&w.path);
        for Changed { change, line, .. } in w.changes {
            if change.date > w.updated {
                problems.push(
                    Problem::new(
                        &file,
                        Some(*line),
                        format!(
                            "the change of {} is after the page's reviewed date {}",
                            change.date, w.updated
                        ),
                    )
                    .hint("set `updated` to the date of the newest change"),
                );
            }
            for id in &change.touched {
                let known = match id.strip_prefix(FACT_PREFIX) {
                    Some(fact) => facts.contains(fact),
                    None => ids.is_some_and(|ids| ids.contains(id.trim_start_matches('#'))),
                };
                if !known {
                    problems.push(
                        Problem::new(&file, Some(*line), format!("the change of {} touches `{id}`, which is neither a section of this page nor a questionnaire fact", change.date))
                            .hint("name a heading id of this page (`caching` for ## Caching {#caching}) or fact:<id> from questionnaire.toml"),
                    );
                }
            }
        }
    }
}

/// The directory of earlier questionnaires, each named by its version.
const QUESTIONNAIRE_HISTORY: &str = "questionnaire-history";

/// Every earlier questionnaire in `questionnaire-history/`, checked as the questionnaire is and
/// keyed by its version, which its file name must be (so a name cannot claim another version).
/// Their evidence links are not checked: they point at sections as they were.
fn load_questionnaire_history(
    dir: &Path,
    frameworks: &[String],
    problems: &mut Problems,
) -> BTreeMap<String, crate::recommender::Questionnaire> {
    let mut history = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir.join(QUESTIONNAIRE_HISTORY)) else {
        return history;
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for file in files {
        let Some(loaded) = questionnaire::load(&file, frameworks, problems) else {
            continue;
        };
        let version = questionnaire::version(&loaded.questionnaire);
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if stem != version {
            problems.push(
                Problem::new(
                    &file,
                    None,
                    format!("this questionnaire's version is `{version}`, not `{stem}`"),
                )
                .hint(format!(
                    "name the file {version}.toml: the file name is the version it keeps"
                )),
            );
            continue;
        }
        history.insert(version, loaded.questionnaire);
    }
    history
}

/// Each recorded change of the questionnaire names a version kept in its history (`from`), a
/// one-line summary, and only facts that exist now or in that version.
fn check_questionnaire_changes(dir: &Path, content: &Content, problems: &mut Problems) {
    let file = dir.join("questionnaire.toml");
    let facts_of = |q: &crate::recommender::Questionnaire| -> std::collections::BTreeSet<String> {
        q.questions
            .iter()
            .flat_map(|question| question.options.iter())
            .filter(|o| !o.fact.is_empty())
            .map(|o| o.fact.clone())
            .collect()
    };
    let now = facts_of(&content.questionnaire);
    for (change, line) in &content.questionnaire_changes {
        let Some(before) = content.questionnaire_history.get(&change.from) else {
            problems.push(
                Problem::new(
                    &file,
                    Some(*line),
                    format!(
                        "the change of {} is from version `{}`, which is not kept",
                        change.date, change.from
                    ),
                )
                .hint(format!(
                    "keep the questionnaire as it was in {QUESTIONNAIRE_HISTORY}/{}.toml",
                    change.from
                )),
            );
            continue;
        };
        let chars = change.summary.chars().count();
        if change.summary.trim().is_empty()
            || chars > super::MAX_CHANGE_SUMMARY
            || change.summary.contains('\n')
        {
            problems.push(
                Problem::new(
                    &file,
                    Some(*line),
                    format!(
                        "the change of {} has a summary of {chars} characters",
                        change.date
                    ),
                )
                .hint(format!(
                    "say what changed in one line of 1 to {} characters",
                    super::MAX_CHANGE_SUMMARY
                )),
            );
        }
        let then = facts_of(before);
        for id in &change.touched {
            let known = id
                .strip_prefix(FACT_PREFIX)
                .is_some_and(|fact| now.contains(fact) || then.contains(fact));
            if !known {
                problems.push(
                    Problem::new(&file, Some(*line), format!("the change of {} touches `{id}`, which is no fact of either version", change.date))
                        .hint("name facts as fact:<id>, as declared in [[facts]] now or in the version changed"),
                );
            }
        }
    }
}

/// Every package a topic lists is in packages.toml, and every package of packages.toml that a
/// topic's glance rows, verdicts or examples name is listed by it: a recommended package cannot
/// go without its support data.
fn check_packages(dir: &Path, content: &Content, problems: &mut Problems) {
    for topic in &content.topics {
        let file = dir.join(&topic.origin.file);
        for name in &topic.meta.packages {
            if !content.packages.iter().any(|p| &p.name == name) {
                problems.push(
                    Problem::new(
                        &file,
                        None,
                        format!("`packages` names `{name}`, which packages.toml does not list"),
                    )
                    .hint("add it to packages.toml with what its newest release declares"),
                );
            }
        }
        let mut shown: Vec<&str> = Vec::new();
        for row in topic.glance() {
            shown.push(&row.aspect);
            shown.extend(row.values.values().map(String::as_str));
        }
        shown.extend(topic.verdict().values().map(String::as_str));
        for example in topic.examples() {
            shown.extend(example.note.as_deref());
            shown.extend(example.code.values().map(String::as_str));
        }
        for package in &content.packages {
            let named = shown.iter().any(|text| names_package(text, &package.name));
            if named && !topic.meta.packages.iter().any(|n| n == &package.name) {
                problems.push(
                    Problem::new(&file, None, format!("the glance table, verdict or examples name `{}`, which `packages` does not list", package.name))
                        .hint("add it to the topic's `packages`, so its support caveat is shown"),
                );
            }
        }
    }
}

/// Whether `text` names the package `name` as a word (not inside a longer name).
fn names_package(text: &str, name: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    lower.match_indices(&name).any(|(at, _)| {
        let before = lower[..at].chars().next_back();
        let after = lower[at + name.len()..].chars().next();
        !before.is_some_and(is_name_char) && !after.is_some_and(is_name_char)
    })
}

#[cfg(test)]
mod tests {
    use super::names_release;

    #[test]
    fn a_reviewed_entry_names_a_release_with_or_without_a_suffix() {
        assert!(names_release("Django 5.2 LTS", "Django 5.2"));
        assert!(names_release("Django 6.1", "Django 6.1"));
        assert!(!names_release("Django 6.10", "Django 6.1"));
        assert!(!names_release("Django 6.0", "Django 6.1"));
        assert!(!names_release("Flask 3.1", "Django 3.1"));
    }
}
