//! The HTML escaper every template uses (`askama.toml` names it): the same five characters as
//! askama's own (`<`, `>`, `&`, `"`, `'`), through pulldown-cmark-escape, which the Markdown
//! renderer already uses and which scans sixteen bytes at a time where the CPU allows
//! (its `simd` feature). askama's escaper reads one byte after another; on the recommendation
//! page, where every reason, label and link is escaped per request, that was a fifth of the
//! time (profiled with `perf record` on `cargo bench --bench site`).

use std::fmt;

/// Escapes text for HTML text and double- or single-quoted attribute values.
#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

impl askama::filters::Escaper for Html {
    fn write_escaped_str<W: fmt::Write>(&self, mut dest: W, text: &str) -> fmt::Result {
        pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(&mut dest), text)
    }
}

#[cfg(test)]
mod tests {
    use askama::Template;

    #[derive(Template)]
    #[template(source = "<p title=\"{{ text }}\">{{ text }}</p>", ext = "html")]
    struct Both<'a> {
        text: &'a str,
    }

    #[test]
    fn templates_escape_the_five_characters_in_text_and_attributes() {
        // Longer than sixteen bytes, so the vector scan runs, with specials at both ends.
        let text = "<a href='x'>Tom & \"Jerry\" — café</a>";
        let escaped = "&lt;a href=&#39;x&#39;&gt;Tom &amp; &quot;Jerry&quot; — café&lt;/a&gt;";
        assert_eq!(
            Both { text }.render().unwrap(),
            format!("<p title=\"{escaped}\">{escaped}</p>")
        );
        assert_eq!(
            Both { text: "<" }.render().unwrap(),
            "<p title=\"&lt;\">&lt;</p>"
        );
        assert_eq!(
            Both { text: "plain" }.render().unwrap(),
            "<p title=\"plain\">plain</p>"
        );
    }
}
