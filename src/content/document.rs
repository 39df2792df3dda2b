//! One Markdown file with typed front matter, loaded the same way whatever its kind: slug from
//! the file name, front matter parsed into `M`, the summary checked, the sources checked and
//! the body rendered with them.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use toml::Spanned;

use super::front_matter::{self, Change, FrontMatter, Source, Split};
use super::markdown::{self, Rendered};
use super::problem::{self, Problem, Problems};
use super::{Changed, Entry, Kind, Origin, MAX_CHANGE_SUMMARY, MAX_SUMMARY};

/// A loaded file: its front matter, checked sources and rendered body, with what the checks
/// after loading need to point at its lines.
#[derive(Debug)]
pub(super) struct Document<M> {
    pub kind: Kind,
    pub slug: String,
    pub meta: M,
    pub sources: Vec<Source>,
    pub body: Rendered,
    pub origin: Origin,
    /// The change history, newest first.
    pub changes: Vec<Changed>,
    /// Where the file is, for problems found after loading.
    pub path: PathBuf,
    /// The line of each front matter span, for problems about fields.
    pub front_matter_line: usize,
    front_matter: String,
}

impl<M> Document<M> {
    /// The page, without what only the checks need.
    pub(super) fn into_entry(self) -> Entry<M> {
        Entry {
            kind: self.kind,
            slug: self.slug,
            meta: self.meta,
            sources: self.sources,
            body: self.body,
            origin: self.origin,
            changes: self.changes,
        }
    }

    /// The file line of a byte span of the front matter.
    pub(super) fn line_of(&self, span: &std::ops::Range<usize>) -> usize {
        self.front_matter_line + problem::line_of(&self.front_matter, span.start) - 1
    }
}

/// The line of the first `key = …` in `front_matter`, which starts on `first_line`.
fn key_line(front_matter: &str, first_line: usize, key: &str) -> Option<usize> {
    front_matter
        .lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| first_line + i)
}

/// Loads every `*.md` file of `kind`'s directory in `dir` (a missing directory is a problem),
/// skipping files with problems after recording them.
pub(super) fn load_all<M: FrontMatter>(
    dir: &Path,
    kind: Kind,
    problems: &mut Problems,
) -> Vec<Document<M>> {
    // Each file is read, parsed and highlighted on its own core; the problems are then merged
    // in file order, so what `versus check` prints does not depend on scheduling.
    let loaded: Vec<(Option<Document<M>>, Problems)> =
        markdown_files(&dir.join(kind.dir()), problems)
            .par_iter()
            .map(|file| {
                let mut found = Problems::default();
                (load(kind, file, &mut found), found)
            })
            .collect();
    loaded
        .into_iter()
        .filter_map(|(document, found)| {
            problems.extend(found);
            document
        })
        .collect()
}

/// Loads one file of `kind`.
pub(super) fn load<M: FrontMatter>(
    kind: Kind,
    path: &Path,
    problems: &mut Problems,
) -> Option<Document<M>> {
    let slug = slug_of(path, problems)?;
    let text = read(path, problems)?;
    let split = front_matter::split(path, &text)
        .map_err(|p| problems.push(p))
        .ok()?;
    let meta: M = front_matter::parse(path, &split)
        .map_err(|p| problems.push(p))
        .ok()?;
    check_summary(path, &split, meta.summary(), problems);
    let changes = changes(path, &split, meta.changes(), problems);
    let (sources, body) = render_body(path, &split, meta.sources(), problems);
    let origin = Origin {
        file: format!("{}/{slug}.md", kind.dir()),
        updated_line: key_line(split.front_matter, split.front_matter_line, "updated")
            .unwrap_or(split.front_matter_line),
    };
    Some(Document {
        kind,
        front_matter_line: split.front_matter_line,
        front_matter: split.front_matter.to_owned(),
        slug,
        meta,
        sources,
        body,
        origin,
        changes,
        path: path.to_path_buf(),
    })
}

/// The change history with each entry's line, newest first; a summary that is empty, longer
/// than [`MAX_CHANGE_SUMMARY`] or more than one line is a problem.
fn changes(
    path: &Path,
    split: &Split<'_>,
    changes: &[Spanned<Change>],
    problems: &mut Problems,
) -> Vec<Changed> {
    let mut list: Vec<Changed> = changes
        .iter()
        .map(|spanned| {
            let line = line_of_span(split, &spanned.span());
            let change = spanned.get_ref().clone();
            let chars = change.summary.chars().count();
            if change.summary.trim().is_empty()
                || chars > MAX_CHANGE_SUMMARY
                || change.summary.contains('\n')
            {
                problems.push(
                    Problem::new(path, Some(line), format!("the change of {} has a summary of {chars} characters", change.date))
                        .hint(format!("say what changed for the reader in one line of 1 to {MAX_CHANGE_SUMMARY} characters")),
                );
            }
            Changed {
                change,
                line,
                id: String::new(),
            }
        })
        .collect();
    list.sort_by_key(|c| std::cmp::Reverse(c.change.date));
    let dates: Vec<_> = list.iter().map(|c| c.change.date).collect();
    for (changed, id) in list.iter_mut().zip(super::change_ids(&dates)) {
        changed.id = id;
    }
    list
}

