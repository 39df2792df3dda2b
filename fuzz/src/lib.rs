//! What the fuzz targets check. tests/api/fuzz_seeds.rs includes this file as a module and runs
//! the committed seeds through it on every `cargo test`, so it uses only `versus`, `serde_json`
//! and std, and nothing nightly.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use versus::content::front_matter::{self, FrameworkMeta, PageMeta, TopicMeta};
use versus::content::markdown::{self, Rendered};
use versus::content::questionnaire;
use versus::content::Problems;
use versus::recommender::{recommend, Answers, Invalid, JsonAnswer, Questionnaire};

/// Citations the Markdown may use when the front matter gives none.
const SOURCES: &[&str] = &["docs", "survey"];

/// Content text: split at the `+++` fences, the front matter parsed as each kind of page, the
/// body rendered; and the whole text rendered as a body too, so Markdown is reached directly.
pub fn content(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("content/topics/fuzz.md");
    match front_matter::split(path, text) {
        Ok(split) => {
            let body_at = split.body.as_ptr() as usize - text.as_ptr() as usize;
            assert_eq!(split.body_line, line_at(text, body_at), "the body's line");
            let topic = front_matter::parse::<TopicMeta>(path, &split);
            let page = front_matter::parse::<PageMeta>(path, &split);
            let framework = front_matter::parse::<FrameworkMeta>(path, &split);
            for line in [
                topic.as_ref().err().map(|p| p.line),
                page.as_ref().err().map(|p| p.line),
                framework.as_ref().err().map(|p| p.line),
            ]
            .into_iter()
            .flatten()
            {
                let line = line.expect("a front matter problem has a line");
                assert!(
                    (split.front_matter_line..split.body_line).contains(&line),
                    "front matter problem on line {line}, outside the front matter"
                );
            }
            let sources: Vec<String> = match &topic {
                Ok(meta) => meta
                    .sources
                    .iter()
                    .map(|s| s.get_ref().id.clone())
                    .collect(),
                Err(_) => SOURCES.iter().map(|s| (*s).to_owned()).collect(),
            };
            check_rendered(
                split.body,
                split.body_line,
                &markdown::render(split.body, split.body_line, &sources),
            );
        }
        Err(problem) => assert_eq!(problem.line, Some(1), "{problem}"),
    }
    let sources: Vec<String> = SOURCES.iter().map(|s| (*s).to_owned()).collect();
    check_rendered(text, 1, &markdown::render(text, 1, &sources));
}

/// Answers: the bytes as a form body (or query string), and as the JSON API's `answers` object.
pub fn form(data: &[u8]) {
    let q = questionnaire_for_fuzzing();
    check_answers(q, Answers::parse_urlencoded(q, data));
    if let Ok(answers) = serde_json::from_slice::<BTreeMap<String, JsonAnswer>>(data) {
        check_answers(q, Answers::from_json(q, &answers));
    }
}

/// The bundled questionnaire, loaded once: real ids, prompts and rules.
fn questionnaire_for_fuzzing() -> &'static Questionnaire {
    static LOADED: OnceLock<Questionnaire> = OnceLock::new();
    LOADED.get_or_init(|| {
        // This file is compiled from the fuzz crate and from the main crate's tests.
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = [manifest.to_path_buf(), manifest.join("..")]
            .iter()
            .map(|dir| dir.join("content").join("questionnaire.toml"))
            .find(|path| path.exists())
            .expect("content/questionnaire.toml in the repository");
        let mut problems = Problems::default();
        let frameworks = ["django".to_owned(), "flask".to_owned()];
        let loaded = questionnaire::load(&path, &frameworks, &mut problems);
        assert!(problems.is_empty(), "{problems}");
        loaded.expect("the questionnaire loads").questionnaire
    })
}

fn check_answers(q: &Questionnaire, outcome: Result<Answers, Invalid>) {
    match outcome {
        Ok(answers) => {
            let r = recommend(q, &answers);
            assert_eq!(r.scores.len(), q.frameworks.len());
            // The permalink's encoding reads back as the same answers.
            let query = answers.to_query(q);
            assert_eq!(
                Answers::parse_urlencoded(q, query.as_bytes()),
                Ok(answers),
                "{query}"
            );
        }
        Err(invalid) => {
            assert!(!invalid.errors.is_empty());
            for e in &invalid.errors {
                assert!(e.field.chars().count() <= 60, "field {:?}", e.field);
                assert!(e.message.chars().count() <= 300, "message {:?}", e.message);
            }
            // What the form keeps after an error reads back as itself.
            let query = invalid.kept.to_query(q);
            let again = Answers::parse_urlencoded(q, query.as_bytes());
            assert_eq!(again.unwrap_or_else(|i| i.kept), invalid.kept, "{query}");
        }
    }
}

/// Tags the renderer may write; any other means some input reached the page unescaped.
const TAGS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Attributes the renderer may write.
const ATTRIBUTES: &[&str] = &[
    "alt",
    "aria-label",
    "class",
    "href",
    "id",
    "src",
    "start",
    "tabindex",
    "title",
];

fn check_rendered(body: &str, first_line: usize, rendered: &Rendered) {
    let last_line = first_line + body.matches('\n').count();
    for located in rendered
        .internal_links
        .iter()
        .chain(&rendered.unknown_footnotes)
        .chain(&rendered.charts)
        .chain(&rendered.misuse)
    {
        assert!(
            (first_line..=last_line).contains(&located.line),
            "{:?} on line {}, outside lines {first_line}..={last_line}",
            located.text,
            located.line
        );
    }
    for entry in &rendered.toc {
        assert!(rendered.ids.contains(&entry.id), "TOC id {:?}", entry.id);
    }
    // Chart placeholders are replaced by the site, which refuses names that are not data files.
    let mut html = rendered.html.clone();
    for chart in &rendered.charts {
        html = html.replace(&markdown::chart_placeholder(&chart.text), "");
    }
    check_tags(&html);
}

/// Every `<` in the HTML opens an allowed tag with allowed, quoted attributes: text is escaped.
pub fn check_tags(html: &str) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let tag = &rest[open + 1..];
        let inside = tag.strip_prefix('/').unwrap_or(tag);
        let name_end = inside.find([' ', '>', '/']).unwrap_or(inside.len());
        let name = &inside[..name_end];
        assert!(TAGS.contains(&name), "tag <{name}> in {:?}", excerpt(tag));
        let mut attributes = &inside[name_end..];
        loop {
            attributes = attributes.trim_start_matches(' ');
            if let Some(after) = attributes
                .strip_prefix('>')
                .or_else(|| attributes.strip_prefix("/>"))
            {
                rest = after;
                break;
            }
            let eq = attributes
                .find('=')
                .unwrap_or_else(|| panic!("an attribute without a value in {:?}", excerpt(tag)));
            let attribute = &attributes[..eq];
            assert!(
                ATTRIBUTES.contains(&attribute),
                "attribute {attribute:?} in {:?}",
                excerpt(tag)
            );
            let value = attributes[eq + 1..]
                .strip_prefix('"')
                .unwrap_or_else(|| panic!("an unquoted value in {:?}", excerpt(tag)));
            let close = value
                .find('"')
                .unwrap_or_else(|| panic!("an unclosed value in {:?}", excerpt(tag)));
            attributes = &value[close + 1..];
        }
    }
}

/// The 1-based line on which byte `offset` of `text` sits.
fn line_at(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

fn excerpt(text: &str) -> &str {
    match text.char_indices().nth(80) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}
