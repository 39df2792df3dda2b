//! Social cards: the 1200×630 PNG a link preview (Open Graph, Twitter, Slack, Teams) shows for a
//! page, drawn from the page's own data. The layout is an SVG template (`templates/card.svg`);
//! resvg rasterises it with DejaVu Sans, embedded in the binary (`static/fonts`, under the
//! Bitstream Vera licence), so a card looks the same on every machine and needs no system font.
//!
//! SVG text does not wrap, so lines are broken here: greedy, by the font's own advance widths
//! (read with skrifa), which is the project's own small piece of layout.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use askama::Template;
use rayon::prelude::*;
use resvg::{tiny_skia, usvg};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use super::store::{Caching, Resource};
use crate::assets::digest;
use crate::content::{markdown, Content};
use crate::paths;
use crate::recommender::Confidence;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
const MARGIN: f32 = 80.0;

const REGULAR: &[u8] = include_bytes!("../../static/fonts/DejaVuSans.subset.ttf");
const BOLD: &[u8] = include_bytes!("../../static/fonts/DejaVuSans-Bold.subset.ttf");

/// The frameworks' colours on a card, in display order (the stylesheet's light-theme values).
const FRAMEWORK_COLOURS: [&str; 2] = ["#0c4b33", "#3b4e6b"];

/// A card: its public path, the text a screen reader gets for it (`og:image:alt`), and the
/// PNG, drawn on its first request (about 25 ms) or by a static export. The name's fingerprint
/// hashes the SVG it is drawn from, which fixes the pixels (same SVG, same embedded fonts, same
/// renderer), so pages can name a card before it is drawn and start-up does not wait for
/// rasterising.
#[derive(Debug)]
pub struct Card {
    pub path: String,
    pub alt: String,
    svg: String,
    png: OnceLock<Result<Resource, String>>,
}

/// Whose outcome a card shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Whose {
    /// One person's answers (a recommendation permalink).
    One,
    /// A team's combined answers.
    Team,
}

/// Every card of the site: one per page and one per outcome; pages without their own (search,
/// errors, forms) show the home page's.
#[derive(Debug)]
pub struct Cards {
    pen: Pen,
    cards: Vec<Card>,
    by_path: HashMap<String, usize>,
    pages: HashMap<String, usize>,
    outcomes: HashMap<(Whose, Option<String>, Confidence), usize>,
}

impl Cards {
    /// Lays out every card of `content`; drawing waits for first use or [`Cards::images`].
    pub fn build(content: &Content) -> Result<Self, CardError> {
        let mut cards = Cards {
            pen: Pen::new(&content.site.title)?,
            cards: Vec::new(),
            by_path: HashMap::new(),
            pages: HashMap::new(),
            outcomes: HashMap::new(),
        };
        for (key, spec) in specs(content) {
            let name = match &key {
                Key::Page(path) => card_name(path),
                Key::Outcome(whose, winner, confidence) => format!(
                    "{}-{}-{}",
                    match whose {
                        Whose::One => "recommendation",
                        Whose::Team => "team",
                    },
                    winner.as_deref().unwrap_or("either"),
                    confidence.label()
                ),
            };
            let svg = cards.pen.svg(&spec)?;
            let path = format!("/cards/{name}.{}.png", &digest(svg.as_bytes())[..10]);
            let index = cards.cards.len();
            cards.by_path.insert(path.clone(), index);
            match key {
                Key::Page(page) => cards.pages.insert(page, index),
                Key::Outcome(whose, winner, confidence) => {
                    cards.outcomes.insert((whose, winner, confidence), index)
                }
            };
            cards.cards.push(Card {
                path,
                alt: spec.alt(),
                svg,
                png: OnceLock::new(),
            });
        }
        Ok(cards)
    }

    /// The card for the page at `path`: its own, or the home page's.
    pub fn page(&self, path: &str) -> Option<&Card> {
        let index = self.pages.get(path).or(self.pages.get(paths::HOME))?;
        self.cards.get(*index)
    }

