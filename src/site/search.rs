//! Full-text search over every topic, framework and content page, answered page by page.
//! Sections are indexed and ranked with BM25 (the `bm25` crate, with English stemming and stop
//! words); a page's matching sections are grouped under it, a page the query names leads, and a
//! word the index does not know is corrected to the nearest one it does (edit distance from the
//! `strsim` crate). Excerpts are plain prose, escaped by the template.

use std::collections::HashMap;

use askama::Template;
use bm25::{Embedder, EmbedderBuilder, Embedding, Language, Scorer, Tokenizer};
use rayon::prelude::*;

use super::views::Layout;
use super::Site;
use crate::content::front_matter::PerFramework;
use crate::content::markdown::{self, slugify, Section};
use crate::content::{in_order, Content, Kind};

/// The most pages a search page lists.
pub const MAX_RESULTS: usize = 20;
/// The most sections listed under one page; the page says how many more match.
pub const MAX_SECTIONS: usize = 3;
/// Longest query searched, in characters; the rest is ignored and the page says so.
pub const MAX_QUERY_CHARS: usize = 200;
/// BM25's length normalisation, tuned on the bundled content.
const BM25_B: f32 = 0.3;
/// Words shown in a page's excerpt.
const EXCERPT_WORDS: usize = 32;
/// Words shown in a section's excerpt, shorter so a page's sections read as a list.
const SECTION_EXCERPT_WORDS: usize = 20;
/// What each further matching section adds to its page's score, relative to the one before: a
/// page about the query matches in many sections, one that mentions it in passing in one.
const FURTHER_SECTION: f32 = 0.5;
/// How much more a section counts when its heading is the query.
const HEADING_IS_QUERY: f32 = 2.0;
/// Words shorter than this are never corrected (too many words are one letter from them).
const MIN_CORRECTED_CHARS: usize = 3;

/// One page search can return.
#[derive(Debug, Clone)]
pub struct Page {
    pub url: String,
    pub title: String,
    pub kind: Kind,
    /// The entry of the page's top (its summary and the text before the first heading).
    top: usize,
    /// The page's names (title, slug, aliases) as sorted search terms; a query with the same
    /// terms names the page.
    names: Vec<Vec<String>>,
}

/// One searchable section of a page.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Where the result links: the page, with the section's anchor when it has one.
    pub url: String,
    /// Which page, in [`SearchIndex::pages`].
    page: usize,
    /// The section's heading; `None` for the top of the page.
    pub section: Option<String>,
    /// The prose an excerpt quotes (code blocks left out).
    prose: String,
    /// The heading's search terms, sorted.
    heading_terms: Vec<String>,
}

/// A plain-text piece of an excerpt; `mark` when it is a word the query matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub text: String,
    pub mark: bool,
}

/// A ranked page with its best sections.
#[derive(Debug)]
pub struct Hit<'a> {
    pub page: &'a Page,
    /// From the page's top: where it matches, or how it begins.
    pub excerpt: Vec<Fragment>,
    /// The page's best matching sections, best first, at most [`MAX_SECTIONS`].
    pub sections: Vec<SectionHit<'a>>,
    /// How many more of its sections match.
    pub more: usize,
}

/// A matching section under its page's result.
#[derive(Debug)]
pub struct SectionHit<'a> {
    pub entry: &'a Entry,
    /// Empty when the section has no prose (only code).
    pub excerpt: Vec<Fragment>,
}

/// What a search found.
#[derive(Debug)]
pub struct Results<'a> {
    pub hits: Vec<Hit<'a>>,
    /// The query with the words the index does not know corrected, when some could be.
    pub suggestion: Option<String>,
    /// The query found nothing, so `hits` are for `suggestion`.
    pub corrected: bool,
}

/// A page while results are ranked.
struct Ranked {
    /// The query is one of the page's names.
    named: bool,
    score: f32,
    page: usize,
    /// Its matching entries, best first, with their scores.
    matched: Vec<(f32, usize)>,
}

