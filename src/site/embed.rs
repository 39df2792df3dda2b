//! Decisions where teams work: the compact views other sites may frame (embeds), the status
//! badges, the oEmbed answer that names them, and the unfurl labels. A team's are an outsider's
//! view ([`super::team::shows_results`] with [`Viewer::Outsider`]) and carry its read-only link,
//! never the share link.

use askama::Template;
use chrono::{DateTime, NaiveDate};
use serde::Serialize;

use super::card::{Card, Whose};
use super::recommendation::Explained;
use super::team::{result_label, shows_results, stated_outcome, status, Scored, Viewer};
use super::views::DateView;
use super::Site;
use crate::paths;
use crate::recommender::{Answers, Confidence};
use crate::store::TeamView;

/// What every embed's page needs: its title, the full page it stands for, and the stylesheet.
pub struct EmbedLayout<'a> {
    pub title: String,
    /// The full page, absolute: the embed's canonical address and where its links lead.
    pub page_url: String,
    pub css: &'a str,
    /// The site's icon, so a browser does not ask for `/favicon.ico`.
    pub icon: &'a str,
    pub site_title: &'a str,
    pub home_url: String,
}

impl<'a> EmbedLayout<'a> {
    pub fn new(site: &'a Site, title: String, page: &str) -> Self {
        Self::of(&site.renderer(), title, page)
    }

    pub fn of(renderer: &super::Renderer<'a>, title: String, page: &str) -> Self {
        Self {
            title,
            page_url: paths::absolute(renderer.base_url, page),
            css: &renderer.assets.css,
            icon: &renderer.assets.icon,
            site_title: &renderer.content.site.title,
            home_url: paths::absolute(renderer.base_url, paths::HOME),
        }
    }
}

/// A topic's embed: the at-a-glance table and the verdicts (inline HTML from the content).
#[derive(Template)]
#[template(path = "embed-topic.html")]
pub struct TopicEmbed<'a> {
    pub layout: EmbedLayout<'a>,
    pub summary: &'a str,
    pub frameworks: Vec<&'a str>,
    pub glance: Vec<(String, Vec<(&'a str, String)>)>,
    pub verdict: Vec<(&'a str, String)>,
}

/// A recommendation's embed: the result, how firm it is, and the scores.
#[derive(Template)]
#[template(path = "embed-recommendation.html")]
pub struct RecommendationEmbed<'a> {
    pub layout: EmbedLayout<'a>,
    pub x: Explained<'a>,
}

/// The recommendation embed of `x` (its permalink is the page it stands for).
pub fn recommendation_embed<'a>(site: &'a Site, x: Explained<'a>) -> RecommendationEmbed<'a> {
    let title = match x.winner {
        Some(w) => format!("Recommendation: {w}"),
        None => "Recommendation: a toss-up".to_owned(),
    };
    RecommendationEmbed {
        layout: EmbedLayout::new(site, title, &x.links.permalink),
        x,
    }
}

/// A decision's embed, as an outsider sees it.
#[derive(Template)]
#[template(path = "embed-team.html")]
pub struct TeamEmbed<'a> {
    pub layout: EmbedLayout<'a>,
    pub status: &'static str,
    /// The stated outcome and when.
    pub decided: Option<(String, DateView)>,
    pub needs_review: bool,
    pub names: Vec<&'a str>,
    /// The team's result ("Django (strong)", "a toss-up"), when outsiders may see it.
    pub result: Option<String>,
    /// "3 of 4": the members whose own result is the team's.
    pub agreement: Option<String>,
    /// Answers are hidden from outsiders until the decision closes.
    pub hidden: bool,
}

fn date(unix: i64) -> NaiveDate {
    DateTime::from_timestamp(unix, 0).map_or_else(NaiveDate::default, |d| d.date_naive())
}

/// What a decision shows outside the team: its status and, when outsiders may see results, its
/// result, agreement and whether it needs review. Shared by the embed, the badge, the unfurl
/// labels and the oEmbed answer, so they cannot disagree.
pub struct Outside<'a> {
    pub title: &'a str,
    pub status: &'static str,
    pub decided: Option<(String, NaiveDate)>,
    pub needs_review: bool,
    /// What changed in the evidence since the decision was closed (only a closed decision has
    /// pinned evidence, and closing reveals it to everyone); the team page shows it too.
    pub drift: Option<super::evidence::DriftView>,
    pub names: Vec<&'a str>,
    /// The team's result as readers see it: "Django (strong)", "a toss-up".
    pub result: Option<String>,
    pub agreement: Option<(usize, usize)>,
    pub shows_results: bool,
    /// The read-only page (a path); `None` for a decision that has none.
    pub view_path: Option<String>,
}

