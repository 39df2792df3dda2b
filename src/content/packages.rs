//! `content/packages.toml`: every third-party package the content recommends, with the framework
//! versions its newest release's metadata declares. Pages render support caveats from it, for
//! both frameworks alike, so a caveat is data that `versus check` guards rather than prose.

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::front_matter;
use super::problem::{line_of, Problem, Problems};

/// The file, in the content directory.
pub const FILE: &str = "packages.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    packages: Vec<Spanned<Package>>,
}

/// One package and what its newest release declares.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// As on PyPI.
    pub name: String,
    /// The framework whose ecosystem it belongs to (a slug of site.toml's `frameworks`).
    pub framework: String,
    pub newest: String,
    #[serde(deserialize_with = "front_matter::date")]
    pub released: NaiveDate,
    pub date_source: String,
    /// The framework feature versions (`6.0`) the release metadata declares, ascending.
    pub declares: Vec<String>,
    /// How: `classifiers`, `requires-dist`, `both` or `nothing`.
    pub declared_by: String,
    /// The requirement on the framework as written, or empty.
    pub requires: String,
    pub url: String,
    #[serde(deserialize_with = "front_matter::date")]
    pub accessed: NaiveDate,
}

impl Package {
    /// The reviewed versions of its framework that the package does not declare.
    pub fn uncovered<'v>(&self, reviewed: &'v [String]) -> Vec<&'v str> {
        reviewed
            .iter()
            .map(String::as_str)
            .filter(|v| !self.declares.iter().any(|d| d == v))
            .collect()
    }
}

/// Loads and checks the file; a site without one recommends no package.
pub fn load(dir: &Path, frameworks: &[String], problems: &mut Problems) -> Vec<Package> {
    let path = dir.join(FILE);
    if !path.exists() {
        return Vec::new();
    }
    let Some((text, file)) = front_matter::read_toml::<File>(
        &path,
        "the package list",
        "see docs/content.md, \"Packages\"",
        problems,
    ) else {
        return Vec::new();
    };
    let mut packages: Vec<Package> = Vec::with_capacity(file.packages.len());
    for spanned in file.packages {
        let line = line_of(&text, spanned.span().start);
        let package = spanned.into_inner();
        let mut refuse = |message: String, hint: &str| {
            problems.push(Problem::new(&path, Some(line), message).hint(hint));
        };
        if !frameworks.contains(&package.framework) {
            refuse(
                format!(
                    "`{}` belongs to `{}`, which is no framework of this site",
                    package.name, package.framework
                ),
                "use a slug from `frameworks` in site.toml",
            );
        }
        if let Some(bad) = package.declares.iter().find(|v| !is_feature_version(v)) {
            refuse(
                format!(
                    "`{}` declares `{bad}`, which is not a feature version",
                    package.name
                ),
                "list versions as major.minor, e.g. \"6.0\"",
            );
        }
        if packages
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(&package.name))
        {
            refuse(
                format!("`{}` is listed twice", package.name),
                "list each package once",
            );
        }
        packages.push(package);
    }
    packages
}

/// `6.0`, `3.1`: digits, one dot, digits.
fn is_feature_version(text: &str) -> bool {
    text.split_once('.').is_some_and(|(major, minor)| {
        !major.is_empty()
            && !minor.is_empty()
            && major.bytes().all(|b| b.is_ascii_digit())
            && minor.bytes().all(|b| b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reviewed_versions_a_package_does_not_declare_are_its_caveat() {
        let package = Package {
            name: "django-axes".into(),
            framework: "django".into(),
            newest: "8.3.1".into(),
            released: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            date_source: "PyPI upload time".into(),
            declares: vec!["4.2".into(), "5.2".into(), "6.0".into()],
            declared_by: "classifiers".into(),
            requires: "Django>=4.2".into(),
            url: "https://pypi.org/project/django-axes/".into(),
            accessed: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        };
        let reviewed = ["6.1".to_owned(), "6.0".to_owned(), "5.2".to_owned()];
        assert_eq!(vec!["6.1"], package.uncovered(&reviewed));
        assert!(
            is_feature_version("6.0") && !is_feature_version("6") && !is_feature_version("6.x")
        );
    }
}
