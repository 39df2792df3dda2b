//! Syntax highlighting at load time, with CSS classes so the CSP needs no inline styles.
//!
//! syntect parses the code; each token's colour and font style are resolved in both themes (a
//! light one, and a dark one under `prefers-color-scheme: dark`), and the token gets one short
//! class per theme for what it shows (`l3` = the light theme's fourth colour, `lb` = bold…),
//! not the grammar's scope names (`hl-meta hl-statement hl-import hl-python`). Adjacent tokens
//! that look the same share a span, and text in the default style needs none. syntect's own
//! class output names every scope, which made highlighted code most of a topic's bytes; writing
//! the spans here is what keeps a page with code small, for the same colours.

use std::fmt::Write as _;
use std::sync::LazyLock;

use syntect::highlighting::{
    Color, FontStyle, HighlightState, Highlighter, RangedHighlightIterator, Style, Theme, ThemeSet,
};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);
static PALETTE: LazyLock<Palette> = LazyLock::new(Palette::load);
/// Each theme's highlighter (its selectors prepared), made once rather than per code block.
static HIGHLIGHTERS: LazyLock<(Highlighter<'static>, Highlighter<'static>)> = LazyLock::new(|| {
    (
        Highlighter::new(&PALETTE.light.theme),
        Highlighter::new(&PALETTE.dark.theme),
    )
});

/// The code panel's background (`--panel` in static/style.css), light and dark.
const LIGHT_PANEL: u32 = 0xf4f6f8;
const DARK_PANEL: u32 = 0x1d2329;
/// Theme colours under 4.5:1 on the panel, replaced by hand-picked ones of the same hue (the
/// stylesheet's earlier overrides); any other colour under 4.5:1 is darkened or lightened.
const LIGHT_FIXES: &[(u32, u32)] = &[
    (0x969896, 0x57606a),
    (0x0086b3, 0x005f87),
    (0x63a35c, 0x2a6e2f),
    (0x62a35c, 0x2a6e2f),
];
const DARK_FIXES: &[(u32, u32)] = &[(0x65737e, 0x9aa5b1), (0xbf616a, 0xe0848c)];

fn rgb(hex: u32) -> Color {
    let [_, r, g, b] = hex.to_be_bytes();
    Color { r, g, b, a: 0xff }
}

/// WCAG 2 relative luminance.
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `c`, moved towards black on a light panel or white on a dark one until its contrast with
/// `panel` reaches 4.5:1 (WCAG AA for text).
fn readable(c: Color, panel: Color) -> Color {
    let target = if luminance(panel) > 0.5 { 0.0 } else { 255.0 };
    let mut shown = c;
    for step in 1..=20 {
        if contrast(shown, panel) >= 4.5 {
            break;
        }
        let mix =
            |v: u8| (f64::from(v) + (target - f64::from(v)) * f64::from(step) / 20.0).round() as u8;
        shown = Color {
            r: mix(c.r),
            g: mix(c.g),
            b: mix(c.b),
            a: 0xff,
        };
    }
    shown
}

/// One theme and the colours its items use, in a fixed order (their class numbers).
struct Scheme {
    theme: Theme,
    /// The theme's colours, and what each is shown as: readable on the code panel.
    colours: Vec<Color>,
    shown: Vec<Color>,
    /// The class prefix: `l` for the light theme, `d` for the dark one.
    prefix: char,
}

struct Palette {
    light: Scheme,
    dark: Scheme,
}