/// The `*.md` files in `dir`, sorted; a missing directory is a problem.
fn markdown_files(dir: &Path, problems: &mut Problems) -> Vec<PathBuf> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            problems.push(
                Problem::new(dir, None, format!("cannot read the directory: {err}"))
                    .hint("create it, with one Markdown file per page"),
            );
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

/// A file's slug (its stem), if it is a valid URL segment.
fn slug_of(path: &Path, problems: &mut Problems) -> Option<String> {
    let stem = path.file_stem()?.to_str().unwrap_or_default().to_owned();
    let valid = !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !stem.starts_with('-');
    if valid {
        Some(stem)
    } else {
        problems.push(
            Problem::new(path, None, "the file name is not a valid slug")
                .hint("use lower-case letters, digits and hyphens, e.g. long-term-maintenance.md"),
        );
        None
    }
}

/// Reads `path` as UTF-8 text, reporting a file that cannot be read.
fn read(path: &Path, problems: &mut Problems) -> Option<String> {
    match fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(err) => {
            problems.push(
                Problem::new(path, None, format!("cannot read the file: {err}"))
                    .hint("check that it exists, is readable and is UTF-8"),
            );
            None
        }
    }
}

fn line_of_span(split: &Split<'_>, span: &std::ops::Range<usize>) -> usize {
    split.front_matter_line + problem::line_of(split.front_matter, span.start) - 1
}

fn check_summary(path: &Path, split: &Split<'_>, summary: &str, problems: &mut Problems) {
    let chars = summary.chars().count();
    if summary.trim().is_empty() || chars > MAX_SUMMARY {
        let line = split
            .front_matter
            .lines()
            .position(|l| l.trim_start().starts_with("summary"))
            .map(|i| split.front_matter_line + i);
        problems.push(
            Problem::new(path, line, format!("the summary has {chars} characters")).hint(format!(
                "write a summary of 1 to {MAX_SUMMARY} characters; it becomes the meta description"
            )),
        );
    }
}

/// Checks the sources and renders the body that cites them.
fn render_body(
    path: &Path,
    split: &Split<'_>,
    sources: &[Spanned<Source>],
    problems: &mut Problems,
) -> (Vec<Source>, Rendered) {
    let mut ids: Vec<String> = Vec::with_capacity(sources.len());
    for source in sources {
        let line = line_of_span(split, &source.span());
        let s = source.get_ref();
        if ids.contains(&s.id) {
            problems.push(
                Problem::new(
                    path,
                    Some(line),
                    format!("the source id `{}` is used twice", s.id),
                )
                .hint("give every source its own id"),
            );
        }
        if markdown::slugify(&s.id) != s.id {
            problems.push(
                Problem::new(
                    path,
                    Some(line),
                    format!("the source id `{}` is not a slug", s.id),
                )
                .hint("use lower-case letters, digits and hyphens"),
            );
        }
        if !(s.url.starts_with("https://") || s.url.starts_with("http://")) {
            problems.push(
                Problem::new(
                    path,
                    Some(line),
                    format!("the source `{}` has no absolute URL", s.id),
                )
                .hint("give the full https:// address a reader can open"),
            );
        }
        ids.push(s.id.clone());
    }
    let body = markdown::render(split.body, split.body_line, &ids);
    for misuse in &body.misuse {
        problems.push(Problem::new(
            path,
            Some(misuse.line),
            format!("the body contains {}", misuse.text),
        ));
    }
    for unknown in &body.unknown_footnotes {
        problems.push(
            Problem::new(
                path,
                Some(unknown.line),
                format!("the footnote `[^{}]` matches no source", unknown.text),
            )
            .hint("add a [[sources]] entry with that id, or fix the label"),
        );
    }
    for source in sources {
        if !body.cited.contains(&source.get_ref().id) {
            let line = line_of_span(split, &source.span());
            problems.push(
                Problem::new(
                    path,
                    Some(line),
                    format!("the source `{}` is never cited", source.get_ref().id),
                )
                .hint(format!(
                    "cite it with [^{}] where the body relies on it, or remove it",
                    source.get_ref().id
                )),
            );
        }
    }
    (sources.iter().map(|s| s.get_ref().clone()).collect(), body)
}
