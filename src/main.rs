//! The `versus` command: parse the CLI, start logging, run a subcommand.

use std::process::ExitCode;

use clap::Parser;
use versus::cli::{BackupArgs, BuildArgs, Cli, Command, RecommendArgs, ServeArgs};
use versus::recommender::{recommend as score, Answers, Kind};
use versus::site::{recommendation, LoadError, Site};
use versus::startup::{Application, Settings};
use versus::{content, telemetry};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Held to the end of main, so every buffered log line is written before the process exits.
    let _log = telemetry::init();
    match cli.command {
        Some(Command::Check(args)) => check(&args.content),
        Some(Command::Serve(args)) => serve(args),
        Some(Command::Recommend(args)) => recommend(&args),
        Some(Command::Build(args)) => build(&args),
        Some(Command::Backup(args)) => backup(&args),
        None => serve(cli.serve),
    }
}

fn check(dir: &std::path::Path) -> ExitCode {
    match content::load(dir) {
        Ok(content) => {
            let today = chrono::Utc::now().date_naive();
            let stale = content.stale_reviews(dir, today);
            for warning in &stale {
                eprintln!("warning: {warning}");
            }
            println!(
                "{}: content is valid: {} topics, {} frameworks, {} pages{}",
                dir.display(),
                content.topics.len(),
                content.frameworks.len(),
                content.pages.len(),
                match stale.len() {
                    0 => String::new(),
                    n => format!(" ({n} due for review)"),
                }
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            eprintln!("{problems}");
            ExitCode::FAILURE
        }
    }
}

/// Loads and renders the site for a one-shot command, printing any problem.
fn load_site(dir: &std::path::Path, base_url: Option<&str>) -> Result<Site, ExitCode> {
    Site::load(dir, base_url).map_err(|err| {
        match err {
            LoadError::Content(problems) => eprintln!("{problems}"),
            LoadError::Render(err) => eprintln!("error: {err}"),
        }
        ExitCode::FAILURE
    })
}

fn build(args: &BuildArgs) -> ExitCode {
    let site = match load_site(&args.content.content, args.base_url.as_deref()) {
        Ok(site) => site,
        Err(code) => return code,
    };
    match site.export(&args.out) {
        Ok(files) => {
            println!("wrote {files} files to {}", args.out.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!(
                "error: cannot write the site to {}: {err} (choose a writable --out directory)",
                args.out.display()
            );
            ExitCode::FAILURE
        }
    }
}

fn recommend(args: &RecommendArgs) -> ExitCode {
    let site = match load_site(&args.content.content, None) {
        Ok(site) => site,
        Err(code) => return code,
    };
    let q = &site.content.questionnaire;
    if args.questions {
        for question in &q.questions {
            let kind = match question.kind {
                Kind::Single => "one answer",
                Kind::Multi => "any number of answers",
            };
            let required = if question.required {
                "required"
            } else {
                "optional"
            };
            println!("{}: {} ({kind}, {required})", question.id, question.prompt);
            for option in &question.options {
                println!("    {}={}  {}", question.id, option.id, option.label);
            }
        }
        return ExitCode::SUCCESS;
    }
    let mut pairs = Vec::new();
    for arg in &args.answers {
        match arg.split_once('=') {
            Some(pair) => pairs.push(pair),
            None => {
                eprintln!("error: `{arg}` is not QUESTION=OPTION (run `versus recommend --questions` for the ids)");
                return ExitCode::FAILURE;
            }
        }
    }
    let answers = match Answers::parse(q, pairs) {
        Ok(answers) => answers,
        Err(invalid) => {
            for e in &invalid.errors {
                eprintln!("error: {}: {}", e.field, e.message);
            }
            eprintln!("run `versus recommend --questions` for the questions and their option ids");
            return ExitCode::FAILURE;
        }
    };
    let rec = score(q, &answers);
    if args.json {
        match serde_json::to_string_pretty(&recommendation::published(&site, &answers, &rec)) {
            Ok(json) => println!("{json}"),
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::FAILURE;
            }
        }
        return ExitCode::SUCCESS;
    }
    let today = chrono::Utc::now().date_naive();
    match askama::Template::render(&versus::site::record::single_record(
        &site, &answers, &rec, today,
    )) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn backup(args: &BackupArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    // The store's pool lives on the runtime, so it is opened inside it.
    runtime.block_on(async {
        let store = match versus::store::Store::open(&args.database.database) {
            Ok(store) => store,
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::FAILURE;
            }
        };
        let copied = match store.migrate().await {
            Ok(()) => store.backup(&args.out).await,
            Err(err) => Err(err.to_string()),
        };
        store.close().await;
        match copied {
            Ok(()) => {
                println!(
                    "wrote a consistent copy of the database to {}",
                    args.out.display()
                );
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::FAILURE
            }
        }
    })
}

fn serve(args: ServeArgs) -> ExitCode {
    let settings = Settings {
        bind: args.bind,
        content: args.content.content,
        base_url: args.base_url,
        workers: args.workers,
        watch: args.watch,
        database: args.database.database,
        team_retention_days: args.team_retention_days,
        trusted_proxy: args.trusted_proxy,
        embed_ancestors: args.embed_ancestors,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let app = match Application::build(&settings) {
            Ok(app) => app,
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::FAILURE;
            }
        };
        tracing::info!(
            address = app.address(),
            "listening on http://{}",
            app.address()
        );
        match app.run_until_stopped().await {
            Ok(()) => {
                tracing::info!("stopped");
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("error: the server stopped: {err}");
                ExitCode::FAILURE
            }
        }
    })
}
