//! Team decisions over real HTTP, on SQLite and on PostgreSQL: the journey, the limits, the
//! capabilities, concurrency, hostile text, cross-site forms and the response headers.

use serde_json::{json, Value};

use crate::helpers::{answers_json, databases, fixture, spawn_app_on, TestApp, ANSWERS};

/// Each backend's app, ready.
async fn apps() -> (tempfile::TempDir, Vec<TestApp>) {
    let (dir, urls) = databases().await;
    let mut apps = Vec::new();
    for url in urls {
        let app = spawn_app_on(&fixture("valid"), &url).await;
        app.ready().await;
        apps.push(app);
    }
    (dir, apps)
}

async fn new_team(app: &TestApp, title: &str, hidden: bool) -> (String, String) {
    let response = app
        .post_json("/api/teams", json!({"title": title, "hidden": hidden}))
        .await;
    assert_eq!(201, response.status().as_u16(), "on {}", app.database);
    let body: Value = response.json().await.unwrap();
    let team = body["team"].as_str().unwrap().to_owned();
    let organiser = body["organiser_url"].as_str().unwrap().to_owned();
    let path = &organiser[organiser.find("/teams/").unwrap()..];
    (team, path.to_owned())
}

async fn join(app: &TestApp, team: &str, name: &str) -> reqwest::Response {
    app.post_json(
        &format!("/api/teams/{team}/answers"),
        json!({"name": name, "answers": answers_json(), "comment": "Because."}),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_starts_answers_and_shows_its_combined_result_on_both_backends() {
    let (_dir, apps) = apps().await;
    for app in &apps {
        let db = &app.database;
        // Started from the HTML form: 303 to the organiser's page, which says to keep its link.
        let response = app
            .post_form("/teams", "title=Framework+for+bookings")
            .await;
        assert_eq!(303, response.status().as_u16(), "on {db}");
        let organiser = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(organiser.contains("/organiser/") && organiser.ends_with("?created=1"));
        let (status, page) = app.get_text(&organiser).await;
        assert_eq!(200, status);
        assert!(page.contains("Keep this page’s link"), "{page}");
        let team = organiser.split('/').nth(2).unwrap().to_owned();
        let share = format!("/teams/{team}");

        // One member through the form, one through the API.
        let body = format!("name=Ana&comment=We+know+it&{ANSWERS}");
        let response = app.post_form(&format!("{share}/answers"), &body).await;
        assert_eq!(303, response.status().as_u16(), "on {db}");
        assert_eq!(
            response.headers()["location"],
            format!("{share}#you").as_str()
        );
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains(&format!("Path={share}")),
            "{cookie}"
        );
        let response = join(app, &team, "Bo").await;
        assert_eq!(201, response.status().as_u16(), "on {db}");
        let joined: Value = response.json().await.unwrap();
        assert!(joined["edit_url"]
            .as_str()
            .unwrap()
            .contains(&format!("{share}/edit/")));

        // The share page: both members, the combined result, the record link.
        let (status, page) = app.get_text(&share).await;
        assert_eq!(200, status);
        for expected in [
            "Framework for bookings",
            "<th scope=\"row\">Ana</th>",
            "<th scope=\"row\">Bo</th>",
            "The team’s result:",
            "record.md",
        ] {
            assert!(page.contains(expected), "{expected} missing on {db}");
        }
        // The member who answered through the form sees their own edit link via the cookie.
        let key_cookie = cookie.split(';').next().unwrap();
        let mine = app
            .client
            .get(format!("{}{share}", app.address))
            .header("Cookie", key_cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            mine.contains("You answered as <strong>Ana</strong>"),
            "on {db}"
        );
        assert!(
            !page.contains("You answered as"),
            "a stranger sees no edit link"
        );

        // The API's view: the same members and result, no capability anywhere.
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["title"], "Framework for bookings");
        assert_eq!(view["members"].as_array().unwrap().len(), 2);
        assert_eq!(view["closed"], false);
        assert!(view["combined"]["scores"].is_array());
        let organiser_key = organiser
            .split('/')
            .nth(4)
            .unwrap()
            .split('?')
            .next()
            .unwrap();
        let edit_key = joined["edit_url"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap();
        for (what, text) in [
            ("the share page", &page),
            ("the API view", &view.to_string()),
        ] {
            assert!(
                !text.contains(organiser_key),
                "{what} leaks the organiser key on {db}"
            );
            assert!(!text.contains(edit_key), "{what} leaks an edit key on {db}");
        }

        // The record is MADR 4.0 with the members as decision-makers.
        let (status, md) = app.get_text(&format!("{share}/record.md")).await;
        assert_eq!(200, status);
        assert!(md.starts_with("---\nstatus: proposed\n"), "{md}");
        assert!(
            md.contains("decision-makers:\n  - \"Ana\"\n  - \"Bo\"\n"),
            "{md}"
        );
        for section in [
            "# Framework for bookings",
            "## Context and Problem Statement",
            "## Decision Drivers",
            "## Considered Options",
            "## Decision Outcome",
            "### Consequences",
            "## More Information",
        ] {
            assert!(
                md.contains(&format!("\n{section}\n")),
                "{section} missing:\n{md}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_pages_are_private_and_refuse_cross_site_forms() {
    let (_dir, apps) = apps().await;
    for app in &apps {
        let (team, _) = new_team(app, "Private", false).await;
        for path in [
            format!("/teams/{team}"),
            format!("/teams/{team}/join"),
            format!("/api/teams/{team}"),
            format!("/teams/{team}/record.md"),
        ] {
            let response = app.get(&path).await;
            assert_eq!(200, response.status().as_u16(), "{path}");
            let h = response.headers();
            assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
            assert_eq!(h["cache-control"], "no-store", "{path}");
            assert_eq!(h["x-robots-tag"], "noindex", "{path}");
        }
        let (_, sitemap) = app.get_text("/sitemap.xml").await;
        assert!(
            !sitemap.contains("/teams/"),
            "team pages are not in the sitemap"
        );

        let post = |origin: Option<&'static str>, fetch: Option<&'static str>| {
            let mut request = app
                .client
                .post(format!("{}/teams/{team}/answers", app.address))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(format!(
                    "name=X{}{}&{ANSWERS}",
                    origin.is_some() as u8,
                    fetch.is_some() as u8
                ));
            if let Some(o) = origin {
                request = request.header("Origin", o);
            }
            if let Some(f) = fetch {
                request = request.header("Sec-Fetch-Site", f);
            }
            request.send()
        };
        let cases = [
            (Some("https://evil.example"), None, 403),
            (None, Some("cross-site"), 403),
            (None, Some("same-site"), 403),
            (Some("null"), None, 403),
            (None, None, 303),
            (None, Some("same-origin"), 303),
        ];
        for (origin, fetch, expected) in cases {
            let status = post(origin, fetch).await.unwrap().status().as_u16();
            assert_eq!(
                expected, status,
                "Origin {origin:?}, Sec-Fetch-Site {fetch:?}"
            );
        }
        let own = format!("http://{}", app.address.trim_start_matches("http://"));
        let response = app
            .client
            .post(format!("{}/teams", app.address))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", own)
            .body("title=Same+origin")
            .send()
            .await
            .unwrap();
        assert_eq!(
            303,
            response.status().as_u16(),
            "the site's own origin is served"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_titles_names_and_ids_get_their_reasons() {
    let (_dir, apps) = apps().await;
    for app in &apps {
        for (title, expected) in [
            ("", "Enter what the team is deciding"),
            (&*"x".repeat(121), "120 characters or fewer"),
        ] {
            let response = app.post_json("/api/teams", json!({"title": title})).await;
            assert_eq!(422, response.status().as_u16(), "title {title:?}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["errors"][0]["field"], "title");
            assert!(
                body["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains(expected),
                "{body}"
            );
            let page = app.post_form("/teams", &format!("title={title}")).await;
            assert_eq!(422, page.status().as_u16());
            assert!(page.text().await.unwrap().contains("error-summary"));
        }
        let (team, _) = new_team(app, "Names", false).await;
        let long = "n".repeat(61);
        let response = join(app, &team, &long).await;
        assert_eq!(422, response.status().as_u16());
        let response = app
            .post_form(
                &format!("/teams/{team}/answers"),
                &format!("name={long}&comment=kept&building=site"),
            )
            .await;
        assert_eq!(422, response.status().as_u16());
        let page = response.text().await.unwrap();
        assert!(page.contains("60 characters or fewer"), "{page}");
        assert!(
            page.contains(&format!("value=\"{long}\"")) && page.contains(">kept</textarea>"),
            "everything typed is kept"
        );
        assert_eq!(201, join(app, &team, "Ana").await.status().as_u16());
        let taken = join(app, &team, "ANA").await;
        assert_eq!(
            409,
            taken.status().as_u16(),
            "names are unique without case"
        );
        for path in [
            "/teams/0123456789abcdef0123456789abcdef".to_owned(),
            "/teams/not-an-id".to_owned(),
            "/api/teams/0123456789abcdef0123456789abcdef".to_owned(),
            format!("/teams/{team}/organiser/0123456789abcdef0123456789abcdef"),
            format!("/teams/{team}/edit/0123456789abcdef0123456789abcdef"),
        ] {
            assert_eq!(404, app.get(&path).await.status().as_u16(), "{path}");
        }
        let unknown = join(app, "0123456789abcdef0123456789abcdef", "Cy").await;
        assert_eq!(404, unknown.status().as_u16());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_names_and_titles_show_as_typed_and_run_nothing() {
    let (_dir, apps) = apps().await;
    let evil = "<img src=x onerror=alert(1)>";
    for app in &apps {
        let (team, _) = new_team(app, "<script>alert(1)</script> & co", false).await;
        assert_eq!(201, join(app, &team, evil).await.status().as_u16());
        let (_, page) = app.get_text(&format!("/teams/{team}")).await;
        assert!(
            !page.contains(evil) && !page.contains("<script>alert"),
            "markup is escaped"
        );
        assert!(
            page.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "the name shows as typed"
        );
        let (_, md) = app.get_text(&format!("/teams/{team}/record.md")).await;
        assert!(md.contains("\\<img src=x onerror=alert(1)\\>"), "{md}");
        assert!(
            md.contains("  - \"<img src=x onerror=alert(1)>\""),
            "YAML keeps it quoted: {md}"
        );
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["members"][0]["name"], evil);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_members_answering_at_once_are_all_stored_and_the_51st_is_refused() {
    let (_dir, apps) = apps().await;
    for app in &apps {
        let (team, _) = new_team(app, "Crowd", false).await;
        let joins = (0..40).map(|i| {
            let app = app.handle();
            let team = team.clone();
            tokio::spawn(async move {
                join(&app, &team, &format!("member {i}"))
                    .await
                    .status()
                    .as_u16()
            })
        });
        let statuses: Vec<u16> = futures_util::future::join_all(joins)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert!(
            statuses.iter().all(|&s| s == 201),
            "on {}: {statuses:?}",
            app.database
        );
        for i in 40..50 {
            assert_eq!(
                201,
                join(app, &team, &format!("member {i}"))
                    .await
                    .status()
                    .as_u16()
            );
        }
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            50,
            view["members"].as_array().unwrap().len(),
            "on {}",
            app.database
        );
        let full = join(app, &team, "member 50").await;
        assert_eq!(409, full.status().as_u16());
        let body: Value = full.json().await.unwrap();
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("50 members"),
            "{body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organiser_renames_removes_closes_reopens_and_deletes() {
    let (_dir, apps) = apps().await;
    for app in &apps {
        let (team, organiser) = new_team(app, "Before", false).await;
        assert_eq!(201, join(app, &team, "Ana").await.status().as_u16());
        let response = app
            .post_form(&format!("{organiser}/rename"), "title=After")
            .await;
        assert_eq!(303, response.status().as_u16());
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["title"], "After");
        assert_eq!(
            303,
            app.post_form_status(
                &format!("{organiser}/close"),
                "outcome=none&rationale=We+are+not+ready"
            )
            .await
        );
        let closed = join(app, &team, "Bo").await;
        assert_eq!(
            409,
            closed.status().as_u16(),
            "a closed decision takes no answers"
        );
        let (_, page) = app.get_text(&format!("/teams/{team}")).await;
        assert!(
            page.contains("Closed <time"),
            "the page says when it closed"
        );
        assert_eq!(
            303,
            app.post_form_status(&format!("{organiser}/reopen"), "")
                .await
        );
        assert_eq!(201, join(app, &team, "Bo").await.status().as_u16());
        // Remove Ana by her public id, shown on the organiser's page.
        let (_, page) = app.get_text(&organiser).await;
        let id = page
            .split("name=\"member\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        // Without the confirmation ticked nothing is removed, on the page or through the API.
        assert_eq!(
            303,
            app.post_form_status(&format!("{organiser}/remove"), &format!("member={id}"))
                .await
        );
        let unconfirmed = app
            .post_json(&format!("/api{organiser}/remove"), json!({"member": id}))
            .await;
        assert_eq!(422, unconfirmed.status().as_u16());
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            view["members"].as_array().unwrap().len(),
            2,
            "nothing removed"
        );
        assert_eq!(
            303,
            app.post_form_status(
                &format!("{organiser}/remove"),
                &format!("member={id}&confirm=yes")
            )
            .await
        );
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["members"].as_array().unwrap().len(), 1);
        // Deleting needs the box ticked.
        assert_eq!(
            303,
            app.post_form_status(&format!("{organiser}/delete"), "")
                .await
        );
        assert_eq!(
            200,
            app.get(&format!("/teams/{team}")).await.status().as_u16()
        );
        assert_eq!(
            303,
            app.post_form_status(&format!("{organiser}/delete"), "confirm=yes")
                .await
        );
        assert_eq!(
            404,
            app.get(&format!("/teams/{team}")).await.status().as_u16()
        );
        // A wrong organiser key changes nothing.
        let (other, _) = new_team(app, "Other", false).await;
        let wrong = format!("/teams/{other}/organiser/0123456789abcdef0123456789abcdef/delete");
        assert_eq!(404, app.post_form_status(&wrong, "confirm=yes").await);
        assert_eq!(
            200,
            app.get(&format!("/teams/{other}")).await.status().as_u16()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_changes_and_withdraws_their_answers_with_their_edit_link() {
    let (_dir, apps) = apps().await;
    for app in &apps {
        let (team, _) = new_team(app, "Edits", false).await;
        let joined: Value = join(app, &team, "Ana").await.json().await.unwrap();
        let edit = joined["edit_url"].as_str().unwrap();
        let edit = &edit[edit.find("/teams/").unwrap()..];
        let (status, form) = app.get_text(edit).await;
        assert_eq!(200, status);
        assert!(
            form.contains("value=\"Ana\"") && form.contains(">Because.</textarea>"),
            "the form is pre-filled"
        );
        let changed = ANSWERS.replace("building=site", "building=service");
        let response = app
            .post_form(edit, &format!("name=Ana&comment=Changed&{changed}"))
            .await;
        assert_eq!(303, response.status().as_u16());
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["members"][0]["answers"]["building"][0], "service");
        assert_eq!(view["members"][0]["comment"], "Changed");
        assert_eq!(
            303,
            app.post_form_status(&format!("{edit}/withdraw"), "").await
        );
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert!(view["members"].as_array().unwrap().is_empty());
        assert_eq!(
            404,
            app.get(edit).await.status().as_u16(),
            "the edit link is gone with the answers"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hidden_answers_stay_hidden_from_those_who_have_not_answered() {
    let (_dir, apps) = apps().await;
    for app in &apps {
        let (team, _) = new_team(app, "Blind", true).await;
        let response = app
            .post_form(
                &format!("/teams/{team}/answers"),
                &format!("name=Ana&{ANSWERS}"),
            )
            .await;
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let (_, stranger) = app.get_text(&format!("/teams/{team}")).await;
        assert!(stranger.contains("Ana") && stranger.contains("hid everyone’s answers"));
        assert!(
            !stranger.contains("The team’s result:"),
            "no result before answering"
        );
        let member = app
            .client
            .get(format!("{}/teams/{team}", app.address))
            .header("Cookie", cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            member.contains("The team’s result:"),
            "a member sees the result"
        );
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert!(view["members"][0]["answers"].is_null() && view["combined"].is_null());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_teams_is_rate_limited_per_client() {
    let (_dir, apps) = apps().await;
    let app = &apps[0];
    let mut statuses = Vec::new();
    for i in 0..12 {
        let response = app
            .post_json("/api/teams", json!({"title": format!("T{i}")}))
            .await;
        statuses.push((
            response.status().as_u16(),
            response.headers().get("retry-after").is_some(),
        ));
    }
    assert!(
        statuses[..10].iter().all(|(s, _)| *s == 201),
        "{statuses:?}"
    );
    assert_eq!((429, true), statuses[11], "{statuses:?}");
}

/// The store keeps teams it has read (on SQLite) and the site keeps their scores: every kind of
/// change must show on the very next read, by the API and on the page, never a kept copy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_shows_on_the_next_read_of_a_team_read_before_it() {
    let (_dir, apps) = apps().await;
    for app in &apps {
        let db = &app.database;
        let (team, organiser) = new_team(app, "Cached", false).await;
        let api = format!("/api/teams/{team}");
        let page = format!("/teams/{team}");
        let read = || async {
            let view: Value = app.get(&api).await.json().await.unwrap();
            let (status, html) = app.get_text(&page).await;
            assert_eq!(200, status, "on {db}");
            (view, html)
        };
        let (view, _) = read().await;
        assert!(view["members"].as_array().unwrap().is_empty());

        let joined: Value = join(app, &team, "Ana").await.json().await.unwrap();
        let (view, html) = read().await;
        assert_eq!(view["members"][0]["name"], "Ana", "on {db}");
        assert!(
            html.contains("Ana"),
            "the page shows the new member on {db}"
        );
        let before = view["combined"].clone();
        assert!(!before.is_null());

        let edit = joined["edit_url"].as_str().unwrap();
        let edit = &edit[edit.find("/teams/").unwrap()..];
        let changed = ANSWERS.replace("building=site", "building=service");
        let response = app
            .post_form(edit, &format!("name=Ana&comment=Changed&{changed}"))
            .await;
        assert_eq!(303, response.status().as_u16());
        let (view, html) = read().await;
        assert_eq!(view["members"][0]["answers"]["building"][0], "service");
        assert_ne!(view["combined"], before, "the team is scored again on {db}");
        assert!(html.contains("Changed"), "the page shows the new comment");

        for (action, body) in [
            ("rename", "title=Renamed"),
            ("close", "outcome=none&rationale=Later"),
        ] {
            let response = app.post_form(&format!("{organiser}/{action}"), body).await;
            assert_eq!(303, response.status().as_u16(), "{action} on {db}");
        }
        let (view, html) = read().await;
        assert_eq!(view["title"], "Renamed", "on {db}");
        assert_eq!(view["closed"], true, "on {db}");
        assert!(html.contains("Renamed") && html.contains("Closed <time"));

        // Closed means closed: the answers the outcome rests on can be neither changed nor
        // withdrawn until the organiser reopens.
        assert_eq!(
            409,
            app.post_form_status(&format!("{edit}/withdraw"), "").await,
            "withdrawing from a closed decision on {db}"
        );
        assert_eq!(
            409,
            app.post_form_status(edit, &format!("name=Ana&comment=Late&{ANSWERS}"))
                .await,
            "changing answers in a closed decision on {db}"
        );
        let (view, _) = read().await;
        assert_eq!(1, view["members"].as_array().unwrap().len(), "on {db}");
        // The join and edit pages of a closed decision offer no form: they say when it was
        // closed, with what outcome, and link to the team page.
        for form_page in [format!("/teams/{team}/join"), edit.to_owned()] {
            let (status, html) = app.get_text(&form_page).await;
            assert_eq!(200, status, "{form_page} on {db}");
            assert!(
                !html.contains("<form method=\"post\""),
                "{form_page} on {db}: {html}"
            );
            assert!(
                html.contains("This decision was closed on <time"),
                "{form_page}: {html}"
            );
            assert!(
                html.contains("with the outcome: <strong>No decision</strong>"),
                "{form_page}"
            );
            assert!(
                html.contains(&format!("<a href=\"/teams/{team}\">")),
                "{form_page}"
            );
        }
        assert_eq!(
            303,
            app.post_form_status(&format!("{organiser}/reopen"), "")
                .await
        );
        let (_, reopened) = app.get_text(&format!("/teams/{team}/join")).await;
        assert!(
            reopened.contains("<form method=\"post\""),
            "reopened on {db}"
        );
        assert_eq!(
            303,
            app.post_form_status(&format!("{edit}/withdraw"), "").await
        );
        let (view, html) = read().await;
        assert!(view["members"].as_array().unwrap().is_empty(), "on {db}");
        assert!(!html.contains("Changed"), "the withdrawn member is gone");

        assert_eq!(
            303,
            app.post_form_status(&format!("{organiser}/delete"), "confirm=yes")
                .await
        );
        assert_eq!(404, app.get(&page).await.status().as_u16(), "on {db}");
        assert_eq!(404, app.get(&api).await.status().as_u16(), "on {db}");
    }
}

/// Closing states what the team decided: the organiser chooses a framework or no decision, and
/// says why when that differs from the team's result; the record, the JSON and the page carry
/// it (accepted, rejected), and reopening clears it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_records_the_outcome_a_person_states() {
    let (_dir, apps) = apps().await;
    for app in &apps {
        let db = &app.database;
        let (team, organiser) = new_team(app, "Stated", false).await;
        assert_eq!(201, join(app, &team, "Ana").await.status().as_u16());
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["status"], "proposed");
        let result = view["combined"]["recommendation"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        let other = if result == "django" {
            "flask"
        } else {
            "django"
        };
        let close = format!("{organiser}/close");
        // No outcome, or an unknown one: 422 with the organiser page and its error.
        for body in ["", "outcome=rails"] {
            let response = app.post_form(&close, body).await;
            assert_eq!(422, response.status().as_u16(), "{body:?} on {db}");
            let page = response.text().await.unwrap();
            assert!(page.contains("Choose what the team decided"), "{page}");
        }
        // Another framework than the result needs a reason.
        let response = app.post_form(&close, &format!("outcome={other}")).await;
        assert_eq!(422, response.status().as_u16());
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Say why the team decided differently"));
        assert_eq!(
            303,
            app.post_form_status(
                &close,
                &format!("outcome={other}&rationale=Our+ops+team+knows+it")
            )
            .await
        );
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["status"], "accepted", "on {db}");
        assert_eq!(view["outcome"], other);
        assert_eq!(view["rationale"], "Our ops team knows it");
        assert!(view["decided"].as_str().is_some_and(|d| d.contains('T')));
        let (_, record) = app.get_text(&format!("/teams/{team}/record.md")).await;
        assert!(record.contains("status: accepted"), "{record}");
        let name = if other == "django" { "Django" } else { "Flask" };
        assert!(
            record.contains(&format!(
                "Chosen option: \"{name}\", because the team stated: Our ops team knows it"
            )),
            "{record}"
        );
        // The consequences follow the stated choice, not the answers' result.
        assert!(!record.contains("None recorded"), "{record}");
        let tag = format!("({name}, [evidence]");
        for line in record.lines() {
            if line.starts_with("* Good, because") {
                assert!(line.contains(&tag), "{line}");
            } else if line.starts_with("* Bad, because") {
                assert!(!line.contains(&tag), "{line}");
            }
        }
        assert!(record.contains("* Good, because") || record.contains("* Bad, because"));
        let (_, page) = app.get_text(&format!("/teams/{team}")).await;
        assert!(
            page.contains(&format!("Decided: <strong>{name}</strong>")),
            "{page}"
        );
        // An accepted decision can be deprecated, once, on the page or through the API; the
        // record, the JSON and the page say so.
        let (_, organiser_page) = app.get_text(&organiser).await;
        assert!(organiser_page.contains("/deprecate\""), "{organiser_page}");
        assert_eq!(
            303,
            app.post_form_status(&format!("{organiser}/deprecate"), "")
                .await
        );
        let (_, record) = app.get_text(&format!("/teams/{team}/record.md")).await;
        assert!(record.contains("status: deprecated"), "{record}");
        let (_, page) = app.get_text(&format!("/teams/{team}")).await;
        assert!(
            page.contains("Deprecated: the team no longer follows"),
            "{page}"
        );
        let api_action = format!("/api{organiser}/deprecate");
        let again = app.post_json(&api_action, json!({})).await;
        assert_eq!(409, again.status().as_u16(), "deprecating twice on {db}");
        let (_, organiser_page) = app.get_text(&organiser).await;
        assert!(
            !organiser_page.contains("/deprecate\""),
            "offered only when accepted"
        );
        // Reopening clears it; closing with no decision is `rejected`.
        assert_eq!(
            303,
            app.post_form_status(&format!("{organiser}/reopen"), "")
                .await
        );
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["status"], "proposed");
        assert!(view["outcome"].is_null() && view["decided"].is_null());
        assert_eq!(
            303,
            app.post_form_status(&close, "outcome=none&rationale=Not+this+quarter")
                .await
        );
        let (_, record) = app.get_text(&format!("/teams/{team}/record.md")).await;
        assert!(record.contains("status: rejected"), "{record}");
        assert!(record.contains("No option chosen"), "{record}");
        // A rejected decision (and an open one) cannot be deprecated.
        let refused = app.post_json(&api_action, json!({})).await;
        assert_eq!(
            409,
            refused.status().as_u16(),
            "deprecating a rejected decision on {db}"
        );
        // The team's own result needs no reason.
        if !result.is_empty() {
            assert_eq!(
                303,
                app.post_form_status(&format!("{organiser}/reopen"), "")
                    .await
            );
            assert_eq!(
                303,
                app.post_form_status(&close, &format!("outcome={result}"))
                    .await
            );
            let view: Value = app
                .get(&format!("/api/teams/{team}"))
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(view["status"], "accepted");
        }
    }
}

/// The organiser's actions through the API, as on the organiser's page: close with a stated
/// outcome (a reason needed when it differs from the result), 409 for a state that forbids the
/// action, reopen, rename, remove, and delete only when confirmed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organiser_runs_a_decision_through_the_api() {
    let (_dir, apps) = apps().await;
    for app in &apps {
        let db = &app.database;
        let (team, organiser) = new_team(app, "By API", false).await;
        let key = organiser.rsplit('/').next().unwrap().to_owned();
        let act = |action: &str| format!("/api/teams/{team}/organiser/{key}/{action}");
        let joined: Value = join(app, &team, "Ana").await.json().await.unwrap();
        let member = joined["member"].as_str().unwrap().to_owned();
        assert_eq!(201, join(app, &team, "Ben").await.status().as_u16());
        let response = app
            .post_json(&act("close"), json!({"outcome": "none"}))
            .await;
        assert_eq!(
            422,
            response.status().as_u16(),
            "a reason is needed on {db}"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["field"], "rationale");
        let response = app
            .post_json(
                &act("close"),
                json!({"outcome": "none", "rationale": "Later"}),
            )
            .await;
        assert_eq!(200, response.status().as_u16());
        let view: Value = response.json().await.unwrap();
        assert_eq!(view["status"], "rejected");
        assert_eq!(view["rationale"], "Later");
        let again = app
            .post_json(
                &act("close"),
                json!({"outcome": "none", "rationale": "Later"}),
            )
            .await;
        assert_eq!(409, again.status().as_u16(), "closing a closed decision");
        let view: Value = app
            .post_json(&act("reopen"), json!({}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["status"], "proposed");
        assert_eq!(
            409,
            app.post_json(&act("reopen"), json!({}))
                .await
                .status()
                .as_u16()
        );
        let view: Value = app
            .post_json(&act("rename"), json!({"title": "Renamed by API"}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["title"], "Renamed by API");
        assert_eq!(
            422,
            app.post_json(&act("remove"), json!({"member": member}))
                .await
                .status()
                .as_u16(),
            "removing needs confirm"
        );
        let view: Value = app
            .post_json(&act("remove"), json!({"member": member, "confirm": true}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["members"].as_array().unwrap().len(), 1);
        assert_eq!(
            422,
            app.post_json(&act("delete"), json!({}))
                .await
                .status()
                .as_u16()
        );
        assert_eq!(
            404,
            app.post_json(&act("explode"), json!({}))
                .await
                .status()
                .as_u16()
        );
        let wrong = format!("/api/teams/{team}/organiser/{}/rename", "0".repeat(32));
        assert_eq!(
            404,
            app.post_json(&wrong, json!({"title": "x"}))
                .await
                .status()
                .as_u16()
        );
        assert_eq!(
            204,
            app.post_json(&act("delete"), json!({"confirm": true}))
                .await
                .status()
                .as_u16()
        );
        assert_eq!(
            404,
            app.get(&format!("/api/teams/{team}"))
                .await
                .status()
                .as_u16()
        );
    }
}

/// The organiser can hide answers again after reopening (closing reveals them), and reveal them
/// early; outsiders follow, and a closed decision cannot be hidden.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organiser_hides_and_reveals_answers() {
    let (_dir, apps) = apps().await;
    for app in &apps {
        let db = &app.database;
        let (team, organiser) = new_team(app, "Hide and seek", false).await;
        let key = organiser.rsplit('/').next().unwrap().to_owned();
        let act = |action: &str| format!("/api/teams/{team}/organiser/{key}/{action}");
        assert_eq!(201, join(app, &team, "Ana").await.status().as_u16());
        let outsider = || async {
            let view: Value = app
                .get(&format!("/api/teams/{team}"))
                .await
                .json()
                .await
                .unwrap();
            view["combined"].is_null()
        };
        assert!(!outsider().await, "open book at first on {db}");
        // From the organiser's page.
        assert_eq!(
            303,
            app.post_form_status(&format!("{organiser}/hide"), "").await
        );
        assert!(outsider().await, "hidden from outsiders on {db}");
        let (_, page) = app.get_text(&organiser).await;
        assert!(page.contains("Show everyone’s answers now"), "{page}");
        assert_eq!(
            303,
            app.post_form_status(&format!("{organiser}/reveal"), "")
                .await
        );
        assert!(!outsider().await, "revealed on {db}");
        // Through the API; closing reveals, and a closed decision cannot be hidden.
        let view: Value = app
            .post_json(&act("hide"), json!({}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["hidden"], true);
        let view: Value = app
            .post_json(
                &act("close"),
                json!({"outcome": "none", "rationale": "Not yet"}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["hidden"], false, "closing reveals");
        assert_eq!(
            409,
            app.post_json(&act("hide"), json!({}))
                .await
                .status()
                .as_u16()
        );
        let view: Value = app
            .post_json(&act("reopen"), json!({}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["hidden"], false, "reopening keeps it revealed");
        let view: Value = app
            .post_json(&act("hide"), json!({}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["hidden"], true, "hidden again after reopening");
        assert!(outsider().await);
    }
}

/// A decision superseded by a newer one: linked only by someone who organises both, through
/// the API or the organiser's page; each record and JSON links the other's read-only page, never
/// its share link; every refusal says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_is_superseded_by_newer_ones_whose_organiser_links_are_given() {
    let (_dir, apps) = apps().await;
    for app in &apps {
        let db = &app.database;
        let (old, old_organiser) = new_team(app, "Old choice", false).await;
        let (new, new_organiser) = new_team(app, "New choice", false).await;
        let (other, other_organiser) = new_team(app, "Other choice", false).await;
        let supersede = format!("/api{old_organiser}/supersede");
        let new_link = format!("{}{new_organiser}", app.address);
        // An open decision cannot be superseded yet.
        let early = app.post_json(&supersede, json!({"by": [new_link]})).await;
        assert_eq!(409, early.status().as_u16(), "open, on {db}");
        assert_eq!(
            303,
            app.post_form_status(
                &format!("{old_organiser}/close"),
                "outcome=django&rationale=Chosen+then"
            )
            .await
        );
        for (body, status, what) in [
            (json!({}), 422, "no link"),
            (
                json!({"by": [format!("/teams/{new}")]}),
                422,
                "a share link",
            ),
            (
                json!({"by": [format!("/teams/{new}/organiser/0123456789abcdef0123456789abcdef")]}),
                422,
                "a wrong organiser key",
            ),
            (json!({"by": [old_organiser.clone()]}), 409, "itself"),
        ] {
            let response = app.post_json(&supersede, body).await;
            assert_eq!(status, response.status().as_u16(), "{what} on {db}");
        }
        let response = app.post_json(&supersede, json!({"by": [new_link]})).await;
        assert_eq!(200, response.status().as_u16(), "on {db}");
        let old_json: Value = response.json().await.unwrap();
        assert_eq!(old_json["status"], "superseded", "on {db}");
        let new_json: Value = app
            .get(&format!("/api/teams/{new}"))
            .await
            .json()
            .await
            .unwrap();
        let new_view = new_json["links"]["view"].as_str().unwrap();
        let old_view = old_json["links"]["view"].as_str().unwrap();
        assert_eq!(old_json["superseded_by"], json!([new_view]));
        assert_eq!(new_json["supersedes"], json!([old_view]));

        let (_, old_record) = app.get_text(&format!("/teams/{old}/record.md")).await;
        assert!(
            old_record.contains(&format!("status: superseded by {new_view}")),
            "{old_record}"
        );
        assert!(old_record.contains(&format!("Superseded by: New choice <{new_view}>")));
        let (_, new_record) = app.get_text(&format!("/teams/{new}/record.md")).await;
        assert!(
            new_record.contains(&format!("Supersedes: Old choice <{old_view}>")),
            "{new_record}"
        );
        for record in [&old_record, &new_record] {
            assert!(
                !record.contains(&format!("/teams/{old}"))
                    && !record.contains(&format!("/teams/{new}"))
            );
        }
        let (_, old_page) = app.get_text(&format!("/teams/{old}")).await;
        assert!(
            old_page.contains(&format!(
                "Superseded by <a href=\"{new_view}\">New choice</a>"
            )),
            "{old_page}"
        );

        // Renaming the newer decision shows on the older one's page at once.
        assert_eq!(
            303,
            app.post_form_status(&format!("{new_organiser}/rename"), "title=Newer+choice")
                .await
        );
        let (_, old_page) = app.get_text(&format!("/teams/{old}")).await;
        assert!(
            old_page.contains(">Newer choice</a>"),
            "on {db}: {old_page}"
        );
        // The organiser's page does the same with links pasted one per line.
        let other_link = format!("{}{other_organiser}", app.address);
        let form = format!("by={}", other_link.replace(':', "%3A").replace('/', "%2F"));
        assert_eq!(
            303,
            app.post_form_status(&format!("{old_organiser}/supersede"), &form)
                .await
        );
        let old_json: Value = app
            .get(&format!("/api/teams/{old}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            2,
            old_json["superseded_by"].as_array().unwrap().len(),
            "on {db}"
        );
        let response = app
            .post_form(&format!("{old_organiser}/supersede"), "by=nonsense")
            .await;
        assert_eq!(422, response.status().as_u16());
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("is not an organiser link"));
        // Deleting the newer decision removes its link.
        assert_eq!(
            204,
            app.post_json(
                &format!("/api{other_organiser}/delete"),
                json!({"confirm": true})
            )
            .await
            .status()
            .as_u16()
        );
        let old_json: Value = app
            .get(&format!("/api/teams/{old}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            1,
            old_json["superseded_by"].as_array().unwrap().len(),
            "on {db}"
        );
        let _ = other;
    }
}

/// "Decide as a team" from a result carries its answers: the new-decision form keeps them, the
/// organiser's checklist links a join form with them filled in; and a member who answered sees
/// "Change your answers" (known by their cookie), never "Add your answers" again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_carry_over_from_a_result_and_a_member_is_offered_a_change() {
    let app = crate::helpers::spawn_app().await;
    app.ready().await;
    let (status, result) = app.get_text(&format!("/recommendation?{ANSWERS}")).await;
    assert_eq!(200, status);
    let start = format!("/teams?{ANSWERS}");
    assert!(
        result.contains(&format!("href=\"{}\"", start.replace('&', "&amp;"))),
        "{result}"
    );
    let (status, form) = app.get_text(&start).await;
    assert_eq!(200, status);
    let carried = form
        .split("name=\"answers\" value=\"")
        .nth(1)
        .expect("the answers are carried")
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    assert!(carried.contains("building=site"), "{carried}");
    let response = app
        .post_form(
            "/teams",
            &format!(
                "title=Carried&answers={}",
                carried.replace('&', "%26").replace('=', "%3D")
            ),
        )
        .await;
    assert_eq!(303, response.status().as_u16());
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("?created=1&building=site"), "{location}");
    let (status, organiser) = app.get_text(&location).await;
    assert_eq!(200, status);
    let join = organiser
        .split("<a href=\"")
        .find(|rest| rest.contains("/join?"))
        .and_then(|rest| rest.split('"').next())
        .expect("the checklist links a pre-filled join form")
        .replace("&amp;", "&");
    let (_, join_form) = app.get_text(&join).await;
    assert!(
        join_form.contains("value=\"site\" checked"),
        "the answer is filled in"
    );

    // A member who answered is offered a change, not a second answer.
    let team = location
        .split("/teams/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap();
    let answered = app
        .post_form(
            &format!("/teams/{team}/answers"),
            &format!("name=Ana&{ANSWERS}"),
        )
        .await;
    assert_eq!(303, answered.status().as_u16());
    let cookie = answered.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let page = app
        .client
        .get(format!("{}/teams/{team}", app.address))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(">Change your answers</a>") && !page.contains(">Add your answers</a>"),
        "{page}"
    );
    let (_, outsider) = app.get_text(&format!("/teams/{team}")).await;
    assert!(outsider.contains(">Add your answers</a>"));
}

/// A member changes and withdraws their answers through the API with their edit link's key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_changes_and_withdraws_through_the_api() {
    let (_dir, apps) = apps().await;
    for app in &apps {
        let db = &app.database;
        let (team, _) = new_team(app, "API member", false).await;
        let joined: Value = join(app, &team, "Ana").await.json().await.unwrap();
        let edit_url = joined["edit_url"].as_str().unwrap();
        let edit = format!("/api{}", &edit_url[edit_url.find("/teams/").unwrap()..]);
        let mut answers = answers_json();
        answers["building"] = json!("service");
        let changed = app
            .client
            .put(format!("{}{edit}", app.address))
            .json(&json!({"answers": answers, "comment": "Changed my mind"}))
            .send()
            .await
            .unwrap();
        assert_eq!(200, changed.status().as_u16(), "on {db}");
        let view: Value = changed.json().await.unwrap();
        assert_eq!(
            view["members"][0]["answers"]["building"][0], "service",
            "on {db}"
        );
        assert_eq!(view["members"][0]["comment"], "Changed my mind");
        assert_eq!(view["members"][0]["name"], "Ana", "the name stays as given");
        let gone = app
            .client
            .delete(format!("{}{edit}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(204, gone.status().as_u16(), "on {db}");
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert!(view["members"].as_array().unwrap().is_empty(), "on {db}");
    }
}

/// The team page leads with the result and the disagreements that could change it, naming
/// whose answer would have to move; the rest fold away; "why" is member by member. The
/// organiser page and the record say the same. A hidden, open decision shows none of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_page_says_whose_answer_would_change_the_result() {
    let (_dir, urls) = databases().await;
    for url in urls {
        let app = spawn_app_on(&crate::helpers::root().join("content"), &url).await;
        app.ready().await;
        for hidden in [false, true] {
            let (team, organiser) = new_team(&app, "Booking service", hidden).await;
            // Ana: Django 5 to Flask 1; Bo: Flask 5. Together a toss-up (5 to 6), which either
            // of them answering the first two questions as the other did would settle.
            for (name, answers) in [
                (
                    "Ana",
                    json!({"building": "shop", "admin": "day-one", "size": "small", "experience": "some"}),
                ),
                (
                    "Bo",
                    json!({"building": "microservice", "admin": "custom", "experience": "some"}),
                ),
            ] {
                let response = app
                    .post_json(
                        &format!("/api/teams/{team}/answers"),
                        json!({"name": name, "answers": answers}),
                    )
                    .await;
                assert_eq!(201, response.status().as_u16());
            }
            let (_, page) = app.get_text(&format!("/teams/{team}")).await;
            let (_, record) = app.get_text(&format!("/teams/{team}/record.md")).await;
            let (_, organising) = app.get_text(&organiser).await;
            let what_if = "If Bo answered “An online shop” instead of “";
            if hidden {
                for shown in [&page, &record] {
                    for secret in [
                        "If Ana",
                        "If Bo",
                        "answered alike",
                        "Why, member by member",
                        "Each member’s own result:",
                    ] {
                        assert!(!shown.contains(secret), "{secret} shown while hidden");
                    }
                }
                // The organiser sees results whatever the setting.
                assert!(
                    organising.contains("the team’s result would be"),
                    "{organising}"
                );
                continue;
            }
            assert!(page.contains("The team’s result: a toss-up"), "{page}");
            assert!(page.contains("Each member’s own result: Django 1 · Flask 1."));
            let first = page.find(what_if).expect("Bo's change that settles it");
            assert!(page[first..].contains("the team’s result would be Django."));
            assert!(page.contains(
                "If Ana answered “A small service with one narrow job, such as a webhook receiver” instead of “An online shop”, the team’s result would be Flask."
            ), "{page}");
            assert!(page.contains("2 of the 3 questions the members answered differently could change the team’s result"));
            // The one that would not change it is folded away, after those that would.
            let folded = page
                .find("Disagreements that would not change the result (1)")
                .expect("the folded disagreement");
            assert!(first < folded);
            assert!(page[folded..]
                .contains("<dt>How large do you expect the application to become?</dt>"));
            assert!(page.contains("Questions everyone answered alike (1)"));
            assert!(page.contains("<h3>Ana: Django (strong)</h3>"), "{page}");
            assert!(page.contains("<h3>Bo: Flask (strong)</h3>"));
            assert!(page.contains("(+3 Flask)"));
            // Neither the organiser page nor the record leaves the lead to guess.
            assert!(
                organising.contains("2 disagreements could change it"),
                "{organising}"
            );
            assert!(organising.contains("the team’s result would be"));
            assert!(
                record.contains("Disagreement on \"What are you building?\""),
                "{record}"
            );
            assert!(
                record.contains("If Bo answered “An online shop” instead of"),
                "{record}"
            );
            assert!(!record.contains("What would change it:"), "{record}");
            assert!(record.contains("2 team members answered"));
        }
    }
}
