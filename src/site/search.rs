//! Full-text search over every topic, framework and content page, at the level of sections.
//! The index is built once with the site and kept in memory; ranking is BM25 (the `bm25` crate,
//! with English stemming and stop words). Excerpts are plain text, escaped by the template.

use askama::Template;
use bm25::{Language, SearchEngine, SearchEngineBuilder, Tokenizer};

use super::views::Layout;
use super::Site;
use crate::content::markdown::{slugify, Section};
use crate::content::{in_order, Content, Kind};
use crate::paths::{framework as framework_path, topic as topic_path};

/// The most results a search page lists.
pub const MAX_RESULTS: usize = 20;
/// Longest query searched, in characters; the rest is ignored and the page says so.
pub const MAX_QUERY_CHARS: usize = 200;
/// BM25's length normalisation, tuned on the bundled content.
const BM25_B: f32 = 0.3;
/// Words shown in an excerpt.
const EXCERPT_WORDS: usize = 32;

/// One searchable section of a page.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Where the result links: the page, with the section's anchor when it has one.
    pub url: String,
    pub page_title: String,
    /// The section's heading; `None` for the top of the page.
    pub section: Option<String>,
    /// What kind of page.
    pub kind: Kind,
    text: String,
}

/// A plain-text piece of an excerpt; `mark` when it is a word the query matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub text: String,
    pub mark: bool,
}

/// A ranked result.
#[derive(Debug)]
pub struct Hit<'a> {
    pub entry: &'a Entry,
    pub excerpt: Vec<Fragment>,
}

/// The in-memory index.
pub struct SearchIndex {
    entries: Vec<Entry>,
    engine: SearchEngine<u32>,
    tokenizer: bm25::DefaultTokenizer,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Indexes every section of every page in `content`.
    pub fn build(content: &Content) -> Self {
        let mut entries = Vec::new();
        for topic in &content.topics {
            let path = topic_path(&topic.slug);
            let title = &topic.meta.title;
            let mut add = |anchor: Option<&str>, section: Option<&str>, text: String| {
                entries.push(entry(&path, title, Kind::Topic, anchor, section, text));
            };
            add(None, None, intro(&topic.meta.summary, &topic.body.sections));
            let glance = topic.glance().map(|row| {
                let values = in_order(&row.values, &content.frameworks)
                    .into_iter()
                    .map(|(f, v)| format!("{}: {v}", f.meta.name))
                    .collect::<Vec<_>>()
                    .join("; ");
                format!("{}. {values}.", row.aspect)
            });
            add(
                Some("at-a-glance"),
                Some("At a glance"),
                glance.collect::<Vec<_>>().join(" "),
            );
            let verdict = in_order(topic.verdict(), &content.frameworks)
                .into_iter()
                .map(|(f, v)| format!("{}: {v}", f.meta.name))
                .collect::<Vec<_>>()
                .join(" ");
            add(Some("verdict"), Some("Verdict"), verdict);
            sections(&topic.body.sections, &mut add);
            for ex in topic.examples() {
                let code = in_order(&ex.code, &content.frameworks)
                    .into_iter()
                    .map(|(_, code)| code)
                    .collect::<Vec<_>>()
                    .join(" ");
                let text = format!("{} {code}", ex.note.as_deref().unwrap_or(""));
                let anchor = format!("code-{}", slugify(&ex.title));
                add(Some(&anchor), Some(&ex.title), text);
            }
        }
        for framework in &content.frameworks {
            let path = framework_path(&framework.slug);
            let title = &framework.meta.name;
            let mut add = |anchor: Option<&str>, section: Option<&str>, text: String| {
                entries.push(entry(&path, title, Kind::Framework, anchor, section, text));
            };
            let summary = format!("{} {}", framework.meta.tagline, framework.meta.summary);
            add(None, None, intro(&summary, &framework.body.sections));
            sections(&framework.body.sections, &mut add);
        }
        for page in &content.pages {
            let path = page.written().path;
            let title = &page.meta.title;
            let mut add = |anchor: Option<&str>, section: Option<&str>, text: String| {
                entries.push(entry(&path, title, page.kind, anchor, section, text));
            };
            add(None, None, intro(&page.meta.summary, &page.body.sections));
            sections(&page.body.sections, &mut add);
        }
        // Titles count twice, so a section named for the query ranks above a passing mention.
        let documents = entries.iter().enumerate().map(|(i, e)| {
            let heading = e.section.as_deref().unwrap_or("");
            let id = u32::try_from(i).unwrap_or(u32::MAX);
            bm25::Document::new(
                id,
                format!("{0} {0} {1} {1} {2}", e.page_title, heading, e.text),
            )
        });
        // Less length normalisation than BM25's usual 0.75: a long section about the query should
        // not lose to a short one that mentions it in passing.
        let engine = SearchEngineBuilder::<u32>::with_documents(Language::English, documents)
            .b(BM25_B)
            .build();
        Self {
            entries,
            engine,
            tokenizer: bm25::DefaultTokenizer::new(Language::English),
        }
    }