/// `view` (scored as `scored`) as outsiders may see it.
pub fn outside<'a>(site: &Site, view: &'a TeamView, scored: &Scored) -> Outside<'a> {
    let team = &view.team;
    let open = shows_results(team, Viewer::Outsider);
    let q = &site.content.questionnaire;
    let members = scored.members();
    let (result, agreement) = if open && !members.is_empty() {
        let combined = &scored.result.combined;
        let winner = combined.winner(q);
        let agree = members
            .iter()
            .filter(|m| m.rec.recommendation.as_deref() == winner)
            .count();
        (
            Some(result_label(site, combined)),
            Some((agree, members.len())),
        )
    } else {
        (None, None)
    };
    let drift = open
        .then(|| super::evidence::team_drift_view(site, team))
        .flatten();
    Outside {
        title: &team.title,
        status: status(view),
        decided: stated_outcome(site, team).zip(team.closed_at.map(date)),
        needs_review: drift.as_ref().is_some_and(|d| d.needs_review),
        drift,
        names: view.members.iter().map(|m| m.name.as_str()).collect(),
        result,
        agreement,
        shows_results: open,
        view_path: team.view_key.as_deref().map(paths::team_view),
    }
}

/// The decision's embed; `None` for a decision without a read-only link.
pub fn team_embed<'a>(site: &'a Site, o: &Outside<'a>) -> Option<TeamEmbed<'a>> {
    let view_path = o.view_path.as_deref()?;
    Some(TeamEmbed {
        layout: EmbedLayout::new(site, o.title.to_owned(), view_path),
        status: o.status,
        decided: o
            .decided
            .as_ref()
            .map(|(outcome, on)| (outcome.clone(), DateView::from(*on))),
        needs_review: o.needs_review,
        names: o.names.clone(),
        result: o.result.clone(),
        agreement: o.agreement.map(|(agree, of)| format!("{agree} of {of}")),
        hidden: !o.shows_results,
    })
}

/// The unfurl labels of a decision's pages (`twitter:label1`/`data1`, …), as outsiders see it.
pub fn team_labels(o: &Outside<'_>) -> Vec<(String, String)> {
    let mut labels = Vec::new();
    match (&o.decided, &o.result) {
        (Some((outcome, _)), _) => {
            labels.push(("Outcome".to_owned(), format!("{outcome} ({})", o.status)));
        }
        (None, Some(result)) => {
            let result = super::recommendation::capitalised(result);
            labels.push(("Recommendation".to_owned(), result));
        }
        (None, None) => labels.push(("Status".to_owned(), o.status.to_owned())),
    }
    match o.agreement {
        Some((agree, of)) => labels.push(("Agreement".to_owned(), format!("{agree} of {of}"))),
        None => labels.push(("Answers".to_owned(), o.names.len().to_string())),
    }
    labels
}

/// The unfurl labels of a recommendation page.
pub fn recommendation_labels(x: &Explained<'_>) -> Vec<(String, String)> {
    vec![
        (
            "Recommendation".to_owned(),
            x.winner.unwrap_or("A toss-up").to_owned(),
        ),
        ("Confidence".to_owned(), x.standing.to_owned()),
    ]
}

/// A badge: a small SVG of fixed size, for READMEs and wikis. Its text is escaped by the
/// template's escaper, and it holds no script, link or external reference.
#[derive(Template)]
#[template(path = "badge.svg")]
pub struct Badge {
    pub label: &'static str,
    pub message: String,
    /// The accessible name: what the badge is about and says.
    pub title: String,
    pub colour: &'static str,
    pub label_width: u32,
    pub message_width: u32,
}

impl Badge {
    fn new(label: &'static str, message: String, title: String, colour: &'static str) -> Self {
        Self {
            label_width: text_width(label),
            message_width: text_width(&message),
            label,
            message,
            title,
            colour,
        }
    }

    pub fn width(&self) -> u32 {
        self.label_width + self.message_width
    }

    pub const HEIGHT: u32 = 20;
}

/// Room for `text` at 11 px with padding: the text is stretched or squeezed to exactly this
/// (`textLength`), so the badge keeps its size whatever font the viewer has.
fn text_width(text: &str) -> u32 {
    let chars = u32::try_from(text.chars().count()).unwrap_or(u32::MAX / 8);
    chars.min(80) * 7 + 12
}

const GREEN: &str = "#276738";
const AMBER: &str = "#8a4b00";
const GREY: &str = "#555555";

