//! Every URL path the site answers, in one place: the router, the content's link checker, the
//! renderers, the permalink and the tests all take their paths from here.

/// The home page.
pub const HOME: &str = "/";
/// The matrix of every topic against every framework.
pub const COMPARE: &str = "/compare";
/// The questionnaire (`GET`) and its submission (`POST`).
pub const RECOMMEND: &str = "/recommend";
/// The recommendation page for answers in the query string.
pub const RECOMMENDATION: &str = "/recommendation";
/// The decision record for answers in the query string.
pub const RECORD: &str = "/recommendation.md";
pub const SEARCH: &str = "/search";
pub const FEED: &str = "/feed.xml";
pub const SITEMAP: &str = "/sitemap.xml";
pub const ROBOTS: &str = "/robots.txt";
pub const HEALTHZ: &str = "/healthz";
pub const API_QUESTIONNAIRE: &str = "/api/questionnaire";
pub const API_RECOMMEND: &str = "/api/recommend";
pub const READYZ: &str = "/readyz";
pub const API_OPENAPI: &str = "/api/openapi.json";
/// The methodology page (content), which lists the scoring's changes.
pub const METHODOLOGY: &str = "/methodology";
/// Starting a team decision (`GET` the form, `POST` it).
pub const TEAMS: &str = "/teams";
pub const API_TEAMS: &str = "/api/teams";
/// Where the social cards (link-preview images) live: `/cards/{name}.{fingerprint}.png`.
pub const CARDS: &str = "/cards/";
/// The oEmbed provider: `/oembed?url=…&format=json`.
pub const OEMBED: &str = "/oembed";
/// A recommendation's compact, framable view, for answers in the query string.
pub const EMBED_RECOMMENDATION: &str = "/embed/recommendation";
/// A recommendation's badge (SVG), for answers in the query string.
pub const RECOMMENDATION_BADGE: &str = "/recommendation.svg";

/// Paths served by code rather than content: links to them are fine, anchors on them are not
/// checked, and no content page may take them as an alias.
pub const APP_ROUTES: &[&str] = &[
    RECOMMEND,
    RECOMMENDATION,
    RECORD,
    SEARCH,
    FEED,
    SITEMAP,
    ROBOTS,
    HEALTHZ,
    API_QUESTIONNAIRE,
    API_RECOMMEND,
    READYZ,
    API_OPENAPI,
    TEAMS,
    API_TEAMS,
    OEMBED,
    EMBED_RECOMMENDATION,
    RECOMMENDATION_BADGE,
];

/// Paths a route answers; every other GET is answered from the site's memory, before routing.
/// Everything under [`TEAMS`] and [`API_TEAMS`] is routed too ([`is_routed`]). No pre-rendered
/// page may have one of these addresses: the site refuses to build with one.
pub const ROUTED: &[&str] = &[
    RECOMMEND,
    RECOMMENDATION,
    RECORD,
    SEARCH,
    HEALTHZ,
    READYZ,
    API_RECOMMEND,
    API_OPENAPI,
    TEAMS,
    API_TEAMS,
    OEMBED,
    EMBED_RECOMMENDATION,
    RECOMMENDATION_BADGE,
];

/// Whether a route answers `path` rather than the site's memory.
pub fn is_routed(path: &str) -> bool {
    ROUTED.contains(&path)
        || [TEAMS, API_TEAMS].iter().any(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('/'))
        })
}

/// Whether `path` is under a team scope ([`TEAMS`] or [`API_TEAMS`]).
pub fn is_team(path: &str) -> bool {
    [TEAMS, API_TEAMS].iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// The segments after which a team path holds a capability key.
const KEY_SEGMENTS: [&str; 3] = ["organiser", "edit", "view"];

/// `path` with every capability key replaced by `[key]`, for logs: a key is the segment after
/// `organiser`, `edit` or `view` (however it is spelt or percent-encoded) under a team scope. Anyone who
/// reads a log must not gain control of a decision.
pub fn redact_keys(path: &str) -> std::borrow::Cow<'_, str> {
    if !is_team(path) {
        return path.into();
    }
    let mut redacted = String::with_capacity(path.len());
    let mut after_key_name = false;
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            redacted.push('/');
        }
        if after_key_name && !segment.is_empty() {
            redacted.push_str("[key]");
        } else {
            redacted.push_str(segment);
        }
        let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
        after_key_name = KEY_SEGMENTS
            .iter()
            .any(|name| decoded.trim().eq_ignore_ascii_case(name));
    }
    redacted.into()
}

/// A team decision's page (the share link).
pub fn team(id: &str) -> String {
    format!("{TEAMS}/{id}")
}

