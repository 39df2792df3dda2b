//! Internal link checking: every `/path#anchor` in the content must reach a page and a heading.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::markdown::Rendered;
use super::{Content, Problem, Problems};
use crate::paths::APP_ROUTES;

/// Every content page's path with the ids a link may target on it.
pub fn targets(content: &Content) -> HashMap<String, HashSet<String>> {
    let mut map: HashMap<String, HashSet<String>> = HashMap::new();
    let sources_ids = |ids: &mut HashSet<String>, sources: &[super::front_matter::Source]| {
        if !sources.is_empty() {
            ids.insert("sources".to_owned());
        }
        ids.extend(sources.iter().map(|s| format!("source-{}", s.id)));
    };
    for t in &content.topics {
        let mut ids: HashSet<String> = t.body.ids.iter().cloned().collect();
        ids.extend(["at-a-glance", "verdict", "contents", super::CHANGES_ID].map(String::from));
        if !t.meta.packages.is_empty() {
            ids.insert(super::PACKAGES_ID.to_owned());
        }
        if t.examples().next().is_some() {
            ids.insert("code".to_owned());
        }
        sources_ids(&mut ids, &t.sources);
        map.insert(t.written().path, ids);
    }
    for f in &content.frameworks {
        let mut ids: HashSet<String> = f.body.ids.iter().cloned().collect();
        ids.extend(["releases", "by-topic", "contents", super::CHANGES_ID].map(String::from));
        sources_ids(&mut ids, &f.sources);
        map.insert(f.written().path, ids);
    }
    for p in &content.pages {
        let mut ids: HashSet<String> = p.body.ids.iter().cloned().collect();
        ids.insert(super::CHANGES_ID.to_owned());
        sources_ids(&mut ids, &p.sources);
        map.insert(p.written().path, ids);
    }
    map.insert("/".to_owned(), HashSet::new());
    map.insert(
        "/compare".to_owned(),
        content.topics.iter().map(|t| t.slug.clone()).collect(),
    );
    map
}

/// Reports every internal link in `content` that reaches no page or no anchor.
pub fn check(dir: &Path, content: &Content, problems: &mut Problems) {
    let targets = targets(content);
    let mut check_body = |file: &Path, own: &str, body: &Rendered| {
        for link in &body.internal_links {
            if let Some(message) = broken(&targets, own, &link.text) {
                problems.push(
                    Problem::new(file, Some(link.line), message)
                        .hint("fix the path, or the anchor to an id that page defines"),
                );
            }
        }
    };
    for t in &content.topics {
        check_body(&dir.join(&t.origin.file), &t.written().path, &t.body);
    }
    for f in &content.frameworks {
        check_body(&dir.join(&f.origin.file), &f.written().path, &f.body);
    }
    for p in &content.pages {
        check_body(&dir.join(&p.origin.file), &p.written().path, &p.body);
    }
    for link in &content.questionnaire_links {
        if let Some(message) = broken(&targets, "/recommend", &link.text) {
            problems.push(
                Problem::new(&dir.join("questionnaire.toml"), Some(link.line), message)
                    .hint("link each option to the topic section that justifies its weights"),
            );
        }
    }
    for link in &content.example_links {
        if let Some(message) = broken(&targets, "/methodology", &link.text) {
            problems.push(
                Problem::new(&dir.join("examples.toml"), Some(link.line), message)
                    .hint("link to the topic sections that explain the outcome"),
            );
        }
    }
    check_aliases(dir, content, &targets, problems);
}

/// An alias must be a root-relative path that no page and no other alias already uses.
fn check_aliases(
    dir: &Path,
    content: &Content,
    targets: &HashMap<String, HashSet<String>>,
    problems: &mut Problems,
) {
    let file = |kind: &str, slug: &str| dir.join(kind).join(format!("{slug}.md"));
    let topics = content
        .topics
        .iter()
        .map(|t| (&t.meta.aliases, file("topics", &t.slug)));
    let frameworks = content
        .frameworks
        .iter()
        .map(|f| (&f.meta.aliases, file("frameworks", &f.slug)));
    let pages = content
        .pages
        .iter()
        .map(|p| (&p.meta.aliases, file("pages", &p.slug)));
    let mut seen = HashSet::new();
    for (aliases, file) in topics.chain(frameworks).chain(pages) {
        for alias in aliases {
            let message = if !alias.starts_with('/') || alias.contains(['#', '?', ' ']) {
                format!("the alias `{alias}` is not a plain root-relative path")
            } else if targets.contains_key(alias) || APP_ROUTES.contains(&alias.as_str()) {
                format!("the alias `{alias}` is the address of a page that exists")
            } else if !seen.insert(alias.clone()) {
                format!("the alias `{alias}` is claimed by two pages")
            } else {
                continue;
            };
            problems.push(
                Problem::new(&file, None, message).hint(
                    "an alias is an old URL, such as /topics/old-name, that now redirects here",
                ),
            );
        }
    }
}

/// Why `link`, found on the page at `own`, is broken; `None` when it resolves.
pub fn broken(targets: &HashMap<String, HashSet<String>>, own: &str, link: &str) -> Option<String> {
    let (path, fragment) = match link.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (link, None),
    };
    let path = if path.is_empty() {
        own
    } else {
        path.split('?').next().unwrap_or(path)
    };
    if APP_ROUTES.contains(&path) || path.starts_with("/static/") {
        return None;
    }
    let Some(ids) = targets.get(path) else {
        return Some(format!("the link `{link}` goes to no page"));
    };
    match fragment {
        Some(id) if !ids.contains(id) => Some(format!(
            "the link `{link}` names the anchor `#{id}`, which `{path}` does not have"
        )),
        _ => None,
    }
}