/// A decision's badge: "Django · accepted · 2026-12-07", "needs review" when the same answers
/// now give another result, "proposed" while open.
pub fn team_badge(o: &Outside<'_>) -> Badge {
    let (message, colour) = match &o.decided {
        Some((outcome, on)) if o.needs_review => {
            (format!("{outcome} · needs review · {on}"), AMBER)
        }
        Some((outcome, on)) => (
            format!("{outcome} · {} · {on}", o.status),
            if o.status == "accepted" { GREEN } else { GREY },
        ),
        None => {
            let n = o.names.len();
            let answers = if n == 1 { "answer" } else { "answers" };
            (format!("{} · {n} {answers}", o.status), GREY)
        }
    };
    Badge::new(
        "decision",
        message.clone(),
        format!("{}: {message}", o.title),
        colour,
    )
}

/// A recommendation's badge: "Django · strong", "a toss-up".
pub fn recommendation_badge(x: &Explained<'_>) -> Badge {
    let message = match x.winner {
        Some(w) => format!("{w} · {}", x.standing),
        None => "a toss-up".to_owned(),
    };
    let colour = if x.winner.is_some() && !x.fragile {
        GREEN
    } else {
        GREY
    };
    Badge::new(
        "recommendation",
        message.clone(),
        format!("Recommendation: {message}"),
        colour,
    )
}

/// The `<link rel="alternate">` and `Link` header target of a page's oEmbed answer, absolute.
pub fn discovery(site_base: &str, page_url: &str) -> String {
    paths::absolute(site_base, &paths::oembed(page_url))
}

/// The `Link` header naming a page's oEmbed answer.
pub fn link_header(oembed_url: &str) -> String {
    format!("<{oembed_url}>; rel=\"alternate\"; type=\"application/json+oembed\"")
}

/// What an oEmbed request's `url` names on this site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A topic, by its index.
    Topic(usize),
    /// A recommendation permalink's answers (their query string, the version left out).
    Answers(String),
    /// A decision by its read-only key.
    View(String),
    /// A decision by its share link: answered with its read-only embed.
    Team(String),
}

/// The page `url` names, when it is an embeddable page of this site (same scheme, host and
/// port as the base URL); `None` for anything else.
pub fn target(site: &Site, page: &str) -> Option<Target> {
    let url = url::Url::parse(page).ok()?;
    let base = url::Url::parse(&site.base_url).ok()?;
    let same_site = url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default();
    if !same_site {
        return None;
    }
    let path = url.path().trim_end_matches('/');
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    match segments[..] {
        ["topics", slug] => site
            .content
            .topics
            .iter()
            .position(|t| t.slug == slug)
            .map(Target::Topic),
        ["recommendation"] => {
            let (_, query) = paths::version_and_answers(url.query().unwrap_or(""));
            Answers::parse_urlencoded(&site.content.questionnaire, query.as_bytes())
                .ok()
                .map(|_| Target::Answers(query))
        }
        ["teams", "view", key] if !key.is_empty() => Some(Target::View(key.to_owned())),
        ["teams", id] if !id.is_empty() && id != "view" => Some(Target::Team(id.to_owned())),
        _ => None,
    }
}

/// What an oEmbed answer describes: the embed, its natural size and the page's card.
pub struct Embeddable<'a> {
    pub title: String,
    pub embed_path: String,
    pub size: (u32, u32),
    pub card: Option<&'a Card>,
}

/// A topic's natural embed size: room for its table and verdicts.
const TOPIC_SIZE: (u32, u32) = (640, 560);
const RECOMMENDATION_SIZE: (u32, u32) = (560, 320);
const TEAM_SIZE: (u32, u32) = (560, 360);

/// The topic at `index` as an embeddable.
pub fn topic_embeddable(site: &Site, index: usize) -> Option<Embeddable<'_>> {
    let topic = site.content.topics.get(index)?;
    Some(Embeddable {
        title: format!("{}: {}", topic.meta.title, site.content.contenders(" vs ")),
        embed_path: paths::embed_topic(&topic.slug),
        size: TOPIC_SIZE,
        card: site.cards.page(&paths::topic(&topic.slug)),
    })
}