impl Palette {
    fn load() -> Self {
        let mut themes = ThemeSet::load_defaults().themes;
        let mut scheme = |name: &str, prefix: char, panel: Color, fixes: &[(u32, u32)]| {
            let theme = themes.remove(name).unwrap_or_default();
            let mut colours: Vec<Color> = Vec::new();
            for colour in theme.scopes.iter().filter_map(|item| item.style.foreground) {
                if !colours.contains(&colour) {
                    colours.push(colour);
                }
            }
            let shown = colours
                .iter()
                .map(|&c| match fixes.iter().find(|(from, _)| rgb(*from) == c) {
                    Some((_, to)) => rgb(*to),
                    None => readable(c, panel),
                })
                .collect();
            Scheme {
                theme,
                colours,
                shown,
                prefix,
            }
        };
        Self {
            light: scheme("InspiredGitHub", 'l', rgb(LIGHT_PANEL), LIGHT_FIXES),
            dark: scheme("base16-ocean.dark", 'd', rgb(DARK_PANEL), DARK_FIXES),
        }
    }
}

impl Scheme {
    fn default_colour(&self) -> Option<Color> {
        self.theme.settings.foreground
    }

    /// The classes for `style` in this theme: its colour's, then `b`, `i`, `u` for the font.
    fn classes(&self, style: &Style, out: &mut String) {
        let mut push = |class: std::fmt::Arguments<'_>| {
            if !out.is_empty() {
                out.push(' ');
            }
            let _ = out.write_fmt(class);
        };
        if Some(style.foreground) != self.default_colour() {
            if let Some(i) = self.colours.iter().position(|c| *c == style.foreground) {
                push(format_args!("{}{i}", self.prefix));
            }
        }
        for (flag, letter) in [
            (FontStyle::BOLD, 'b'),
            (FontStyle::ITALIC, 'i'),
            (FontStyle::UNDERLINE, 'u'),
        ] {
            if style.font_style.contains(flag) {
                push(format_args!("{}{letter}", self.prefix));
            }
        }
    }

    /// This theme's rules: a colour per class number, and the font classes.
    fn rules(&self, css: &mut String) {
        for (i, c) in self.shown.iter().enumerate() {
            let _ = if c.a == 0xff {
                writeln!(
                    css,
                    ".code .{}{i} {{ color: #{:02x}{:02x}{:02x}; }}",
                    self.prefix, c.r, c.g, c.b
                )
            } else {
                writeln!(
                    css,
                    ".code .{}{i} {{ color: rgba({}, {}, {}, {:.3}); }}",
                    self.prefix,
                    c.r,
                    c.g,
                    c.b,
                    f32::from(c.a) / 255.0
                )
            };
        }
        let p = self.prefix;
        let _ = writeln!(css, ".code .{p}b {{ font-weight: bold; }}\n.code .{p}i {{ font-style: italic; }}\n.code .{p}u {{ text-decoration: underline; }}");
    }
}

/// `code` as HTML with short highlight classes (plain escaped text when `lang` is unknown), each
/// line in a `<span class="ln">`.
pub fn highlight(code: &str, lang: &str) -> String {
    let syntaxes = &*SYNTAXES;
    let html = match syntaxes.find_syntax_by_token(lang) {
        Some(syntax) => spans(code, syntax, syntaxes).unwrap_or_else(|| escape(code)),
        None => escape(code),
    };
    lines(&html)
}

/// `html` (escaped text and token spans one level deep) with each line, its newline included, in
/// a `<span class="ln">`, a token span crossing a newline closed and opened again: the lines are
/// what lets the stylesheet wrap long ones under a hanging indent instead of scrolling.
fn lines(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 3);
    // The token span the text is in, and whether it is open on this line yet.
    let mut token: Option<&str> = None;
    let mut token_written = false;
    let mut line_open = false;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("</span>") {
            if token_written {
                out.push_str("</span>");
            }
            token = None;
            token_written = false;
            rest = after;
        } else if rest.starts_with("<span ") {
            // Text is escaped, so the tag's first `>` ends it.
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            token = Some(&rest[..end]);
            token_written = false;
            rest = &rest[end..];
        } else {
            if !line_open {
                out.push_str("<span class=\"ln\">");
                line_open = true;
            }
            if let Some(after) = rest.strip_prefix('\n') {
                if token_written {
                    out.push_str("</span>");
                    token_written = false;
                }
                out.push_str("\n</span>");
                line_open = false;
                rest = after;
                continue;
            }
            // At least one character, so text can never stall the loop.
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let stop = rest[first..]
                .find(['<', '\n'])
                .map_or(rest.len(), |i| i + first);
            if let (Some(tag), false) = (token, token_written) {
                out.push_str(tag);
                token_written = true;
            }
            out.push_str(&rest[..stop]);
            rest = &rest[stop..];
        }
    }
    if token_written {
        out.push_str("</span>");
    }
    if line_open {
        out.push_str("</span>");
    }
    out
}

