//! Markdown to HTML in one pass: heading anchors, table of contents, highlighted code, source
//! footnotes, and the internal links the checker needs.

use std::collections::HashSet;

use pulldown_cmark::{
    html, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

use super::highlight::highlight;
use super::problem::line_of;

/// Ids that page templates use themselves; a heading never takes one of them.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "contents",
    "at-a-glance",
    "verdict",
    "code",
    "sources",
    "top",
    "search",
    "footer",
    "releases",
    "by-topic",
    super::CHANGES_ID,
    super::PACKAGES_ID,
];

const RAW_HTML: &str =
    "raw HTML: content is Markdown only, so the page stays valid and the CSP strict";

/// The one place that decides which Markdown extensions content may use.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Front-matter text that shows on pages (glance cells, verdicts, captions) as inline Markdown:
/// code, emphasis, strong and strikethrough, in one paragraph. Anything else (a block such as a
/// list or heading, raw HTML, a link, an image) is refused with what it was, so `versus check`
/// can say so; the caller shows the text escaped instead.
pub fn inline(text: &str) -> Result<String, &'static str> {
    let mut events = Vec::new();
    let mut paragraphs = 0;
    for event in Parser::new_ext(text, options()) {
        match &event {
            Event::Start(Tag::Paragraph) => {
                paragraphs += 1;
                if paragraphs > 1 {
                    return Err("more than one paragraph");
                }
            }
            Event::End(TagEnd::Paragraph) => {}
            Event::Text(_) | Event::Code(_) | Event::SoftBreak => events.push(event),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {
                events.push(event)
            }
            Event::Html(_) | Event::InlineHtml(_) => return Err("raw HTML"),
            Event::Start(Tag::Link { .. }) => {
                return Err("a link (say it in the body, where links are checked)")
            }
            Event::Start(Tag::Image { .. }) => return Err("an image"),
            Event::FootnoteReference(_) => return Err("a footnote (cite sources in the body)"),
            _ => return Err("block-level Markdown (a list, heading, quote, table or code block)"),
        }
    }
    let mut html = String::with_capacity(text.len() + 16);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(html)
}

/// Inline Markdown as the plain text it shows (for social cards and other places without
/// markup): code and emphasis keep their words, breaks become spaces.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph) if !out.is_empty() => out.push(' '),
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

/// An entry of a page's table of contents; `##` headings with their `###` children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// Something in the body with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub text: String,
    pub line: usize,
}

/// A stretch of a body under one heading, as plain text, for search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// The heading's id; `None` for the text before the first heading.
    pub id: Option<String>,
    pub title: String,
    /// The prose and code under the heading, whitespace collapsed.
    pub text: String,
    /// The same without code blocks, so that a search excerpt quotes prose.
    pub prose: String,
}

/// What rendering a body produced and found.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every id a heading got, in order.
    pub ids: Vec<String>,
    /// Root-relative (`/…`) and same-page (`#…`) link targets.
    pub internal_links: Vec<Located>,
    /// Footnote labels cited that name no source.
    pub unknown_footnotes: Vec<Located>,
    /// Source ids, in the order they are first cited.
    pub cited: Vec<String>,
    /// Data charts the body embeds (```` ```chart ```` blocks naming a file in `content/data/`);
    /// the HTML holds [`chart_placeholder`] where each goes.
    pub charts: Vec<Located>,
    /// Words of prose (code excluded), for the length rules.
    pub words: usize,
    /// Things the body must not contain (raw HTML, an h1, a reserved or repeated id).
    pub misuse: Vec<Located>,
    /// The body cut at its headings, as plain text; the first is the text before any heading.
    pub sections: Vec<Section>,
}

/// Makes `text` a URL fragment: lower case, words joined by `-`, punctuation dropped.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_') && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "section".to_owned()
    } else {
        slug.to_owned()
    }
}