    /// The card for an outcome: `winner` is a framework's slug, `None` for a toss-up.
    pub fn outcome(
        &self,
        whose: Whose,
        winner: Option<&str>,
        confidence: Confidence,
    ) -> Option<&Card> {
        let index = self
            .outcomes
            .get(&(whose, winner.map(str::to_owned), confidence))?;
        self.cards.get(*index)
    }

    /// The PNG served at `path`, drawn now if this is its first use; `None` when no card has
    /// that path, an error when it cannot be drawn (a bug: the SVG is our own).
    pub fn image(&self, path: &str) -> Option<Result<&Resource, &str>> {
        let card = self.cards.get(*self.by_path.get(path)?)?;
        Some(self.drawn(card))
    }

    fn drawn<'s>(&'s self, card: &'s Card) -> Result<&'s Resource, &'s str> {
        card.png
            .get_or_init(|| {
                self.pen
                    .draw(&card.svg)
                    // Other sites show it too: oEmbed answers name it as their thumbnail.
                    .map(|png| {
                        Resource::new(png, "image/png", Caching::Immutable)
                            .reaching(super::Reach::Anywhere)
                    })
                    .map_err(|err| format!("{}: {err}", card.path))
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// Every card's path and PNG, drawing those not drawn yet (on all cores), for a static
    /// export.
    pub fn images(&self) -> Result<Vec<(&str, &Resource)>, String> {
        self.cards
            .par_iter()
            .map(|card| Ok((card.path.as_str(), self.drawn(card)?)))
            .collect::<Result<Vec<_>, &str>>()
            .map_err(str::to_owned)
    }
}

/// `/topics/security` → `topics-security`; home is `home`.
fn card_name(path: &str) -> String {
    let name = path.trim_matches('/').replace('/', "-");
    if name.is_empty() {
        "home".to_owned()
    } else {
        name
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("an embedded card font cannot be read: {0}")]
    Font(String),
    #[error("the card template failed: {0}")]
    Template(#[from] askama::Error),
    #[error("a card's SVG is invalid: {0}")]
    Svg(#[from] usvg::Error),
    #[error("a card could not be encoded as PNG: {0}")]
    Png(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Page(String),
    Outcome(Whose, Option<String>, Confidence),
}

/// What one card says, before layout.
#[derive(Debug, Clone)]
struct Spec {
    /// The small line above the title: what kind of page this is.
    kicker: String,
    title: String,
    body: Body,
    /// The bottom line, after the site's name.
    footer: String,
    /// The title's colour (a framework's, on an outcome card).
    accent: &'static str,
}

#[derive(Debug, Clone)]
enum Body {
    Text(String),
    /// One column per framework: its name, its colour and what the page says of it.
    Columns(Vec<(String, &'static str, String)>),
}

impl Spec {
    /// What the card shows, in words, for `og:image:alt`.
    fn alt(&self) -> String {
        let body = match &self.body {
            Body::Text(text) => text.clone(),
            Body::Columns(columns) => columns
                .iter()
                .map(|(name, _, text)| format!("{name}: {text}"))
                .collect::<Vec<_>>()
                .join(" "),
        };
        format!("{}. {}. {body}", self.kicker, self.title)
    }
}

const INK: &str = "#1b1f23";

fn specs(c: &Content) -> Vec<(Key, Spec)> {
    let site = &c.site;
    let contenders = c.contenders(" vs ");
    let colour = |i: usize| FRAMEWORK_COLOURS[i % FRAMEWORK_COLOURS.len()];
    let reviewed = |date: chrono::NaiveDate, versions: &[String]| {
        let mut line = format!("Reviewed {}", date.format("%-d %B %Y"));
        if !versions.is_empty() {
            line.push_str(" against ");
            line.push_str(&grouped(versions));
        }
        line
    };
    let text = |kicker: &str, title: &str, body: &str, footer: String| Spec {
        kicker: kicker.to_owned(),
        title: title.to_owned(),
        body: Body::Text(markdown::plain(body)),
        footer,
        accent: INK,
    };
    let mut out = vec![
        (
            Key::Page(paths::HOME.to_owned()),
            text(&contenders, &site.tagline, &site.description, String::new()),
        ),
        (
            Key::Page(paths::COMPARE.to_owned()),
            text(
                "Every topic",
                "Every topic side by side",
                &format!(
                    "{} compared on {} topics in one table, each row linking to its sourced page.",
                    c.contenders(" and "),
                    c.topics.len()
                ),
                String::new(),
            ),
        ),
        (
            Key::Page(paths::RECOMMEND.to_owned()),
            text(
                "Questionnaire",
                "Which framework fits your project?",
                &format!(
                    "Answer {} questions about your project and team; the recommendation explains every point and what would change it.",
                    c.questionnaire.questions.len()
                ),
                String::new(),
            ),
        ),
    ];
    for topic in &c.topics {
        let columns = c
            .frameworks
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let verdict = topic.verdict().get(&f.slug).map_or("", String::as_str);
                (f.meta.name.clone(), colour(i), markdown::plain(verdict))
            })
            .collect();
        out.push((
            Key::Page(topic.written().path),
            Spec {
                kicker: format!("{contenders} · Topic"),
                title: topic.meta.title.clone(),
                body: Body::Columns(columns),
                footer: reviewed(topic.meta.updated, &topic.meta.versions_reviewed),
                accent: INK,
            },
        ));
    }
    for (i, f) in c.frameworks.iter().enumerate() {
        let mut spec = text(
            "Framework profile",
            &f.meta.name,
            &f.meta.summary,
            reviewed(f.meta.updated, &[]),
        );
        spec.accent = colour(i);
        out.push((Key::Page(f.written().path), spec));
    }
    for page in &c.pages {
        out.push((
            Key::Page(page.written().path),
            text(
                &contenders,
                &page.meta.title,
                &page.meta.summary,
                reviewed(page.meta.updated, &[]),
            ),
        ));
    }
    let questions = c.questionnaire.questions.len();
    for whose in [Whose::One, Whose::Team] {
        let (kicker, answers) = match whose {
            Whose::One => ("Recommendation", "one person's answers"),
            Whose::Team => ("Team decision", "the team's answers"),
        };
        for (i, f) in c.frameworks.iter().enumerate() {
            let name = &f.meta.name;
            for (confidence, title) in [
                (Confidence::Strong, format!("{name} is the clear choice")),
                (Confidence::Lean, format!("Leaning towards {name}")),
            ] {
                let mut spec = text(
                    kicker,
                    &title,
                    &format!("From {answers} to {questions} questions. Every point links to a sourced page; the page shows what would change the outcome."),
                    String::new(),
                );
                spec.accent = colour(i);
                out.push((Key::Outcome(whose, Some(f.slug.clone()), confidence), spec));
            }
        }
        out.push((
            Key::Outcome(whose, None, Confidence::TossUp),
            text(
                kicker,
                &format!("A toss-up: {}", c.contenders(" or ")),
                &format!("From {answers} to {questions} questions, neither framework is clearly ahead; the page shows which answers would decide it."),
                String::new(),
            ),
        ));
    }
    for (_, spec) in &mut out {
        if spec.footer.is_empty() {
            spec.footer = site.tagline.clone();
        }
    }
    out
}

/// "Django 6.1", "Django 6.0", "Flask 3.1" → "Django 6.1, 6.0; Flask 3.1".
fn grouped(versions: &[String]) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for v in versions {
        let (name, version) = v.split_once(' ').unwrap_or((v, ""));
        match groups.last_mut() {
            Some((last, list)) if *last == name => list.push(version),
            _ => groups.push((name, vec![version])),
        }
    }
    groups
        .iter()
        .map(|(name, list)| format!("{name} {}", list.join(", ")).trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The card template's view: every line already placed.
#[derive(Template)]
#[template(path = "card.svg", escape = "html")]
struct CardView<'a> {
    width: u32,
    height: u32,
    margin: f32,
    kicker: &'a str,
    accent: &'a str,
    title: Vec<Line>,
    title_size: f32,
    /// (x, heading, colour, lines) per column; one column for plain text.
    columns: Vec<Column<'a>>,
    site: &'a str,
    footer: String,
    footer_x: f32,
}

struct Line {
    y: f32,
    text: String,
}

struct Column<'a> {
    x: f32,
    heading: Option<(&'a str, &'a str)>,
    heading_y: f32,
    size: f32,
    lines: Vec<Line>,
}

/// The fonts, loaded once: resvg's font database and skrifa's view for measuring.
struct Pen {
    site: String,
    options: usvg::Options<'static>,
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

impl std::fmt::Debug for Pen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pen")
            .field("site", &self.site)
            .finish_non_exhaustive()
    }
}

impl Pen {
    fn new(site: &str) -> Result<Self, CardError> {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        let options = usvg::Options {
            font_family: "DejaVu Sans".to_owned(),
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        };
        let font =
            |data: &'static [u8]| FontRef::new(data).map_err(|e| CardError::Font(e.to_string()));
        Ok(Self {
            site: site.to_owned(),
            options,
            regular: font(REGULAR)?,
            bold: font(BOLD)?,
        })
    }

    /// The width of `text` at `size` pixels.
    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let font = if bold { &self.bold } else { &self.regular };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                charmap
                    .map(c)
                    .and_then(|g| metrics.advance_width(g))
                    .unwrap_or(size * 0.6)
            })
            .sum()
    }