/// The answers of a permalink's query as an embeddable.
pub fn answers_embeddable<'a>(site: &'a Site, query: &str) -> Option<Embeddable<'a>> {
    let q = &site.content.questionnaire;
    let answers = Answers::parse_urlencoded(q, query.as_bytes()).ok()?;
    let rec = crate::recommender::recommend(q, &answers);
    let x = super::recommendation::explain(site, &answers, &rec);
    let winner = rec.winner(q).map(str::to_owned);
    let confidence = if x.fragile {
        Confidence::Lean
    } else {
        rec.confidence
    };
    let title = match x.winner {
        Some(w) => format!("Recommendation: {w}"),
        None => "Recommendation: a toss-up".to_owned(),
    };
    Some(Embeddable {
        title,
        embed_path: paths::embed_recommendation(&answers.to_query(q)),
        size: RECOMMENDATION_SIZE,
        card: site
            .cards
            .outcome(Whose::One, winner.as_deref(), confidence),
    })
}

/// A decision as an embeddable, as outsiders see it; `None` without a read-only link.
pub fn team_embeddable<'a>(
    site: &'a Site,
    view: &TeamView,
    scored: &Scored,
) -> Option<Embeddable<'a>> {
    let key = view.team.view_key.as_deref()?;
    let o = outside(site, view, scored);
    let q = &site.content.questionnaire;
    let card = if o.shows_results && !scored.members().is_empty() {
        let combined = &scored.result.combined;
        site.cards
            .outcome(Whose::Team, combined.winner(q), combined.confidence)
    } else {
        site.cards.page(paths::HOME)
    };
    Some(Embeddable {
        title: view.team.title.clone(),
        embed_path: paths::team_view_embed(key),
        size: TEAM_SIZE,
        card,
    })
}

/// The largest size within `max` (width, height) with the natural size's proportions, never
/// larger than the natural size.
pub fn fit(natural: (u32, u32), max: (Option<u32>, Option<u32>)) -> (u32, u32) {
    let (w, h) = (f64::from(natural.0), f64::from(natural.1));
    let scale = [
        Some(1.0),
        max.0.map(|m| f64::from(m) / w),
        max.1.map(|m| f64::from(m) / h),
    ]
    .into_iter()
    .flatten()
    .fold(1.0_f64, f64::min);
    // Rounding down keeps within the maximum; a side is never less than one pixel.
    let side = |n: f64| ((n * scale).floor() as u32).max(1);
    (side(w), side(h))
}

/// An oEmbed 1.0 answer of type `rich`.
#[derive(Debug, Serialize)]
pub struct Oembed {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub version: &'static str,
    pub title: String,
    pub provider_name: String,
    pub provider_url: String,
    pub html: String,
    pub width: u32,
    pub height: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_height: Option<u32>,
}

/// The iframe an oEmbed answer hands to the consumer; its values escaped by the templates'
/// escaper.
#[derive(Template)]
#[template(
    source = "<iframe src=\"{{ src }}\" width=\"{{ width }}\" height=\"{{ height }}\" title=\"{{ title }}\" loading=\"lazy\"></iframe>",
    ext = "html"
)]
struct Iframe<'a> {
    src: &'a str,
    width: u32,
    height: u32,
    title: &'a str,
}

/// The oEmbed answer for `e` within `max`. The card is named as the thumbnail only when it fits
/// within `max`: it cannot be made smaller, and its size is stated as it is.
pub fn oembed(site: &Site, e: &Embeddable<'_>, max: (Option<u32>, Option<u32>)) -> Oembed {
    let (width, height) = fit(e.size, max);
    let src = site.url(&e.embed_path);
    let html = Iframe {
        src: &src,
        width,
        height,
        title: &e.title,
    }
    .render()
    .unwrap_or_default();
    let (cw, ch) = (super::card::WIDTH, super::card::HEIGHT);
    let fits = max.0.is_none_or(|m| cw <= m) && max.1.is_none_or(|m| ch <= m);
    let card = e.card.filter(|_| fits);
    Oembed {
        kind: "rich",
        version: "1.0",
        title: e.title.clone(),
        provider_name: site.content.site.title.clone(),
        provider_url: site.url(paths::HOME),
        html,
        width,
        height,
        thumbnail_url: card.map(|c| site.url(&c.path)),
        thumbnail_width: card.map(|_| cw),
        thumbnail_height: card.map(|_| ch),
    }
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn a_fitted_size_keeps_its_proportions_within_the_maximum_and_never_grows() {
        assert_eq!(fit((640, 480), (None, None)), (640, 480));
        assert_eq!(fit((640, 480), (Some(320), None)), (320, 240));
        assert_eq!(fit((640, 480), (Some(1000), Some(240))), (320, 240));
        assert_eq!(fit((640, 480), (Some(2000), Some(2000))), (640, 480));
        let (w, h) = fit((640, 560), (Some(333), Some(111)));
        assert!(w <= 333 && h <= 111, "{w}×{h}");
        assert_eq!(fit((640, 480), (Some(1), Some(1))), (1, 1));
    }
}
