//! `versus check`: every problem, each with its file and line, and the right exit status.

use std::path::Path;

use crate::helpers::{copy_tree, fixture, fixture_copy};

/// Runs `versus check` on `dir`: exit code, stdout, stderr.
pub(crate) fn check(dir: &Path) -> (i32, String, String) {
    let output = crate::helpers::versus()
        .args(["check", "--content"])
        .arg(dir)
        .env_remove("VERSUS_CONTENT")
        .output()
        .expect("versus runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_valid_fixture_and_the_bundled_content_pass() {
    for dir in [fixture("valid"), crate::helpers::root().join("content")] {
        let (code, stdout, stderr) = check(&dir);
        assert_eq!(0, code, "{stderr}");
        assert!(stdout.contains("content is valid"), "{stdout}");
    }
}

#[test]
fn the_broken_fixture_reports_every_problem_with_file_and_line() {
    let (code, _, stderr) = check(&fixture("broken"));
    assert_eq!(1, code, "{stderr}");
    let expected = [
        // unknown front matter field
        ("topics/unknown-field.md:5:", "unknown field `colour`"),
        // a link to a page that does not exist, and an anchor that does not
        (
            "topics/links.md:38:",
            "the link `/topics/nowhere` goes to no page",
        ),
        ("topics/links.md:39:", "names the anchor `#missing`"),
        // a table row missing a framework
        (
            "topics/links.md:8:",
            "the at-a-glance row `Two` has no value for `flask`",
        ),
        // a topic without sources
        ("topics/no-sources.md:2:", "the topic has 0 source(s)"),
        // a footnote that names no source
        (
            "topics/no-sources.md:32:",
            "the footnote `[^ghost]` matches no source",
        ),
        // a file without front matter
        ("pages/about.md:1:", "no front matter found"),
        // a reviewed date without its change entry, and touched ids that resolve to nothing
        (
            "frameworks/django.md:10:",
            "reviewed on 2026-01-01, but no [[changes]] entry has that date",
        ),
        (
            "frameworks/django.md:20:",
            "touches `nowhere`, which is neither a section of this page nor a questionnaire fact",
        ),
        ("frameworks/django.md:20:", "touches `fact:no-such-fact`"),
        // a missing required page
        ("pages/faq.md", "the `faq` page is missing"),
        // the questionnaire: too short, a missing weight, an out-of-range weight, a dead evidence
        // link, a fact scored by two questions, points that name no fact
        ("questionnaire.toml:1:", "the questionnaire has 2 questions"),
        // aliases that shadow a page or are not paths
        (
            "frameworks/flask.md:",
            "the alias `/methodology` is the address of a page that exists",
        ),
        (
            "frameworks/flask.md:",
            "the alias `topics/old` is not a plain root-relative path",
        ),
        (
            "questionnaire.toml:17:",
            "the option `site` of `building` has no weight for `flask`",
        ),
        (
            "questionnaire.toml:24:",
            "the option `api` of `building` gives `flask` 9 points",
        ),
        (
            "questionnaire.toml:7:",
            "the link `/topics/links#nowhere` names the anchor `#nowhere`",
        ),
        (
            "questionnaire.toml:37:",
            "the fact `site-fact` is scored by the questions `building` and `again`",
        ),
        (
            "questionnaire.toml:44:",
            "the option `unsourced` of `again` gives points but names no `fact`",
        ),
        // a package that packages.toml does not list, and a listed one named but not declared
        (
            "topics/packages.md",
            "`packages` names `no-such-package`, which packages.toml does not list",
        ),
        (
            "topics/packages.md",
            "name `Flask-Fixture`, which `packages` does not list",
        ),
        // a recorded change of the questionnaire from a version that is not kept
        (
            "questionnaire.toml:",
            "is from version `deadbeef`, which is not kept",
        ),
        // steps that list the questions out of order
        (
            "questionnaire.toml:",
            "the steps do not list every question once, in the order of [[questions]]",
        ),
    ];
    for (location, message) in expected {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(location) && l.contains(message)),
            "expected a line with `{location}` and `{message}` in:\n{stderr}"
        );
    }
    assert!(stderr.contains("problems found in the content"), "{stderr}");
}

#[test]
fn a_broken_link_in_a_copy_of_the_bundled_content_names_file_and_link() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&crate::helpers::root().join("content"), dir.path());
    let file = dir.path().join("pages").join("about.md");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\nSee [the lost page](/topics/lost-page#nowhere).\n");
    let line = text.lines().count();
    std::fs::write(&file, text).unwrap();
    let (code, _, stderr) = check(dir.path());
    assert_eq!(1, code, "{stderr}");
    let expected = format!("about.md:{line}: the link `/topics/lost-page#nowhere` goes to no page");
    assert!(
        stderr.contains(&expected),
        "expected `{expected}` in:\n{stderr}"
    );
}