/// The questionnaire for joining a team.
pub fn team_join(id: &str) -> String {
    format!("{TEAMS}/{id}/join")
}

/// Where a member's answers are posted.
pub fn team_answers(id: &str) -> String {
    format!("{TEAMS}/{id}/answers")
}

/// The team's decision record.
pub fn team_record(id: &str) -> String {
    format!("{TEAMS}/{id}/record.md")
}

/// The organiser's page (a capability: whoever has it can change the decision).
pub fn team_organiser(id: &str, key: &str) -> String {
    format!("{TEAMS}/{id}/organiser/{key}")
}

/// A member's edit page (a capability for their own answers).
pub fn team_edit(id: &str, key: &str) -> String {
    format!("{TEAMS}/{id}/edit/{key}")
}

/// The team id and organiser key of an organiser link (absolute or a path), if it is one.
pub fn organiser_link(link: &str) -> Option<(String, String)> {
    let path = match link.find("://") {
        Some(at) => &link[at + 3..][link[at + 3..].find('/')?..],
        None => link,
    };
    let path = path.split(['?', '#']).next()?.trim_end_matches('/');
    let rest = path.strip_prefix(TEAMS)?.strip_prefix('/')?;
    match rest.split('/').collect::<Vec<_>>()[..] {
        [id, "organiser", key] if !id.is_empty() && !key.is_empty() => {
            Some((id.to_owned(), key.to_owned()))
        }
        _ => None,
    }
}

/// A decision's read-only page: what a non-member sees, without the team's id (whoever has
/// the id may join), so it can go into docs, records and feeds.
pub fn team_view(key: &str) -> String {
    format!("{TEAMS}/view/{key}")
}

/// The decision record behind the read-only link.
pub fn team_view_record(key: &str) -> String {
    format!("{TEAMS}/view/{key}/record.md")
}

/// A decision's Atom feed of the changes of its evidence, under its read-only link.
pub fn team_view_feed(key: &str) -> String {
    format!("{TEAMS}/view/{key}/feed.xml")
}

/// A decision's compact, framable view, under its read-only link.
pub fn team_view_embed(key: &str) -> String {
    format!("{TEAMS}/view/{key}/embed")
}

/// A decision's status badge (SVG), under its read-only link.
pub fn team_view_badge(key: &str) -> String {
    format!("{TEAMS}/view/{key}/badge.svg")
}

/// A topic's compact, framable view: its at-a-glance table and verdicts.
pub fn embed_topic(slug: &str) -> String {
    format!("/embed/topics/{slug}")
}

/// The compact view of a set of answers, given their query string.
pub fn embed_recommendation(query: &str) -> String {
    [EMBED_RECOMMENDATION, "?", query].concat()
}

/// The badge of a set of answers, given their query string.
pub fn recommendation_badge(query: &str) -> String {
    [RECOMMENDATION_BADGE, "?", query].concat()
}

/// The oEmbed answer for the page at `url` (absolute), in JSON, as discovery links name it.
pub fn oembed(url: &str) -> String {
    let encoded = percent_encoding::utf8_percent_encode(url, QUERY_VALUE);
    format!("{OEMBED}?url={encoded}&format=json")
}

/// What a query value must percent-encode: everything but unreserved characters.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The JSON view of a team, and where the API posts answers.
pub fn api_team(id: &str) -> String {
    format!("{API_TEAMS}/{id}")
}

/// The URL path of a topic.
pub fn topic(slug: &str) -> String {
    format!("/topics/{slug}")
}

/// The URL path of a framework profile.
pub fn framework(slug: &str) -> String {
    format!("/frameworks/{slug}")
}

/// The URL path of a content page (about, methodology, …).
pub fn page(slug: &str) -> String {
    format!("/{slug}")
}

/// The permalink of a set of answers, given their query string (`building=x&admin=y`) and
/// the questionnaire's version, which it carries as `v` so a result opened after the
/// questionnaire changed can be worked out as it was made.
pub fn permalink(query: &str, version: &str) -> String {
    if query.is_empty() {
        format!("{RECOMMENDATION}?{VERSION_KEY}={version}")
    } else {
        format!("{RECOMMENDATION}?{query}&{VERSION_KEY}={version}")
    }
}

/// The query key of the questionnaire version a permalink was made with.
pub const VERSION_KEY: &str = "v";

/// A permalink's query split into the version it names (if any) and the answers.
pub fn version_and_answers(query: &str) -> (Option<&str>, String) {
    let mut version = None;
    let answers: Vec<&str> = query
        .split('&')
        .filter(|part| match part.strip_prefix("v=") {
            Some(v) => {
                version = Some(v);
                false
            }
            None => !part.is_empty(),
        })
        .collect();
    (version, answers.join("&"))
}