/// The highlighted HTML, or `None` when the grammar fails on a line (a highlighter bug, not a
/// content error: the caller shows the code plain).
fn spans(
    code: &str,
    syntax: &syntect::parsing::SyntaxReference,
    syntaxes: &SyntaxSet,
) -> Option<String> {
    let palette = &*PALETTE;
    let (light, dark) = &*HIGHLIGHTERS;
    let mut parser = ParseState::new(syntax);
    let mut light_state = HighlightState::new(light, ScopeStack::new());
    let mut dark_state = HighlightState::new(dark, ScopeStack::new());
    let mut out = String::with_capacity(code.len() * 2);
    // The open span's classes and its text, written when the look changes.
    let mut open = String::new();
    let mut text = String::new();
    let mut class = String::new();
    for line in LinesWithEndings::from(code) {
        let ops = parser.parse_line(line, syntaxes).ok()?;
        let lit = RangedHighlightIterator::new(&mut light_state, &ops, line, light);
        let mut darkened = RangedHighlightIterator::new(&mut dark_state, &ops, line, dark);
        for (light_style, piece, range) in lit {
            let (dark_style, _, dark_range) = darkened.next()?;
            if dark_range != range {
                return None;
            }
            class.clear();
            palette.light.classes(&light_style, &mut class);
            palette.dark.classes(&dark_style, &mut class);
            // Spaces look the same in any colour: they join the open span rather than split it.
            let blank = piece.trim().is_empty() && !class.contains('u') && !open.contains('u');
            if class != open && !blank {
                flush(&mut out, &open, &mut text);
                open.clone_from(&class);
            }
            text.push_str(piece);
        }
    }
    flush(&mut out, &open, &mut text);
    Some(out)
}

fn flush(out: &mut String, class: &str, text: &mut String) {
    if text.is_empty() {
        return;
    }
    if class.is_empty() {
        out.push_str(&escape(text));
    } else {
        let _ = write!(out, "<span class=\"{class}\">{}</span>", escape(text));
    }
    text.clear();
}