#[test]
fn a_missing_content_directory_is_one_clear_line() {
    let (code, _, stderr) = check(Path::new("no/such/dir"));
    assert_eq!(1, code);
    assert!(
        stderr.contains("no/such/dir: the content directory does not exist"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn serve_refuses_invalid_content_with_the_same_messages() {
    let output = crate::helpers::versus()
        .args(["serve", "--bind", "127.0.0.1:0", "--content"])
        .arg(fixture("broken"))
        .output()
        .expect("versus runs");
    assert_eq!(Some(1), output.status.code());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown field `colour`"), "{stderr}");
    assert!(stderr.contains("the server did not start"), "{stderr}");
}

#[test]
fn serve_on_a_port_in_use_says_what_to_do() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let output = crate::helpers::versus()
        .args(["--bind", &addr, "--content"])
        .arg(fixture("valid"))
        .output()
        .expect("versus runs");
    assert_eq!(Some(1), output.status.code());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")) && stderr.contains("--bind"),
        "{stderr}"
    );
    assert_eq!(
        1,
        stderr.lines().count(),
        "one line, no backtrace: {stderr}"
    );
}

#[test]
fn a_chart_without_its_data_file_says_how_to_make_it() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), dir.path());
    std::fs::remove_file(dir.path().join("data").join("framework-benchmark.toml")).unwrap();
    let (code, _, stderr) = check(dir.path());
    assert_eq!(1, code, "{stderr}");
    assert!(
        stderr.contains("framework-benchmark.toml: cannot read the data file"),
        "{stderr}"
    );
    assert!(stderr.contains("benches/frameworks/run.sh"), "{stderr}");
}

#[test]
fn editorial_rules_in_site_toml_are_enforced() {
    let dir = fixture_copy("valid", |site| {
        site + "\n[rules]\ntopic_words = [600, 1500]\nmin_faq_questions = 12\nmin_myths = 8\n"
    });
    let (code, _, stderr) = check(dir.path());
    assert_eq!(1, code, "{stderr}");
    for expected in [
        "topics/alpha.md: the body has 25 words of prose (a topic body has 600 to 1500 words",
        "pages/faq.md: the page has 1 questions (`##` sections) (it needs at least 12",
        "pages/myths.md: the page has 1 myths",
    ] {
        assert!(
            stderr.contains(expected),
            "expected `{expected}` in:\n{stderr}"
        );
    }
}

/// A copy of the valid fixture whose Django profile gains a release `days_ago` days old.
fn with_new_release(days_ago: i64, extra: &str, rules: &str) -> tempfile::TempDir {
    let dir = fixture_copy("valid", |site| site + rules);
    let released = chrono::Utc::now().date_naive() - chrono::Duration::days(days_ago);
    let profile = dir.path().join("frameworks").join("django.md");
    let text = std::fs::read_to_string(&profile).unwrap().replacen(
        "\n[[releases]]\n",
        &format!(
            "\n[[releases]]\nversion = \"6.1\"\nreleased = {released}\n{extra}\n[[releases]]\n"
        ),
        1,
    );
    std::fs::write(&profile, text).unwrap();
    dir
}

#[test]
fn a_supported_release_out_for_longer_than_the_rule_must_be_reviewed() {
    let dir = with_new_release(100, "", "");
    let (code, _, stderr) = check(dir.path());
    assert_eq!(1, code, "{stderr}");
    for topic in ["topics/alpha.md:5:", "topics/beta.md:"] {
        assert!(
            stderr.lines().any(|l| l.contains(topic)
                && l.contains("`versions_reviewed` does not name Django 6.1")
                && l.contains("add \"Django 6.1\" to versions_reviewed")),
            "expected {topic} in:\n{stderr}"
        );
    }
}

#[test]
fn a_new_an_unsupported_or_a_ruled_out_release_needs_no_review() {
    for (days, extra, rules, what) in [
        (30, "", "", "30 days old, within the default 60"),
        (
            100,
            "supported_until = 2020-01-01\n",
            "",
            "no longer supported",
        ),
        (
            100,
            "",
            "\n[rules]\nreview_after_release_days = 120\n",
            "within the site's own 120 days",
        ),
    ] {
        let dir = with_new_release(days, extra, rules);
        let (code, _, stderr) = check(dir.path());
        assert_eq!(0, code, "a release {what}: {stderr}");
    }
}