    /// How many sections are indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best sections for `query`, best first, each with an excerpt around the first match.
    pub fn search(&self, query: &str) -> Vec<Hit<'_>> {
        let mut terms = self.tokenizer.tokenize(query);
        terms.sort_unstable();
        terms.dedup();
        if terms.is_empty() {
            return Vec::new();
        }
        let mut ranked: Vec<(f32, &Entry)> = self
            .engine
            .search(query, MAX_RESULTS * 2)
            .into_iter()
            .filter_map(|result| {
                let entry = self.entries.get(result.document.id as usize)?;
                Some((result.score * entry.kind.search_weight(), entry))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked
            .into_iter()
            .take(MAX_RESULTS)
            .map(|(_, entry)| Hit {
                entry,
                excerpt: self.excerpt(&entry.text, &terms),
            })
            .collect()
    }

    /// Up to [`EXCERPT_WORDS`] words of `text` around the first word matching one of `terms`,
    /// with every matching word marked.
    fn excerpt(&self, text: &str, terms: &[String]) -> Vec<Fragment> {
        let words = word_spans(text);
        // Stemming every word would be most of a search's time. An English stem keeps the start of
        // its word, so only words that begin like a term (or are not ASCII) are stemmed; the rare
        // irregular stems (`dying` → `die`) are not highlighted, which is all this affects.
        let could_match = |word: &[u8]| {
            !word.is_ascii()
                || terms.iter().any(|t| {
                    let k = t.len().min(3);
                    word.len() >= k && word[..k].eq_ignore_ascii_case(&t.as_bytes()[..k])
                })
        };
        let matches = |&(start, end): &(usize, usize)| {
            could_match(&text.as_bytes()[start..end])
                && self
                    .tokenizer
                    .tokenize(&text[start..end])
                    .iter()
                    .any(|t| terms.binary_search(t).is_ok())
        };
        let first = words.iter().position(matches).unwrap_or(0);
        let from = first.saturating_sub(EXCERPT_WORDS / 3);
        let to = (from + EXCERPT_WORDS).min(words.len());
        let mut out = Vec::new();
        let mut plain = String::new();
        if from > 0 {
            plain.push('…');
        }
        let mut cursor = words.get(from).map_or(0, |w| w.0);
        for span in &words[from..to] {
            if matches(span) {
                plain.push_str(&text[cursor..span.0]);
                if !plain.is_empty() {
                    out.push(Fragment {
                        text: std::mem::take(&mut plain),
                        mark: false,
                    });
                }
                out.push(Fragment {
                    text: text[span.0..span.1].to_owned(),
                    mark: true,
                });
                cursor = span.1;
            }
        }
        let end = if to > from { words[to - 1].1 } else { cursor };
        plain.push_str(&text[cursor..end.max(cursor)]);
        if to < words.len() {
            plain.push('…');
        }
        if !plain.is_empty() {
            out.push(Fragment {
                text: plain,
                mark: false,
            });
        }
        out
    }
}

fn entry(
    path: &str,
    page_title: &str,
    kind: Kind,
    anchor: Option<&str>,
    section: Option<&str>,
    text: String,
) -> Entry {
    // Code keeps its layout on its page; in an excerpt its whitespace is one space.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Entry {
        url: match anchor {
            Some(anchor) => format!("{path}#{anchor}"),
            None => path.to_owned(),
        },
        page_title: page_title.to_owned(),
        section: section.map(str::to_owned),
        kind,
        text,
    }
}