/// The decision record of a set of answers, given their query string.
pub fn record(query: &str) -> String {
    [RECORD, "?", query].concat()
}

/// The questionnaire pre-filled with a set of answers ("change your answers").
pub fn prefilled_form(query: &str) -> String {
    [RECOMMEND, "?", query].concat()
}

/// `path` made absolute on `base_url` (which has no trailing slash). A link that is already
/// absolute is returned as it is.
pub fn absolute(base_url: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_owned()
    } else {
        [base_url, path].concat()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_organiser_link_gives_its_team_and_key_and_nothing_else_does() {
        let want = Some(("t1".to_owned(), "k1".to_owned()));
        assert_eq!(
            want,
            super::organiser_link("https://versus.example/teams/t1/organiser/k1")
        );
        assert_eq!(
            want,
            super::organiser_link("/teams/t1/organiser/k1/?created=1")
        );
        for other in [
            "/teams/t1",
            "/teams/t1/edit/k1",
            "/teams/t1/organiser/k1/close",
            "https://versus.example/topics/x",
            "teams/t1/organiser/k1",
            "",
        ] {
            assert_eq!(None, super::organiser_link(other), "{other}");
        }
    }

    #[test]
    fn keys_are_redacted_from_team_paths_only() {
        let key = "c414aa00c414aa00c414aa00c414aa00";
        for (path, want) in [
            (
                format!("/teams/t1/organiser/{key}"),
                "/teams/t1/organiser/[key]",
            ),
            (
                format!("/teams/t1/organiser/{key}/close"),
                "/teams/t1/organiser/[key]/close",
            ),
            (
                format!("/teams/t1/edit/{key}/withdraw"),
                "/teams/t1/edit/[key]/withdraw",
            ),
            (
                format!("/api/teams/t1/edit/{key}"),
                "/api/teams/t1/edit/[key]",
            ),
            (
                format!("/teams/t1/%6Frganiser/{key}"),
                "/teams/t1/%6Frganiser/[key]",
            ),
            (format!("/teams/t1/EDIT/{key}"), "/teams/t1/EDIT/[key]"),
            ("/teams/t1/record.md".to_owned(), "/teams/t1/record.md"),
            (format!("/teams/view/{key}"), "/teams/view/[key]"),
            (
                format!("/teams/view/{key}/record.md"),
                "/teams/view/[key]/record.md",
            ),
            ("/topics/edit/x".to_owned(), "/topics/edit/x"),
        ] {
            assert_eq!(want, super::redact_keys(&path), "{path}");
        }
    }

    use super::*;

    #[test]
    fn a_permalink_carries_the_answers_in_its_query() {
        assert_eq!(
            permalink("building=site&admin=yes", "0a1b2c3d"),
            "/recommendation?building=site&admin=yes&v=0a1b2c3d"
        );
        assert_eq!(permalink("", "0a1b2c3d"), "/recommendation?v=0a1b2c3d");
        assert_eq!(record("a=b"), "/recommendation.md?a=b");
        // The version comes out wherever it is; the answers keep their order.
        assert_eq!(
            version_and_answers("v=0a1b2c3d&building=site&admin=yes"),
            (Some("0a1b2c3d"), "building=site&admin=yes".to_owned())
        );
        assert_eq!(
            version_and_answers("building=site&&vv=1"),
            (None, "building=site&vv=1".to_owned())
        );
    }

    #[test]
    fn absolute_prefixes_only_relative_links() {
        assert_eq!(absolute("https://x.test", "/faq"), "https://x.test/faq");
        assert_eq!(
            absolute("https://x.test", "https://docs.example/a"),
            "https://docs.example/a"
        );
    }

    #[test]
    fn routed_paths_are_the_routes_and_everything_under_the_team_prefixes() {
        for path in [
            "/recommend",
            "/api/openapi.json",
            "/teams",
            "/teams/x/join",
            "/api/teams/x",
        ] {
            assert!(is_routed(path), "{path}");
        }
        for path in [
            "/",
            "/topics/performance",
            "/teamsx",
            "/feed.xml",
            "/api/questionnaire",
        ] {
            assert!(!is_routed(path), "{path}");
        }
        for route in ROUTED {
            assert!(APP_ROUTES.contains(route), "{route} is served by code");
        }
    }

    #[test]
    fn every_app_route_is_root_relative_and_listed_once() {
        for (i, route) in APP_ROUTES.iter().enumerate() {
            assert!(route.starts_with('/'), "{route}");
            assert!(!APP_ROUTES[i + 1..].contains(route), "{route} twice");
        }
    }
}