/// The in-memory index.
pub struct SearchIndex {
    pages: Vec<Page>,
    entries: Vec<Entry>,
    embedder: Embedder,
    scorer: Scorer<u32>,
    tokenizer: bm25::DefaultTokenizer,
    /// Every word of the indexed text (lower case, letters and `_` only) with how often it
    /// occurs: what a misspelt query word is corrected to.
    vocabulary: Vec<(String, u32)>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("pages", &self.pages.len())
            .field("entries", &self.entries.len())
            .field("vocabulary", &self.vocabulary.len())
            .finish_non_exhaustive()
    }
}

/// Builds the list of pages and their sections, with what each section indexes.
struct Builder<'t> {
    tokenizer: &'t bm25::DefaultTokenizer,
    pages: Vec<Page>,
    entries: Vec<Entry>,
    /// What BM25 indexes for each entry: the page title and the heading (each twice), the prose
    /// and the code.
    documents: Vec<String>,
}

impl Builder<'_> {
    /// Starts a page; its top is its first entry.
    fn page(&mut self, kind: Kind, slug: &str, title: &str, aliases: &[String]) {
        let mut names = vec![sorted_terms(self.tokenizer, title)];
        // An alias is an old address; its last segment is an old slug.
        let slugs = std::iter::once(slug).chain(
            aliases
                .iter()
                .filter_map(|a| a.trim_end_matches('/').rsplit('/').next()),
        );
        for slug in slugs {
            names.push(sorted_terms(self.tokenizer, &slug.replace('-', " ")));
        }
        names.retain(|n| !n.is_empty());
        names.dedup();
        self.pages.push(Page {
            url: kind.path(slug),
            title: title.to_owned(),
            kind,
            top: self.entries.len(),
            names,
        });
    }

    /// Adds a section of the last page: `text` is searched, `prose` (the text less its code) is
    /// what an excerpt may quote.
    fn add(&mut self, anchor: Option<&str>, section: Option<&str>, prose: &str, text: &str) {
        let page = self.pages.len() - 1;
        let Page { url, title, .. } = &self.pages[page];
        let heading = section.unwrap_or("");
        // Titles count twice, so a section named for the query ranks above a passing mention.
        self.documents
            .push(format!("{title} {title} {heading} {heading} {text}"));
        self.entries.push(Entry {
            url: match anchor {
                Some(anchor) => format!("{url}#{anchor}"),
                None => url.clone(),
            },
            page,
            section: section.map(str::to_owned),
            prose: prose.split_whitespace().collect::<Vec<_>>().join(" "),
            heading_terms: sorted_terms(self.tokenizer, heading),
        });
    }

    /// Adds a body's headed sections (the text before the first is in the page's top).
    fn sections(&mut self, list: &[Section]) {
        for section in list {
            if let Some(id) = &section.id {
                if !section.text.is_empty() {
                    self.add(
                        Some(id),
                        Some(&section.title),
                        &section.prose,
                        &section.text,
                    );
                }
            }
        }
    }

    /// Adds the top of the last page: `summary` and the body's text before the first heading.
    fn top(&mut self, summary: &str, list: &[Section]) {
        match list.first() {
            Some(first) if first.id.is_none() => self.add(
                None,
                None,
                &format!("{summary} {}", first.prose),
                &format!("{summary} {}", first.text),
            ),
            _ => self.add(None, None, summary, summary),
        }
    }
}