/// The top of a page: its summary and the body's text before the first heading.
fn intro(summary: &str, list: &[Section]) -> String {
    match list.first() {
        Some(first) if first.id.is_none() => format!("{summary} {}", first.text),
        _ => summary.to_owned(),
    }
}

/// Feeds a body's headed sections to `add` (the text before the first is in [`intro`]).
fn sections(list: &[Section], add: &mut impl FnMut(Option<&str>, Option<&str>, String)) {
    for section in list {
        if let Some(id) = &section.id {
            if !section.text.is_empty() {
                add(Some(id), Some(&section.title), section.text.clone());
            }
        }
    }
}

/// Byte ranges of the words (letters, digits and `_`) in `text`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let in_word = c.is_alphanumeric() || c == '_';
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// The search page.
#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchView<'a> {
    pub layout: Layout<'a>,
    pub query: String,
    /// The query was longer than [`MAX_QUERY_CHARS`] and was cut.
    pub truncated: bool,
    pub hits: Vec<Hit<'a>>,
    pub max_results: usize,
}

/// The search page for `query` (the whole `q` parameter, possibly empty).
pub fn page<'a>(site: &'a Site, query: &'a str) -> SearchView<'a> {
    let (query, truncated) = match query.char_indices().nth(MAX_QUERY_CHARS) {
        Some((cut, _)) => (&query[..cut], true),
        None => (query, false),
    };
    // Control characters have no place in a search or a page; they become spaces.
    let query: String = query
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let hits = site.search.search(&query);
    let title = if query.is_empty() {
        "Search".to_owned()
    } else {
        format!("Search: {query}")
    };
    let mut layout = site.layout(
        "/search",
        Some(&title),
        "Search every topic, framework profile and page of the comparison.",
    );
    layout.noindex = true;
    layout.query.clone_from(&query);
    SearchView {
        layout,
        query,
        truncated,
        hits,
        max_results: MAX_RESULTS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_mark_every_form_of_a_term_and_escape_nothing_themselves() {
        let index = SearchIndex {
            entries: Vec::new(),
            engine: SearchEngineBuilder::<u32>::with_documents(
                Language::English,
                Vec::<bm25::Document<u32>>::new(),
            )
            .build(),
            tokenizer: bm25::DefaultTokenizer::new(Language::English),
        };
        let mut terms = index.tokenizer.tokenize("migrations");
        terms.sort_unstable();
        let text = "Django migrates with Migrations; a <migration> file is plain Python.";
        let excerpt = index.excerpt(text, &terms);
        let marked: Vec<&str> = excerpt
            .iter()
            .filter(|f| f.mark)
            .map(|f| f.text.as_str())
            .collect();
        assert_eq!(marked, ["migrates", "Migrations", "migration"]);
        let whole: String = excerpt.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(whole, text.trim_end_matches('.'));
    }

    #[test]
    fn words_are_runs_of_letters_digits_and_underscores() {
        let text = "Use {% csrf_token %} — always, 2×.";
        let words: Vec<&str> = word_spans(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(words, ["Use", "csrf_token", "always", "2"]);
    }
}