/// The stylesheet for the highlight classes: the light theme's, and the dark one's under
/// `prefers-color-scheme: dark`, so the dark one never inherits light colours.
pub fn stylesheet() -> String {
    let palette = &*PALETTE;
    let mut light = String::new();
    palette.light.rules(&mut light);
    let mut dark = String::new();
    palette.dark.rules(&mut dark);
    format!("/* Code highlighting: colours of syntect's InspiredGitHub and base16-ocean.dark themes */\n@media not all and (prefers-color-scheme: dark) {{\n{light}}}\n@media (prefers-color-scheme: dark) {{\n{dark}}}\n")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PYTHON: &str = "from django.db import models\n\n# A comment\nclass Book(models.Model):\n    title = models.CharField(max_length=200)\n";

    /// `html` without its line spans: the token spans alone.
    fn without_lines(html: &str) -> String {
        html.replace("<span class=\"ln\">", "")
            .replace("\n</span>", "\n")
    }

    #[test]
    fn python_is_highlighted_with_short_classes_not_styles() {
        let html = highlight(PYTHON, "python");
        assert!(html.contains("<span class=\"l"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(!html.contains("hl-"), "{html}");
    }

    #[test]
    fn the_text_is_kept_exactly_and_escaped() {
        let code = "x = '<b>' & \"y\"\nprint(x)  # done\n";
        let html = highlight(code, "python");
        assert!(!html.contains("<b>"), "{html}");
        let text: String = html
            .split('<')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    &part[part.find('>').unwrap() + 1..]
                }
            })
            .collect();
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        assert_eq!(text, code, "{html}");
    }

    #[test]
    fn no_two_neighbouring_spans_look_the_same_and_every_class_has_a_rule() {
        let html = without_lines(&highlight(PYTHON, "python"));
        let css = stylesheet();
        let classes: Vec<&str> = html
            .split("<span class=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        assert!(classes.len() > 3, "{html}");
        for class in classes.iter().flat_map(|c| c.split(' ')) {
            assert!(
                css.contains(&format!(".code .{class} {{")),
                "no rule for {class}"
            );
        }
        for pair in html.split("</span>").collect::<Vec<_>>().windows(2) {
            let next = pair[1];
            if let Some(rest) = next.strip_prefix("<span class=\"") {
                let before = pair[0].rsplit("<span class=\"").next().unwrap();
                assert_ne!(
                    &before[..before.find('"').unwrap()],
                    &rest[..rest.find('"').unwrap()],
                    "two neighbouring spans with one look: {html}"
                );
            }
        }
    }

    #[test]
    fn comments_and_keywords_keep_their_theme_colours() {
        let html = highlight(PYTHON, "python");
        let css = stylesheet();
        // InspiredGitHub: comments are #969896 and italic.
        let comment = html.split("# A comment").next().unwrap();
        let class = &comment[comment.rfind("<span class=\"").unwrap() + 13..];
        let class = &class[..class.find('"').unwrap()];
        assert!(class.split(' ').any(|c| c == "li"), "italic: {class}");
        let colour = class
            .split(' ')
            .find(|c| c.starts_with('l') && c[1..].parse::<u32>().is_ok())
            .unwrap();
        // #969896 is shown as #57606a, for contrast on the code panel.
        assert!(
            css.contains(&format!(".code .{colour} {{ color: #57606a; }}")),
            "{colour}"
        );
    }

    #[test]
    fn every_colour_shown_reads_at_4_5_to_1_on_the_code_panel() {
        let palette = &*PALETTE;
        for (scheme, panel) in [(&palette.light, LIGHT_PANEL), (&palette.dark, DARK_PANEL)] {
            assert!(scheme.shown.len() > 5);
            for (i, c) in scheme.shown.iter().enumerate() {
                let ratio = contrast(*c, rgb(panel));
                assert!(ratio >= 4.5, "{}{i} is {ratio:.2}:1", scheme.prefix);
            }
        }
        // The hand-picked replacements are used as they are.
        assert!(stylesheet().contains("color: #57606a;"));
    }

    #[test]
    fn an_unknown_language_is_escaped_plain_text() {
        let html = highlight("<b>x</b>\n", "no-such-language");
        assert_eq!(html, "<span class=\"ln\">&lt;b&gt;x&lt;/b&gt;\n</span>");
    }

    #[test]
    fn every_line_is_a_span_and_a_token_crossing_lines_is_split() {
        let code = "def f():\n    \"\"\"One\n\n    two.\"\"\"\n    return 1";
        let html = highlight(code, "python");
        let lines: Vec<&str> = html
            .strip_prefix("<span class=\"ln\">")
            .unwrap()
            .split("<span class=\"ln\">")
            .collect();
        assert_eq!(lines.len(), 5, "{html}");
        for line in &lines {
            // Each line closes every span it opens, the line's own included.
            assert_eq!(
                line.matches("<span ").count() + 1,
                line.matches("</span>").count(),
                "{line}"
            );
        }
        // The docstring's middle lines carry its colour again; no span is empty.
        assert!(lines[3].starts_with("<span class=\""), "{html}");
        assert!(!html.contains("\"></span>"), "{html}");
        assert!(
            lines[2].starts_with('\n') || lines[2].starts_with("<span"),
            "{html}"
        );
    }
}