impl SearchIndex {
    /// Indexes every section of every page in `content`.
    pub fn build(content: &Content) -> Self {
        let tokenizer = bm25::DefaultTokenizer::new(Language::English);
        let mut b = Builder {
            tokenizer: &tokenizer,
            pages: Vec::new(),
            entries: Vec::new(),
            documents: Vec::new(),
        };
        let per_framework = |values: &PerFramework| {
            in_order(values, &content.frameworks)
                .into_iter()
                .map(|(f, v)| format!("{}: {}", f.meta.name, markdown::plain(v)))
                .collect::<Vec<_>>()
        };
        for topic in &content.topics {
            let meta = &topic.meta;
            b.page(Kind::Topic, &topic.slug, &meta.title, &meta.aliases);
            b.top(&markdown::plain(&meta.summary), &topic.body.sections);
            let glance = topic
                .glance()
                .map(|row| {
                    let values = per_framework(&row.values).join("; ");
                    format!("{}. {values}.", markdown::plain(&row.aspect))
                })
                .collect::<Vec<_>>()
                .join(" ");
            b.add(Some("at-a-glance"), Some("At a glance"), &glance, &glance);
            let verdict = per_framework(topic.verdict()).join(" ");
            b.add(Some("verdict"), Some("Verdict"), &verdict, &verdict);
            b.sections(&topic.body.sections);
            for ex in topic.examples() {
                let code = in_order(&ex.code, &content.frameworks)
                    .into_iter()
                    .map(|(_, code)| code)
                    .collect::<Vec<_>>()
                    .join(" ");
                let note = ex.note.as_deref().map(markdown::plain).unwrap_or_default();
                let anchor = format!("code-{}", slugify(&ex.title));
                b.add(
                    Some(&anchor),
                    Some(&ex.title),
                    &note,
                    &format!("{note} {code}"),
                );
            }
        }
        for framework in &content.frameworks {
            let meta = &framework.meta;
            b.page(Kind::Framework, &framework.slug, &meta.name, &meta.aliases);
            let summary = format!(
                "{} {}",
                markdown::plain(&meta.tagline),
                markdown::plain(&meta.summary)
            );
            b.top(&summary, &framework.body.sections);
            b.sections(&framework.body.sections);
        }
        for page in &content.pages {
            let meta = &page.meta;
            b.page(page.kind, &page.slug, &meta.title, &meta.aliases);
            b.top(&markdown::plain(&meta.summary), &page.body.sections);
            b.sections(&page.body.sections);
        }
        let Builder {
            pages,
            entries,
            documents,
            ..
        } = b;
        let corpus: Vec<&str> = documents.iter().map(String::as_str).collect();
        // Less length normalisation than BM25's usual 0.75: a long section about the query should
        // not lose to a short one that mentions it in passing.
        let embedder = EmbedderBuilder::<u32>::with_fit_to_corpus(Language::English, &corpus)
            .b(BM25_B)
            .build();
        // Stemming every document is most of the index's cost; it is done on every core.
        let embeddings: Vec<Embedding> = corpus.par_iter().map(|d| embedder.embed(d)).collect();
        let mut scorer = Scorer::new();
        for (i, embedding) in embeddings.into_iter().enumerate() {
            scorer.upsert(&u32::try_from(i).unwrap_or(u32::MAX), embedding);
        }
        Self {
            pages,
            entries,
            embedder,
            scorer,
            tokenizer,
            vocabulary: vocabulary(&documents),
        }
    }