#[test]
fn one_source_cited_on_two_pages_carries_one_accessed_date() {
    let dir = fixture_copy("valid", |site| site);
    let beta = dir.path().join("topics").join("beta.md");
    // beta now cites alpha's first source's URL, but says it was read on another day.
    let text = std::fs::read_to_string(&beta).unwrap().replace(
        "url = \"https://example.com/a\"\naccessed = 2026-03-01",
        "url = \"https://example.com/one\"\naccessed = 2026-03-02",
    );
    assert!(text.contains("2026-03-02"), "the fixture changed");
    std::fs::write(&beta, text).unwrap();
    let (code, _, stderr) = check(dir.path());
    assert_eq!(1, code, "{stderr}");
    assert!(
        stderr.contains("topics/beta.md: the source")
            && stderr.contains("(https://example.com/one) is dated")
            && stderr.contains("in topics/alpha.md"),
        "{stderr}"
    );
}

#[test]
fn block_markdown_or_html_in_a_glance_cell_is_refused() {
    let dir = fixture_copy("valid", |site| site);
    let alpha = dir.path().join("topics").join("alpha.md");
    let text = std::fs::read_to_string(&alpha).unwrap();
    let first =
        text.find("values = { django = \"").expect("a glance row") + "values = { django = \"".len();
    let text = format!("{}<b>bold</b> {}", &text[..first], &text[first..]);
    std::fs::write(&alpha, text).unwrap();
    let (code, _, stderr) = check(dir.path());
    assert_eq!(1, code, "{stderr}");
    assert!(
        stderr.contains("for `django` contains raw HTML")
            && stderr.contains("inline Markdown only"),
        "{stderr}"
    );
}

#[test]
fn an_example_whose_outcome_changed_fails_the_check_with_the_scores() {
    let dir = fixture_copy("valid", |site| site);
    let example = |expect: &str| {
        format!(
            "[[examples]]\nid = \"site\"\ntitle = \"A site\"\ndescription = \"A content site.\"\nanswers = {{ {} }}\nexpect = \"{expect}\"\nwhy = \"See [alpha](/topics/alpha#setup).\"\n",
            crate::helpers::ANSWERS
                .split('&')
                .map(|p| {
                    let (q, o) = p.split_once('=').unwrap();
                    format!("{q} = \"{o}\"")
                })
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let file = dir.path().join("examples.toml");
    std::fs::write(&file, example("flask")).unwrap();
    let (code, _, stderr) = check(dir.path());
    assert_eq!(1, code, "{stderr}");
    assert!(
        stderr.contains("examples.toml:1: the example `site` expects flask but the questionnaire gives django (django "),
        "{stderr}"
    );
    std::fs::write(&file, example("django")).unwrap();
    let (code, _, stderr) = check(dir.path());
    assert_eq!(0, code, "the right expectation passes: {stderr}");
}

#[test]
fn a_content_page_at_the_address_of_a_route_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&crate::helpers::root().join("content"), dir.path());
    let pages = dir.path().join("pages");
    std::fs::copy(pages.join("myths.md"), pages.join("recommend.md")).unwrap();
    let (code, _, stderr) = check(dir.path());
    assert_eq!(1, code, "{stderr}");
    assert!(
        stderr.lines().any(|l| l.contains("recommend.md")
            && l.contains("`/recommend` is the address of a page the site's code serves")),
        "{stderr}"
    );
}