    /// `text` broken into at most `max_lines` lines no wider than `width`; what does not fit
    /// ends in an ellipsis.
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32, max_lines: usize) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size, bold) <= width || line.is_empty() {
                line = candidate;
                continue;
            }
            lines.push(std::mem::replace(&mut line, word.to_owned()));
            if lines.len() == max_lines {
                let last = lines.pop().unwrap_or_default();
                lines.push(self.ellipsis(&last, size, bold, width));
                return lines;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        if lines.len() > max_lines {
            lines.truncate(max_lines);
        }
        lines
    }

    /// `line` shortened by whole words until it fits with an ellipsis after it.
    fn ellipsis(&self, line: &str, size: f32, bold: bool, width: f32) -> String {
        let mut words: Vec<&str> = line.split(' ').collect();
        loop {
            let text = format!(
                "{}…",
                words.join(" ").trim_end_matches([',', ';', ':', '.'])
            );
            if words.len() <= 1 || self.width(&text, size, bold) <= width {
                return text;
            }
            words.pop();
        }
    }

    /// Draws a card's SVG as a PNG.
    fn draw(&self, svg: &str) -> Result<Vec<u8>, CardError> {
        let tree = usvg::Tree::from_str(svg, &self.options)?;
        let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT)
            .ok_or_else(|| CardError::Png("no pixmap".to_owned()))?;
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        pixmap
            .encode_png()
            .map_err(|e| CardError::Png(e.to_string()))
    }

    fn svg(&self, spec: &Spec) -> Result<String, CardError> {
        let inner = WIDTH as f32 - 2.0 * MARGIN;
        let mut title_size = 68.0;
        let mut title = self.wrap(&spec.title, title_size, true, inner, 2);
        if title.len() > 1 {
            title_size = 58.0;
            title = self.wrap(&spec.title, title_size, true, inner, 2);
        }
        let title_top = 190.0;
        let title_step = title_size * 1.15;
        let body_top = title_top + title_step * (title.len() as f32 - 1.0) + 70.0;
        let title = place(title, title_top, title_step);
        let columns = match &spec.body {
            Body::Text(text) => {
                let size = 32.0;
                let room = ((500.0 - body_top) / (size * 1.4)).floor().max(1.0) as usize;
                vec![Column {
                    x: MARGIN,
                    heading: None,
                    heading_y: 0.0,
                    size,
                    lines: place(
                        self.wrap(text, size, false, inner, room),
                        body_top,
                        size * 1.4,
                    ),
                }]
            }
            Body::Columns(cols) => {
                let gap = 48.0;
                let n = cols.len().max(1) as f32;
                let col_width = (inner - gap * (n - 1.0)) / n;
                let size = 27.0;
                let first = body_top + 44.0;
                let room = ((510.0 - first) / (size * 1.35)).floor().max(1.0) as usize;
                cols.iter()
                    .enumerate()
                    .map(|(i, (name, colour, text))| Column {
                        x: MARGIN + i as f32 * (col_width + gap),
                        heading: Some((name.as_str(), *colour)),
                        heading_y: body_top,
                        size,
                        lines: place(
                            self.wrap(text, size, false, col_width, room),
                            first,
                            size * 1.35,
                        ),
                    })
                    .collect()
            }
        };
        let footer_x = MARGIN + self.width(&self.site, 30.0, true) + 28.0;
        Ok(CardView {
            width: WIDTH,
            height: HEIGHT,
            margin: MARGIN,
            kicker: &spec.kicker,
            accent: spec.accent,
            title,
            title_size,
            columns,
            site: &self.site,
            footer: self
                .wrap(
                    &spec.footer,
                    24.0,
                    false,
                    WIDTH as f32 - MARGIN - footer_x,
                    1,
                )
                .pop()
                .unwrap_or_default(),
            footer_x,
        }
        .render()?)
    }
}