    /// How many sections are indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best pages for `query`; when it finds nothing and a spelling correction finds
    /// something, the pages for the correction.
    pub fn search(&self, query: &str) -> Results<'_> {
        let hits = self.rank(query);
        let suggestion = self.correct(query);
        match suggestion {
            Some(suggestion) if hits.is_empty() => {
                let hits = self.rank(&suggestion);
                let corrected = !hits.is_empty();
                Results {
                    hits,
                    suggestion: corrected.then_some(suggestion),
                    corrected,
                }
            }
            suggestion => Results {
                hits,
                suggestion,
                corrected: false,
            },
        }
    }

    /// The best pages for `query`, best first: a page the query names leads; then pages by their
    /// matching sections, the best counting most.
    fn rank(&self, query: &str) -> Vec<Hit<'_>> {
        let terms = sorted_terms(&self.tokenizer, query);
        if terms.is_empty() {
            return Vec::new();
        }
        // Each page's matching entries with their scores.
        let mut found: HashMap<usize, Vec<(f32, usize)>> = HashMap::new();
        for m in self.scorer.matches(&self.embedder.embed(query)) {
            let id = m.id as usize;
            let Some(entry) = self.entries.get(id) else {
                continue;
            };
            let score = if entry.heading_terms == terms {
                m.score * HEADING_IS_QUERY
            } else {
                m.score
            };
            found.entry(entry.page).or_default().push((score, id));
        }
        for (i, page) in self.pages.iter().enumerate() {
            if page.names.contains(&terms) {
                found.entry(i).or_default();
            }
        }
        let mut ranked: Vec<Ranked> = found
            .into_iter()
            .map(|(page, mut matched)| {
                matched.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                let mut weight = 1.0;
                let mut score = 0.0;
                for (s, _) in &matched {
                    score += s * weight;
                    weight *= FURTHER_SECTION;
                }
                Ranked {
                    named: self.pages[page].names.contains(&terms),
                    score: score * self.pages[page].kind.search_weight(),
                    page,
                    matched,
                }
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.named
                .cmp(&a.named)
                .then(b.score.total_cmp(&a.score))
                .then(a.page.cmp(&b.page))
        });
        ranked
            .into_iter()
            .take(MAX_RESULTS)
            .map(
                |Ranked {
                     page: i, matched, ..
                 }| {
                    let page = &self.pages[i];
                    let sections: Vec<&Entry> = matched
                        .iter()
                        .filter(|(_, id)| *id != page.top)
                        .map(|(_, id)| &self.entries[*id])
                        .collect();
                    Hit {
                        page,
                        excerpt: self.excerpt(&self.entries[page.top].prose, &terms, EXCERPT_WORDS),
                        more: sections.len().saturating_sub(MAX_SECTIONS),
                        sections: sections
                            .into_iter()
                            .take(MAX_SECTIONS)
                            .map(|entry| SectionHit {
                                entry,
                                excerpt: self.excerpt(&entry.prose, &terms, SECTION_EXCERPT_WORDS),
                            })
                            .collect(),
                    }
                },
            )
            .collect()
    }

    /// `query` with each word the index does not know replaced by the nearest word it does, or
    /// `None` when no word needs (or has) a correction.
    fn correct(&self, query: &str) -> Option<String> {
        let mut out = String::with_capacity(query.len());
        let mut cursor = 0;
        let mut changed = false;
        for (start, end) in word_spans(query) {
            let word = query[start..end].to_lowercase();
            if let Some(better) = self.correction(&word) {
                out.push_str(&query[cursor..start]);
                out.push_str(better);
                cursor = end;
                changed = true;
            }
        }
        out.push_str(&query[cursor..]);
        changed.then_some(out)
    }

    /// The indexed word nearest to `word` when the index does not know `word`: the fewest edits
    /// (a swap of two neighbouring letters is one), then the commonest.
    fn correction(&self, word: &str) -> Option<&str> {
        let chars = word.chars().count();
        if chars < MIN_CORRECTED_CHARS || !word.chars().all(|c| c.is_alphabetic() || c == '_') {
            return None;
        }
        let embedding = self.embedder.embed(word);
        // A stop word has no terms, and a known word (in any form) has matches.
        if embedding.0.is_empty() || !self.scorer.matches(&embedding).is_empty() {
            return None;
        }
        let max_edits = if chars <= 5 { 1 } else { 2 };
        self.vocabulary
            .iter()
            .filter(|(candidate, _)| candidate.chars().count().abs_diff(chars) <= max_edits)
            .filter_map(|(candidate, count)| {
                let edits = strsim::osa_distance(word, candidate);
                (edits <= max_edits).then_some((edits, *count, candidate.as_str()))
            })
            .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)))
            .map(|(_, _, candidate)| candidate)
    }

    /// Up to `limit` words of `text` around the first word matching one of `terms` (or from its
    /// start), with every matching word marked.
    fn excerpt(&self, text: &str, terms: &[String], limit: usize) -> Vec<Fragment> {
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
        let from = first.saturating_sub(limit / 3);
        let to = (from + limit).min(words.len());
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

/// The search terms of `text` (stemmed, stop words left out), sorted, each once.
fn sorted_terms(tokenizer: &bm25::DefaultTokenizer, text: &str) -> Vec<String> {
    let mut terms = tokenizer.tokenize(text);
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// Every word of `documents` that a query word may be corrected to, with its count: lower case,
/// letters and `_` only, at least [`MIN_CORRECTED_CHARS`] long.
fn vocabulary(documents: &[String]) -> Vec<(String, u32)> {
    let mut counts: HashMap<String, u32> = HashMap::new();
    for text in documents {
        for (start, end) in word_spans(text) {
            let word = &text[start..end];
            if word.chars().count() >= MIN_CORRECTED_CHARS
                && word.chars().all(|c| c.is_alphabetic() || c == '_')
            {
                *counts.entry(word.to_lowercase()).or_default() += 1;
            }
        }
    }
    let mut words: Vec<(String, u32)> = counts.into_iter().collect();
    words.sort_unstable();
    words
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
    pub results: Results<'a>,
    /// The search page's address for the suggested correction.
    pub suggestion_url: Option<String>,
    pub max_results: usize,
}

impl SearchView<'_> {
    /// What the results are for: the query, or its correction when it found nothing.
    pub fn searched(&self) -> &str {
        match &self.results.suggestion {
            Some(suggestion) if self.results.corrected => suggestion,
            _ => &self.query,
        }
    }
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
    let results = site.search.search(&query);
    let suggestion_url = results.suggestion.as_ref().map(|s| {
        let query = serde_urlencoded::to_string([("q", s)]).unwrap_or_default();
        format!("{}?{query}", crate::paths::SEARCH)
    });
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
        results,
        suggestion_url,
        max_results: MAX_RESULTS,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::OnceLock;

    use super::*;

    /// The index of the bundled content, built once for every test that needs it.
    fn bundled() -> &'static SearchIndex {
        static INDEX: OnceLock<SearchIndex> = OnceLock::new();
        INDEX.get_or_init(|| {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
            SearchIndex::build(&crate::content::load(&dir).expect("the bundled content loads"))
        })
    }

    /// The index of the small fixture site.
    fn fixture() -> &'static SearchIndex {
        static INDEX: OnceLock<SearchIndex> = OnceLock::new();
        INDEX.get_or_init(|| {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
            SearchIndex::build(&crate::content::load(&dir).expect("the fixture loads"))
        })
    }

    fn urls<'a>(results: &'a Results<'a>) -> Vec<&'a str> {
        results.hits.iter().map(|h| h.page.url.as_str()).collect()
    }

    fn text(excerpt: &[Fragment]) -> String {
        excerpt.iter().map(|f| f.text.as_str()).collect()
    }

    #[test]
    fn csrf_leads_with_the_security_topic_and_its_csrf_section() {
        let results = bundled().search("csrf");
        assert_eq!(
            urls(&results)[0],
            "/topics/security",
            "{:?}",
            urls(&results)
        );
        let sections: Vec<&str> = results.hits[0]
            .sections
            .iter()
            .map(|s| s.entry.url.as_str())
            .collect();
        assert_eq!(sections[0], "/topics/security#csrf", "{sections:?}");
        assert!(results.hits[0]
            .excerpt
            .iter()
            .any(|f| f.mark && f.text == "CSRF"));
        assert_eq!(results.suggestion, None);
    }

    #[test]
    fn admin_leads_with_the_admin_topic_with_its_sections_grouped_under_it() {
        let results = bundled().search("admin");
        let found = urls(&results);
        assert_eq!(found[0], "/topics/admin", "{found:?}");
        let mut unique = found.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), found.len(), "a page listed twice: {found:?}");
        let admin = &results.hits[0];
        assert_eq!(admin.sections.len(), MAX_SECTIONS);
        assert!(
            admin.more > 0,
            "the admin topic has more than three sections on the admin"
        );
        for hit in &results.hits {
            for section in &hit.sections {
                assert!(
                    section.entry.url.starts_with(&format!("{}#", hit.page.url)),
                    "{} is listed under {}",
                    section.entry.url,
                    hit.page.url
                );
            }
        }
    }

    #[test]
    fn a_page_leads_when_the_query_is_its_title_or_slug() {
        let index = bundled();
        for page in &index.pages {
            let slug = page.url.rsplit('/').next().unwrap().replace('-', " ");
            let upper = page.title.to_uppercase();
            for query in [page.title.as_str(), slug.as_str(), upper.as_str()] {
                // A name of stop words only ("about") has nothing to search for.
                if sorted_terms(&index.tokenizer, query).is_empty() {
                    continue;
                }
                let results = index.search(query);
                assert_eq!(
                    urls(&results).first(),
                    Some(&page.url.as_str()),
                    "`{query}`"
                );
            }
        }
    }

    #[test]
    fn a_misspelt_word_is_corrected_to_a_word_the_index_knows() {
        let index = bundled();
        for (typo, meant, first) in [
            ("djnago", "django", Some("/frameworks/django")),
            ("flsk", "flask", Some("/frameworks/flask")),
            ("Middlware", "middleware", None),
            ("migratoins", "migrations", None),
        ] {
            let results = index.search(typo);
            assert_eq!(results.suggestion.as_deref(), Some(meant), "`{typo}`");
            assert!(results.corrected, "`{typo}` found something itself");
            assert!(!results.hits.is_empty(), "`{typo}`");
            if let Some(first) = first {
                assert_eq!(urls(&results)[0], first, "`{typo}`");
            }
        }
        // Where the rest of the query finds pages, those are shown, with the correction offered.
        let results = index.search("djnago admin");
        assert_eq!(results.suggestion.as_deref(), Some("django admin"));
        assert!(!results.corrected);
        assert_eq!(urls(&results)[0], "/topics/admin");
        // Known words, stop words, short words and numbers are left alone.
        for query in ["django admin", "the admin", "orm", "6.1", "xyzzyplugh"] {
            assert_eq!(index.search(query).suggestion, None, "`{query}`");
        }
    }

    #[test]
    fn code_is_searched_but_never_quoted() {
        let index = fixture();
        // `print` is only in the code of alpha's "Deep dive", `HttpResponse` only in its example.
        for query in ["print", "HttpResponse"] {
            let results = index.search(query);
            assert_eq!(urls(&results), ["/topics/alpha"], "`{query}`");
            let hit = &results.hits[0];
            assert_eq!(hit.sections.len(), 1, "`{query}`");
            assert!(
                hit.sections[0].excerpt.is_empty(),
                "`{query}`: {:?}",
                hit.sections[0]
            );
            assert!(!text(&hit.excerpt).contains(query), "`{query}`");
        }
        // On the bundled site, the security topic's code examples match but are not quoted.
        let results = bundled().search("csrf form token");
        let security = results
            .hits
            .iter()
            .find(|h| h.page.url == "/topics/security")
            .expect("the security topic matches");
        let excerpts =
            std::iter::once(&security.excerpt).chain(security.sections.iter().map(|s| &s.excerpt));
        for excerpt in excerpts {
            let excerpt = text(excerpt);
            for code in ["comment-create", "CSRFProtect(app)", "MIDDLEWARE = ["] {
                assert!(!excerpt.contains(code), "{excerpt}");
            }
        }
    }

    #[test]
    fn excerpts_mark_every_form_of_a_term_and_escape_nothing_themselves() {
        let index = fixture();
        let terms = sorted_terms(&index.tokenizer, "migrations");
        let text = "Django migrates with Migrations; a <migration> file is plain Python.";
        let excerpt = index.excerpt(text, &terms, EXCERPT_WORDS);
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
