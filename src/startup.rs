//! Builds the application from settings: load content, render the site, bind, serve.

use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{web, App, HttpServer};

use crate::content::Problems;
use crate::routes;
use crate::site::live::is_loopback_url;
use crate::site::{BuildError, LoadError, SharedSite, Site};
use crate::store::Store;
use crate::watch::{StatusHandle, Watcher};

/// What `serve` needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: String,
    pub content: PathBuf,
    pub base_url: Option<String>,
    pub workers: Option<usize>,
    /// Reload the content when its files change (`serve --watch`).
    pub watch: bool,
    /// Where team decisions are kept (`sqlite:PATH` or `postgres://…`).
    pub database: String,
    /// Days after which an untouched, undecided team decision is deleted.
    pub team_retention_days: u32,
    /// A reverse proxy whose `X-Forwarded-For` is believed.
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Who may frame the embeds: CSP `frame-ancestors` sources (`*` for any site).
    pub embed_ancestors: String,
}

impl Settings {
    /// Settings for serving `content` on a free loopback port with an SQLite file `database`
    /// (tests and tools; `serve` fills every field from the command line).
    pub fn local(content: &std::path::Path, database: &str) -> Self {
        Self {
            bind: "127.0.0.1:0".into(),
            content: content.to_path_buf(),
            base_url: None,
            workers: Some(1),
            watch: false,
            database: database.to_owned(),
            team_retention_days: 365,
            trusted_proxy: None,
            embed_ancestors: "*".to_owned(),
        }
    }
}

/// Why the application could not start; each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(
        "{0}\nthe server did not start: fix the content above, then run `versus check` to confirm"
    )]
    Content(Problems),
    #[error(transparent)]
    Render(#[from] BuildError),
    #[error("cannot watch {dir} for changes: {source} (serve without --watch, or check the directory's permissions)")]
    Watch {
        dir: String,
        #[source]
        source: notify_debouncer_mini::notify::Error,
    },
    #[error("{0} (set --database or VERSUS_DATABASE)")]
    Database(String),
    #[error("cannot listen on {addr}: {source} (is another server using it? choose another with --bind or VERSUS_BIND)")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
}

impl From<LoadError> for StartupError {
    fn from(err: LoadError) -> Self {
        match err {
            LoadError::Content(problems) => Self::Content(problems),
            LoadError::Render(err) => Self::Render(err),
        }
    }
}

/// A bound, ready-to-run server.
pub struct Application {
    port: u16,
    address: String,
    server: Server,
    watcher: Option<Watcher>,
}

impl Application {
    /// Loads the content, renders it and binds the listener.
    pub fn build(settings: &Settings) -> Result<Self, StartupError> {
        // Bound first, so that links can use the address the server is reachable at.
        let listener = TcpListener::bind(&settings.bind).map_err(|source| StartupError::Bind {
            addr: settings.bind.clone(),
            source,
        })?;
        let local = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: settings.bind.clone(),
            source,
        })?;
        let site = Site::load_served(&settings.content, settings.base_url.as_deref(), local)?;
        if settings.base_url.is_none()
            && local.ip().is_unspecified()
            && is_loopback_url(&site.base_url)
        {
            tracing::warn!(
                base_url = site.base_url,
                "bound to every interface without --base-url: links point at this machine only; pass --base-url with the address readers use"
            );
        }
        // HSTS only means something, and is only safe to send, when the site is served over https.
        let https = site.base_url.starts_with("https://");
        // A reload renders with the base URL chosen now, so links do not change under readers.
        let base_url = site.base_url.clone();
        let shared = SharedSite::new(site);
        let watcher = if settings.watch {
            let watcher = Watcher::start(settings.content.clone(), Some(base_url), shared.clone())
                .map_err(|source| StartupError::Watch {
                    dir: settings.content.display().to_string(),
                    source,
                })?;
            Some(watcher)
        } else {
            None
        };
        let store = Store::open(&settings.database).map_err(StartupError::Database)?;
        // The schema is applied in the background, retried until the database answers: the
        // content site serves meanwhile, and team routes answer 503 until it is ready.
        tokio::spawn(store.clone().migrate_until_ready());
        tokio::spawn(sweep(store.clone(), settings.team_retention_days));
        let data = web::Data::new(shared);
        // One limiter for every worker, so a client's allowance is the same whichever it reaches.
        let teams = web::Data::new(routes::Teams::new(
            store,
            settings.trusted_proxy,
            settings.base_url.as_deref(),
        ));
        let embed_ancestors = settings.embed_ancestors.clone();
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(teams.clone())
                .wrap(routes::Front::new(
                    https,
                    &embed_ancestors,
                    data.get_ref().clone(),
                ))
                .configure(routes::configure)
        });
        // Limits stated rather than inherited: a client has 5 s to send its headers (else 408)
        // and 10 s for a body (routes::body, else 408), idle keep-alive connections close after
        // 5 s, and the workers together hold fewer connections than the process may open files,
        // so slow or stuck clients are refused at the limit instead of taking the site down.
        // Request heads over 16 KiB get 431 (routes::limits).
        let workers = settings.workers.map_or_else(
            || std::thread::available_parallelism().map_or(1, usize::from),
            |w| w.max(1),
        );
        let per_worker = connections_per_worker(workers);
        tracing::info!(
            workers,
            connections_per_worker = per_worker,
            "connection limit set under the open-file limit"
        );
        server = server
            .client_request_timeout(Duration::from_secs(5))
            .client_disconnect_timeout(Duration::from_secs(1))
            .keep_alive(Duration::from_secs(5))
            .max_connections(per_worker)
            .shutdown_timeout(10)
            .workers(workers);
        let server = server
            .listen(listener)
            .map_err(|source| StartupError::Bind {
                addr: settings.bind.clone(),
                source,
            })?
            .run();
        Ok(Self {
            port: local.port(),
            address: local.to_string(),
            server,
            watcher,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address actually bound (useful with port 0).
    pub fn address(&self) -> &str {
        &self.address
    }

    /// What `--watch` has reloaded so far; `None` without `--watch`.
    pub fn watch_status(&self) -> Option<StatusHandle> {
        self.watcher.as_ref().map(Watcher::status_handle)
    }

    /// Serves until SIGINT or SIGTERM, then finishes in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // The watcher lives as long as the server.
        let _watcher = self.watcher;
        self.server.await
    }
}

/// Files kept free for everything but client connections: the database's connections and
/// files, the log, content reloads, the listener, the runtime's own.
const RESERVED_FILES: u64 = 256;
/// The most connections one worker holds, however high the open-file limit.
const MAX_CONNECTIONS_PER_WORKER: usize = 10_000;

/// Raises the soft open-file limit to the hard one (where the system allows), then divides what
/// is left after [`RESERVED_FILES`] among the workers.
fn connections_per_worker(workers: usize) -> usize {
    let limit = rlimit::increase_nofile_limit(u64::MAX)
        .or_else(|_| rlimit::getrlimit(rlimit::Resource::NOFILE).map(|(soft, _)| soft))
        .unwrap_or(1024);
    let usable = usize::try_from(limit.saturating_sub(RESERVED_FILES)).unwrap_or(usize::MAX);
    (usable / workers).clamp(16, MAX_CONNECTIONS_PER_WORKER)
}

/// Deletes decisions untouched for `days`, once an hour (and soon after start).
async fn sweep(store: Store, days: u32) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        let before = chrono::Utc::now().timestamp() - i64::from(days) * 86_400;
        match store.sweep(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, days, "deleted untouched team decisions"),
            Err(err) => tracing::debug!(error = %err, "retention sweep skipped"),
        }
    }
}