fn place(lines: Vec<String>, top: f32, step: f32) -> Vec<Line> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, text)| Line {
            y: top + step * i as f32,
            text,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_within_the_width_and_ends_in_an_ellipsis() {
        let pen = Pen::new("versus").unwrap();
        let text = "Choose Django when you want the common web protections switched on from the first commit and a written, time-bound process for security releases.";
        let lines = pen.wrap(text, 27.0, false, 500.0, 3);
        assert_eq!(lines.len(), 3);
        for line in &lines {
            assert!(pen.width(line, 27.0, false) <= 500.0, "{line}");
        }
        assert!(lines[2].ends_with('…'), "{lines:?}");
        let short = pen.wrap("Forms", 27.0, false, 500.0, 3);
        assert_eq!(short, ["Forms"]);
    }

    #[test]
    fn every_character_on_the_bundled_cards_is_in_the_embedded_fonts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let content = crate::content::load(&dir).expect("the bundled content loads");
        let pen = Pen::new(&content.site.title).unwrap();
        let specs = specs(&content);
        assert!(specs.len() > 40, "{} cards", specs.len());
        for (_, spec) in &specs {
            let alt = spec.alt();
            for font in [&pen.regular, &pen.bold] {
                let charmap = font.charmap();
                let missing: String = alt.chars().filter(|&c| charmap.map(c).is_none()).collect();
                assert!(missing.is_empty(), "{missing:?} missing, in {alt}");
            }
        }
    }

    #[test]
    fn a_card_is_a_1200_by_630_png() {
        let pen = Pen::new("versus").unwrap();
        let spec = Spec {
            kicker: "Django vs Flask · Topic".to_owned(),
            title: "Security & <escaping>".to_owned(),
            body: Body::Text("Text with \"quotes\" & ampersands.".to_owned()),
            footer: "Reviewed 1 December 2026".to_owned(),
            accent: INK,
        };
        let png = pen.draw(&pen.svg(&spec).unwrap()).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((width, height), (WIDTH, HEIGHT));
    }
}