/// A result made with an earlier questionnaire is recomputed from the version kept in its
/// history, not guessed: the internal tool with single sign-on and an admin from day one was a
/// toss-up with version 1ac2b3b1 (one single sign-on option, which gave Flask a point), and
/// leans to Django with today's (single sign-on with local user records scores for Django).
#[test]
fn an_older_questionnaire_version_recomputes_its_result() {
    use versus::recommender::{recommend, Answers, Confidence};
    let site = versus::site::Site::load(&crate::helpers::root().join("content"), None)
        .expect("the bundled site loads");
    let query = |auth: &str| {
        format!("building=internal-tool&size=small&lifetime=not-sure&team=one-or-two&experience=experienced&admin=day-one&data=relational-few&auth={auth}&interface=html&deadline=weeks-small&components=no-preference&security=ordinary&hosting=containers")
    };
    let then = site
        .questionnaire_at("1ac2b3b1")
        .expect("version 1ac2b3b1 is kept");
    let answers = Answers::parse_urlencoded(then, query("external").as_bytes()).unwrap();
    let before = recommend(then, &answers);
    assert_eq!(Confidence::TossUp, before.confidence, "{before:?}");

    let now = site
        .questionnaire_at(site.questionnaire_version())
        .expect("today's version");
    assert_ne!("1ac2b3b1", site.questionnaire_version());
    let answers = Answers::parse_urlencoded(now, query("sso-local").as_bytes()).unwrap();
    let after = recommend(now, &answers);
    assert_eq!(Some("django"), after.winner(now), "{after:?}");
    // A version the site never had is not made up.
    assert!(site.questionnaire_at("00000000").is_none());
    // Each change of the questionnaire names the version it changed, newest first.
    let from: Vec<&str> = site
        .content
        .questionnaire_changes
        .iter()
        .map(|(change, _)| change.from.as_str())
        .collect();
    assert_eq!(["3e6943e9", "1ac2b3b1"], from.as_slice());
    // Making questions optional changed no weight: a full answer set scores as it did.
    let required = site
        .questionnaire_at("3e6943e9")
        .expect("version 3e6943e9 is kept");
    let answers = Answers::parse_urlencoded(required, query("sso-local").as_bytes()).unwrap();
    assert_eq!(
        recommend(required, &answers).scores,
        after.scores,
        "the same points before and after"
    );
}

/// Adds `extra` to alpha's front matter, after its `aliases` line.
fn with_alpha_front_matter(dir: &Path, extra: &str) {
    let alpha = dir.join("topics").join("alpha.md");
    let text = std::fs::read_to_string(&alpha).unwrap();
    let text = text.replacen(
        "aliases = [\"/topics/old-alpha\"]\n",
        &format!("aliases = [\"/topics/old-alpha\"]\n{extra}\n"),
        1,
    );
    std::fs::write(&alpha, text).unwrap();
}

#[test]
fn topic_groups_and_leans_are_checked_against_site_toml_and_the_frameworks() {
    let groups = "[[topic_groups]]\nid = \"build\"\nname = \"Building\"\n\n[[topic_groups]]\nid = \"build\"\nname = \"Again\"\n\n[[topic_groups]]\nid = \"empty\"\nname = \"Nobody here\"\n";
    let dir = fixture_copy("valid", |site| format!("{site}\n{groups}"));
    let long = "x".repeat(101);
    with_alpha_front_matter(
        dir.path(),
        &format!("group = \"nowhere\"\nlean = {{ towards = \"rails\", because = \"{long}\" }}"),
    );
    let (code, _, stderr) = check(dir.path());
    assert_eq!(1, code, "{stderr}");
    for expected in [
        "the topic group `build` is defined twice",
        "no topic is in the group `empty`",
        "the group `nowhere` is not in site.toml",
        "the topic names no `group`",
        "the lean is towards `rails`",
        "the lean's `because` has 101 characters",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
}

#[test]
fn grouped_topics_with_leans_pass_and_the_home_page_lists_them_by_group() {
    let groups = "[[topic_groups]]\nid = \"first\"\nname = \"First group\"\n\n[[topic_groups]]\nid = \"second\"\nname = \"Second group\"\n";
    let dir = fixture_copy("valid", |site| format!("{site}\n{groups}"));
    with_alpha_front_matter(
        dir.path(),
        "group = \"first\"\nlean = { towards = \"flask\", because = \"Fewer parts to learn: `Flask` alone\" }",
    );
    let beta = dir.path().join("topics").join("beta.md");
    let text = std::fs::read_to_string(&beta).unwrap();
    std::fs::write(
        &beta,
        text.replacen("+++\n", "+++\ngroup = \"second\"\n", 1),
    )
    .unwrap();
    let (code, _, stderr) = check(dir.path());
    assert_eq!(0, code, "{stderr}");
    let out = tempfile::tempdir().unwrap();
    let built = crate::helpers::versus()
        .args(["build", "--content"])
        .arg(dir.path())
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let home = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    let first = home
        .find(">First group</h3>")
        .expect("the first group's heading");
    let second = home
        .find(">Second group</h3>")
        .expect("the second group's heading");
    let alpha = home.find("href=\"/topics/alpha\"").expect("alpha listed");
    let beta = home.find("href=\"/topics/beta\"").expect("beta listed");
    assert!(first < alpha && alpha < second && second < beta, "{home}");
    assert!(home.contains("Leans Flask</span> <span class=\"because\">Fewer parts to learn: <code>Flask</code> alone</span>"), "{home}");
}