/// `base`, or `base-1`, `base-2`… whichever is not yet in `used`; records the choice.
pub fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut candidate = base.to_owned();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// Renders `body`, whose first line is line `first_line` of its file. `sources` are the ids of the
/// page's sources: `[^id]` cites them, and the page lists them under `#sources`.
pub fn render(body: &str, first_line: usize, sources: &[String]) -> Rendered {
    let mut out = Rendered::default();
    let line = |offset: usize| first_line + line_of(body, offset) - 1;

    // Footnote definitions are generated, so that pulldown-cmark recognises the references; the
    // definitions themselves are dropped below, the page lists the sources. Labels that name no
    // source get a definition too, so that the parser, not a text scan, says which `[^label]` is
    // a reference: one inside code is text, and must not count as an unknown footnote.
    let mut text = String::with_capacity(body.len() + sources.len() * 16);
    text.push_str(body);
    let mut defined: Vec<&str> = sources.iter().map(String::as_str).collect();
    for label in footnote_labels(body) {
        if !defined.contains(&label) {
            defined.push(label);
        }
    }
    for id in &defined {
        text.push_str("\n\n[^");
        text.push_str(id);
        text.push_str("]: source\n");
    }

    let mut used: HashSet<String> = RESERVED_IDS.iter().map(|s| (*s).to_owned()).collect();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut heading: Option<Heading<'_>> = None;
    let mut code: Option<(String, String)> = None;
    let mut skipping_definition = 0usize;
    out.sections.push(Section::default());

    for (event, range) in Parser::new_ext(&text, options()).into_offset_iter() {
        let in_body = range.start < body.len();
        if skipping_definition > 0 {
            match event {
                Event::Start(Tag::FootnoteDefinition(_)) => skipping_definition += 1,
                Event::End(TagEnd::FootnoteDefinition) => skipping_definition -= 1,
                _ => {}
            }
            continue;
        }
        if let Event::Text(t) = &event {
            if code.is_none() {
                out.words += t.split_whitespace().count();
            }
        }
        let in_chart = code.as_ref().is_some_and(|(lang, _)| lang == "chart");
        if heading.is_none() && !in_chart {
            section_text(&event, code.is_some(), &mut out.sections);
        }
        if let Some(h) = heading.as_mut() {
            if let Event::End(TagEnd::Heading(_)) = event {
                let h = heading.take().expect("heading is Some");
                let title = h.title.trim().to_owned();
                events.push(Event::Html(finish_heading(h, &mut used, &mut out).into()));
                out.sections.push(Section {
                    id: out.ids.last().cloned(),
                    title,
                    ..Section::default()
                });
            } else if let Event::Html(_) | Event::InlineHtml(_) = event {
                // Raw HTML in a heading is refused like anywhere else, and never written out.
                out.misuse.push(Located {
                    text: RAW_HTML.to_owned(),
                    line: line(range.start),
                });
            } else {
                if let Event::Text(t) | Event::Code(t) = &event {
                    h.title.push_str(t);
                }
                h.inner.push(event);
            }
            continue;
        }
        if let Some((_, buf)) = code.as_mut() {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, buf) = code.take().expect("code is Some");
                    if lang == "chart" {
                        let name = buf.trim().to_owned();
                        events.push(Event::Html(chart_placeholder(&name).into()));
                        out.charts.push(Located {
                            text: name,
                            line: line(range.start),
                        });
                    } else {
                        events.push(Event::Html(code_block(&buf, &lang).into()));
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => {
                if in_body {
                    out.misuse.push(Located {
                        text: "a footnote definition: footnotes cite [[sources]] only; say the rest in the text"
                            .to_owned(),
                        line: line(range.start),
                    });
                }
                skipping_definition = 1;
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                if level == HeadingLevel::H1 {
                    out.misuse.push(Located {
                        text:
                            "a level-1 heading (`#`): the page title is the only h1; start at `##`"
                                .to_owned(),
                        line: line(range.start),
                    });
                }
                heading = Some(Heading {
                    level,
                    custom_id: id,
                    title: String::new(),
                    inner: Vec::new(),
                    line: line(range.start),
                });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                if dest_url.starts_with('/') || dest_url.starts_with('#') {
                    out.internal_links.push(Located {
                        text: dest_url.to_string(),
                        line: line(range.start),
                    });
                }
                events.push(event);
            }
            Event::FootnoteReference(ref label) if !sources.iter().any(|s| s == label.as_ref()) => {
                out.unknown_footnotes.push(Located {
                    text: label.to_string(),
                    line: line(range.start),
                });
            }
            Event::FootnoteReference(ref label) if sources.iter().any(|s| s == label.as_ref()) => {
                let n = match out.cited.iter().position(|c| c == label.as_ref()) {
                    Some(i) => i,
                    None => {
                        out.cited.push(label.to_string());
                        out.cited.len() - 1
                    }
                };
                let index = sources
                    .iter()
                    .position(|s| s == label.as_ref())
                    .unwrap_or(n)
                    + 1;
                events.push(Event::InlineHtml(
                    format!(
                        "<sup class=\"cite\"><a href=\"#source-{label}\" aria-label=\"Source {index}\">[{index}]</a></sup>"
                    )
                    .into(),
                ));
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                out.misuse.push(Located {
                    text: RAW_HTML.to_owned(),
                    line: line(range.start),
                });
            }
            other => events.push(other),
        }
    }
    for section in &mut out.sections {
        for text in [&mut section.text, &mut section.prose] {
            *text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }
    out.html.reserve(body.len() * 3 / 2);
    html::push_html(&mut out.html, events.into_iter());
    // pulldown-cmark aligns table cells with inline styles, which the CSP forbids: use classes.
    // Raw HTML is refused and text is escaped, so these strings can only come from table cells.
    for align in ["left", "center", "right"] {
        out.html = out.html.replace(
            &format!(" style=\"text-align: {align}\""),
            &format!(" class=\"align-{align}\""),
        );
    }
    out
}

struct Heading<'a> {
    level: HeadingLevel,
    custom_id: Option<CowStr<'a>>,
    title: String,
    inner: Vec<Event<'a>>,
    line: usize,
}

