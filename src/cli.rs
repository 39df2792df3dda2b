//! The command line: every flag also reads a `VERSUS_*` environment variable.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// versus: Django or Flask, compared topic by topic, with a recommender that explains itself.
///
/// Run without a subcommand to serve the site (the same as `versus serve`).
#[derive(Debug, Parser)]
#[command(name = "versus", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site over HTTP (the default).
    Serve(ServeArgs),
    /// Load and validate the content, printing every problem with its file and line; exit 1 on any.
    Check(ContentArgs),
    /// Export every page that does not need the server (all but the questionnaire and search) as
    /// static files, with `.br` and `.gz` siblings, for any static host or CDN.
    Build(BuildArgs),
    /// Recommend Django or Flask from answers given as QUESTION=OPTION, explained as Markdown
    /// (or as the JSON API's answer with --json). `--questions` lists the ids.
    Recommend(RecommendArgs),
    /// Copy the team-decision database (SQLite) to a new file, consistently, while the server
    /// runs. Back up PostgreSQL with pg_dump.
    Backup(BackupArgs),
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Where team decisions are kept: `sqlite:PATH` (a file, created on first start) or
    /// `postgres://user:password@host/db` (for several replicas).
    #[arg(
        long,
        env = "VERSUS_DATABASE",
        default_value = "sqlite:versus.db",
        value_name = "URL"
    )]
    pub database: String,
}

#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    /// Directory to write the site into (created if missing).
    #[arg(long, env = "VERSUS_OUT", value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub content: ContentArgs,
    /// Public base URL for canonical links and the sitemap (default: `base_url` in site.toml).
    #[arg(long, env = "VERSUS_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct RecommendArgs {
    #[command(flatten)]
    pub content: ContentArgs,
    /// Print the JSON that `POST /api/recommend` returns instead of the explanation.
    #[arg(long)]
    pub json: bool,
    /// List the questions and their option ids, then exit.
    #[arg(long, conflicts_with = "json")]
    pub questions: bool,
    /// Answers such as `building=content-site`; repeat a multi-choice question for each option.
    #[arg(value_name = "QUESTION=OPTION")]
    pub answers: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ContentArgs {
    /// Directory holding site.toml, topics/, frameworks/ and pages/.
    #[arg(
        long,
        env = "VERSUS_CONTENT",
        default_value = "content",
        value_name = "DIR"
    )]
    pub content: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the bound address is logged).
    #[arg(
        long,
        env = "VERSUS_BIND",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR"
    )]
    pub bind: String,
    #[command(flatten)]
    pub content: ContentArgs,
    /// Public base URL for canonical links, the sitemap, permalinks and share links (default:
    /// `base_url` in site.toml; when that names this machine, the address the server is bound to).
    #[arg(long, env = "VERSUS_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// Number of worker threads (default: one per CPU).
    #[arg(long, env = "VERSUS_WORKERS", value_name = "N")]
    pub workers: Option<usize>,
    /// Reload the content when a file in it changes, for editing: problems are logged with their
    /// file and line, and the last good content keeps serving. (Templates and the stylesheet are
    /// compiled into the binary; changing them needs `cargo run` again.)
    #[arg(long, env = "VERSUS_WATCH")]
    pub watch: bool,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Delete an undecided team decision nobody has touched for this many days (a sweep runs
    /// hourly); decisions closed with a stated outcome are kept.
    #[arg(
        long,
        env = "VERSUS_TEAM_RETENTION_DAYS",
        default_value_t = 365,
        value_name = "DAYS"
    )]
    pub team_retention_days: u32,
    /// The address of a reverse proxy in front of the site: requests from it are attributed
    /// to the client it names last in `X-Forwarded-For` (for rate limits). Off by default, as
    /// anyone can send that header.
    #[arg(long, env = "VERSUS_TRUSTED_PROXY", value_name = "IP")]
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Who may frame the embeds (`/embed/…` and a decision's embed), as CSP `frame-ancestors`
    /// sources, e.g. `https://wiki.example https://*.notion.site`; `*` (the default) is any
    /// site. Every other page refuses to be framed.
    #[arg(
        long,
        env = "VERSUS_EMBED_ANCESTORS",
        default_value = "*",
        value_name = "SOURCES",
        value_parser = frame_ancestors
    )]
    pub embed_ancestors: String,
}

/// A `frame-ancestors` source list: visible ASCII separated by spaces, and nothing that could end
/// the directive (`;`, `,`) and so widen the policy.
fn frame_ancestors(value: &str) -> Result<String, String> {
    let sources: Vec<&str> = value.split_ascii_whitespace().collect();
    if sources.is_empty() {
        return Err("name at least one source, e.g. * or https://wiki.example".to_owned());
    }
    match sources.iter().find(|s| {
        !s.bytes()
            .all(|b| b.is_ascii_graphic() && b != b';' && b != b',')
    }) {
        Some(bad) => Err(format!(
            "{bad:?} is not a frame-ancestors source (no ';' or ',')"
        )),
        None => Ok(sources.join(" ")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn frame_ancestors_take_sources_and_refuse_what_would_end_the_directive() {
        assert_eq!(super::frame_ancestors("*").unwrap(), "*");
        assert_eq!(
            super::frame_ancestors(" https://a.example   'self' ").unwrap(),
            "https://a.example 'self'"
        );
        for bad in [
            "",
            "  ",
            "*; script-src *",
            "https://a.example,*",
            "caf\u{e9}",
        ] {
            assert!(super::frame_ancestors(bad).is_err(), "{bad}");
        }
    }
}
