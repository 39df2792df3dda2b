//! The fuzz targets' seeds (`fuzz/seeds/`) through the targets' own checks, with stable Rust on
//! every `cargo test`; the fuzzer itself needs nightly and cargo-fuzz (see `fuzz/Cargo.toml`).

use std::panic::{catch_unwind, UnwindSafe};

use crate::helpers::root;

// The fuzz crate's own library (its items are public for the fuzz targets).
#[allow(unreachable_pub)]
#[path = "../../fuzz/src/lib.rs"]
mod checks;

/// Every seed file of `target`, by name.
fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = root().join("fuzz").join("seeds").join(target);
    let mut seeds: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    seeds.sort();
    seeds
}

fn passes(check: impl FnOnce() + UnwindSafe) -> bool {
    catch_unwind(check).is_ok()
}

#[test]
fn the_content_seeds_pass_the_content_target_checks() {
    let seeds = seeds("content");
    assert!(seeds.len() >= 4, "{} content seeds", seeds.len());
    for (name, data) in seeds {
        assert!(passes(|| checks::content(&data)), "seed content/{name}");
    }
}

#[test]
fn the_form_seeds_pass_the_form_target_checks() {
    let seeds = seeds("form");
    assert!(seeds.len() >= 4, "{} form seeds", seeds.len());
    for (name, data) in seeds {
        assert!(passes(|| checks::form(&data)), "seed form/{name}");
    }
}

#[test]
fn the_html_check_refuses_what_escaping_should_have_stopped() {
    assert!(passes(|| checks::check_tags(
        r##"<h2 id="a-b">A &lt;b&gt; <a class="anchor" href="/x?a=1&amp;b=>">#</a></h2><br />"##
    )));
    for bad in [
        "<script>alert(1)</script>",
        r#"<h2 id="x"onmouseover="alert(1)">"#,
        r#"<img src=x onerror="alert(1)">"#,
        r##"<a href="#x>unclosed"##,
        "<!--chart:x--><b>",
        "<p",
    ] {
        assert!(!passes(|| checks::check_tags(bad)), "{bad} passed");
    }
}