fn finish_heading(h: Heading<'_>, used: &mut HashSet<String>, out: &mut Rendered) -> String {
    let id = match &h.custom_id {
        Some(custom)
            if custom.is_empty()
                || !custom
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            out.misuse.push(Located {
                text: format!("the heading id `{custom}`: use letters, digits, `-` and `_` only"),
                line: h.line,
            });
            unique_id(&slugify(custom), used)
        }
        Some(custom) => {
            let custom = custom.to_string();
            if used.contains(&custom) {
                out.misuse.push(Located {
                    text: format!("the heading id `{custom}` is reserved or already used on this page; choose another"),
                    line: h.line,
                });
            }
            used.insert(custom.clone());
            custom
        }
        None => unique_id(&slugify(&h.title), used),
    };
    out.ids.push(id.clone());
    let title = h.title.trim().to_owned();
    let entry = TocEntry {
        id: id.clone(),
        title: title.clone(),
        children: Vec::new(),
    };
    match h.level {
        HeadingLevel::H2 => out.toc.push(entry),
        HeadingLevel::H3 => match out.toc.last_mut() {
            Some(parent) => parent.children.push(entry),
            None => out.toc.push(entry),
        },
        _ => {}
    }
    let mut inner = String::new();
    html::push_html(&mut inner, h.inner.into_iter());
    let level = h.level as usize;
    let mut label = String::new();
    pulldown_cmark_escape::escape_html(&mut label, &title)
        .expect("writing to a String cannot fail");
    if (2..=4).contains(&level) {
        format!(
            "<h{level} id=\"{id}\">{inner} <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to the section: {label}\">#</a></h{level}>\n"
        )
    } else {
        format!("<h{level} id=\"{id}\">{inner}</h{level}>\n")
    }
}

/// Adds what `event` says in words to the last section; `in_code` when it is inside a code block.
fn section_text(event: &Event<'_>, in_code: bool, sections: &mut [Section]) {
    let Some(section) = sections.last_mut() else {
        return;
    };
    match event {
        Event::Text(t) | Event::Code(t) => {
            section.text.push_str(t);
            if !in_code {
                section.prose.push_str(t);
            }
        }
        Event::SoftBreak
        | Event::HardBreak
        | Event::End(
            TagEnd::Paragraph
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::CodeBlock
            | TagEnd::BlockQuote(_),
        ) => {
            section.text.push(' ');
            section.prose.push(' ');
        }
        _ => {}
    }
}

