//! The `versus` command: parse the CLI, start logging, run a subcommand.

use std::process::ExitCode;

use clap::Parser;
use versus::cli::{Cli, Command, ServeArgs};
use versus::startup::{Application, Settings};
use versus::{content, telemetry};

fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init();
    match cli.command {
        Some(Command::Check(args)) => check(&args.content),
        Some(Command::Serve(args)) => serve(args),
        None => serve(cli.serve),
    }
}

fn check(dir: &std::path::Path) -> ExitCode {
    match content::load(dir) {
        Ok(content) => {
            println!(
                "{}: content is valid: {} topics, {} frameworks, {} pages",
                dir.display(),
                content.topics.len(),
                content.frameworks.len(),
                content.pages.len()
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            eprintln!("{problems}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    let settings = Settings {
        bind: args.bind,
        content: args.content.content,
        base_url: args.base_url,
        workers: args.workers,
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