/// Where the chart of data file `name` goes in a rendered body; the site puts the chart there.
pub fn chart_placeholder(name: &str) -> String {
    format!("<!--chart:{name}-->\n")
}

fn code_block(code: &str, lang: &str) -> String {
    let class = if lang.is_empty() { "text" } else { lang };
    let mut safe_class = String::new();
    pulldown_cmark_escape::escape_html(&mut safe_class, class)
        .expect("writing to a String cannot fail");
    format!(
        "<pre class=\"code\" tabindex=\"0\"><code class=\"language-{safe_class}\">{}</code></pre>\n",
        highlight(code, lang)
    )
}

/// Every `[^label]` in `body`, code included: candidates only, for which definitions are
/// generated; the parser decides which of them are references.
fn footnote_labels(body: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = body[from..].find("[^") {
        let start = from + pos;
        let rest = &body[start + 2..];
        let Some(end) = rest.find(']') else { break };
        let label = &rest[..end];
        let plain = label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !label.is_empty() && plain && !found.contains(&label) {
            found.push(label);
        }
        from = start + 2;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_slug_ids_and_a_visible_anchor() {
        let r = render("## Hello, World!\n\ntext\n", 1, &[]);
        assert_eq!(r.ids, vec!["hello-world"]);
        assert!(
            r.html.contains(
                "<h2 id=\"hello-world\">Hello, World! <a class=\"anchor\" href=\"#hello-world\""
            ),
            "{}",
            r.html
        );
    }

    #[test]
    fn repeated_headings_are_de_duplicated() {
        let r = render("## Setup\n\n## Setup\n\n### Setup\n", 1, &[]);
        assert_eq!(r.ids, vec!["setup", "setup-1", "setup-2"]);
    }

    #[test]
    fn a_heading_never_takes_a_reserved_id() {
        let r = render("## Sources\n", 1, &[]);
        assert_eq!(r.ids, vec!["sources-1"]);
    }

    #[test]
    fn custom_ids_win_and_duplicates_are_misuse() {
        let r = render("## CSRF protection {#csrf}\n\n## Again {#csrf}\n", 1, &[]);
        assert_eq!(r.ids, vec!["csrf", "csrf"]);
        assert_eq!(r.misuse.len(), 1);
        assert_eq!(r.misuse[0].line, 3);
    }

    #[test]
    fn the_toc_nests_h3_under_h2() {
        let r = render("## A\n### B\n### C\n## D\n", 1, &[]);
        assert_eq!(r.toc.len(), 2);
        assert_eq!(
            r.toc[0]
                .children
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
            ["b", "c"]
        );
    }

    #[test]
    fn sections_hold_the_plain_text_under_each_heading() {
        let r = render(
            "Intro *text*.\n\n## CSRF {#csrf}\n\nUse `csrf_token`\nalways.\n\n```python\nx = 1\n```\n",
            1,
            &[],
        );
        assert_eq!(r.sections.len(), 2);
        assert_eq!(r.sections[0].id, None);
        assert_eq!(r.sections[0].text, "Intro text.");
        assert_eq!(r.sections[1].id.as_deref(), Some("csrf"));
        assert_eq!(r.sections[1].title, "CSRF");
        assert_eq!(r.sections[1].text, "Use csrf_token always. x = 1");
        assert_eq!(r.sections[1].prose, "Use csrf_token always.");
    }

    #[test]
    fn raw_html_in_a_heading_is_misuse_and_never_written() {
        let r = render(
            "## Setup <img src=x onerror=\"alert(1)\"> <b>bold</b>\n",
            1,
            &[],
        );
        assert!(!r.html.contains("<img"), "{}", r.html);
        assert!(!r.html.contains("<b>"), "{}", r.html);
        assert!(r.misuse.iter().any(|m| m.text.starts_with("raw HTML")));
    }

    #[test]
    fn a_custom_id_that_is_not_plain_is_misuse_and_never_written() {
        let r = render("## Custom {#x\"onmouseover=\"alert(1)}\n", 1, &[]);
        assert!(!r.html.contains("onmouseover=\""), "{}", r.html);
        assert_eq!(r.misuse.len(), 1, "{:?}", r.misuse);
        assert!(r.misuse[0].text.contains("letters, digits"));
    }

    #[test]
    fn internal_links_are_collected_with_their_file_line() {
        let r = render(
            "intro\n\nsee [x](/topics/a#b) and [y](https://example.com)\n",
            10,
            &[],
        );
        assert_eq!(
            r.internal_links,
            vec![Located {
                text: "/topics/a#b".into(),
                line: 12
            }]
        );
    }

    #[test]
    fn source_footnotes_link_to_the_source_list_and_leave_no_definition() {
        let r = render("Fact.[^doc]\n", 1, &["other".into(), "doc".into()]);
        assert!(r.html.contains("href=\"#source-doc\""), "{}", r.html);
        assert!(r.html.contains("[2]"), "{}", r.html);
        assert!(!r.html.contains("footnote-definition"), "{}", r.html);
        assert_eq!(r.cited, vec!["doc"]);
    }

    #[test]
    fn an_unknown_footnote_is_reported_with_its_line() {
        let r = render("a\n\nb[^nope]\n", 5, &[]);
        assert_eq!(
            r.unknown_footnotes,
            vec![Located {
                text: "nope".into(),
                line: 7
            }]
        );
    }

    #[test]
    fn footnote_syntax_inside_code_is_text_not_a_citation() {
        let body = "Strip it:\n\n```python\nre.compile(\"[^a-z]\")\n```\n\nand `[^x]` inline.\n";
        let r = render(body, 1, &[]);
        assert!(r.unknown_footnotes.is_empty(), "{:?}", r.unknown_footnotes);
        assert!(r.html.contains("[^a-z]"), "{}", r.html);
        assert!(r.html.contains("<code>[^x]</code>"), "{}", r.html);
    }

    #[test]
    fn front_matter_text_is_inline_markdown_and_blocks_or_html_are_refused() {
        assert_eq!(
            inline("Built in; `CsrfViewMiddleware` is *on*").unwrap(),
            "Built in; <code>CsrfViewMiddleware</code> is <em>on</em>"
        );
        assert_eq!(inline("a < b & c").unwrap(), "a &lt; b &amp; c");
        for refused in [
            "- a list",
            "# Heading",
            "<b>raw</b>",
            "[a link](/x)",
            "one\n\ntwo",
            "> quote",
        ] {
            assert!(inline(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn a_footnote_definition_in_the_body_is_misuse() {
        let r = render("a[^x]\n\n[^x]: note\n", 1, &["x".into()]);
        assert_eq!(r.misuse.len(), 1);
        assert_eq!(r.misuse[0].line, 3);
        assert!(!r.html.contains("note"), "{}", r.html);
    }

    #[test]
    fn raw_html_and_h1_are_misuse() {
        let r = render("# Title\n\n<div>x</div>\n", 1, &[]);
        assert_eq!(r.misuse.len(), 2);
        assert!(!r.html.contains("<div>"));
    }

    #[test]
    fn aligned_table_cells_get_classes_not_inline_styles() {
        let r = render("| a | b |\n|--:|:-:|\n| 1 | 2 |\n", 1, &[]);
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(
            r.html
                .contains("<td class=\"align-right\">1</td><td class=\"align-center\">2</td>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn words_are_counted_outside_code() {
        let r = render(
            "## Two words\n\nThree more words.\n\n```python\nnot counted at all\n```\n",
            1,
            &[],
        );
        assert_eq!(r.words, 5);
    }

    #[test]
    fn slugify_keeps_words_and_drops_punctuation() {
        assert_eq!(
            slugify("What's new in Django 6.0?"),
            "whats-new-in-django-60"
        );
        assert_eq!(slugify("  --  "), "section");
        assert_eq!(slugify("Ünïcode — ok"), "ünïcode-ok");
    }
}
