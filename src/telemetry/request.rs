//! The id of the request being handled, added to every line logged while handling it.
//!
//! A tokio task-local rather than a `tracing` span around the request: the span cost every
//! request its registry slot, the filter's lock and its fields' formatting, while a handler logs
//! a line in very few of them (`benches/RESULTS.md`, "Moved from the code"). The task-local is
//! set each time the request's future is polled; the id is formatted only into lines that are
//! actually logged.

use std::fmt;
use std::future::Future;
use std::rc::Rc;

use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

use super::{FIELD_NAME_OFF, FIELD_NAME_ON};

tokio::task_local! {
    static REQUEST_ID: Rc<str>;
}

/// Runs `handling` with `id` as the request id of every line it logs.
pub async fn with_request_id<F: Future>(id: Rc<str>, handling: F) -> F::Output {
    REQUEST_ID.scope(id, handling).await
}

/// Runs `handling`, which does not wait, with `id` as the request id of every line it logs.
pub fn in_request<R>(id: Rc<str>, handling: impl FnOnce() -> R) -> R {
    REQUEST_ID.sync_scope(id, handling)
}

/// A line's formatter that ends lines logged while a request is handled with
/// ` request_id=…`, the same field the access line ends with.
pub(super) struct WithRequestId<F>(pub(super) F);

impl<S, N, F> FormatEvent<S, N> for WithRequestId<F>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
    F: FormatEvent<S, N>,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let Ok(id) = REQUEST_ID.try_with(Rc::clone) else {
            return self.0.format_event(ctx, writer, event);
        };
        // The inner format was given its colours explicitly, so a plain writer is enough here.
        let mut line = String::new();
        self.0.format_event(ctx, Writer::new(&mut line), event)?;
        writer.write_str(line.strip_suffix('\n').unwrap_or(&line))?;
        if writer.has_ansi_escapes() {
            writeln!(writer, " {FIELD_NAME_ON}request_id{FIELD_NAME_OFF}{id}")
        } else {
            writeln!(writer, " request_id={id}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Captured;
    use super::*;

    #[test]
    fn lines_logged_while_a_request_is_handled_carry_its_id_and_others_do_not() {
        let out = Captured::default();
        let writer = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .event_format(WithRequestId(
                tracing_subscriber::fmt::format()
                    .with_ansi(false)
                    .with_target(false),
            ))
            .with_writer(move || writer.clone())
            .finish();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!("before");
            runtime.block_on(async {
                let first = with_request_id(Rc::from("first-1"), async {
                    tracing::warn!(error = "x", "store unavailable");
                    tokio::task::yield_now().await;
                    tracing::warn!("after a wait");
                });
                let second = with_request_id(Rc::from("second-2"), async {
                    tokio::task::yield_now().await;
                    tracing::warn!("second's line");
                });
                // Two requests interleaved on one thread each keep their own id.
                tokio::join!(first, second);
            });
            tracing::info!("after");
        });
        let text = out.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        assert!(lines[0].ends_with("INFO before"), "{text}");
        assert!(
            lines[1].ends_with(r#"WARN store unavailable error="x" request_id=first-1"#),
            "{text}"
        );
        let rest = &lines[2..4];
        assert!(rest
            .iter()
            .any(|l| l.ends_with("WARN after a wait request_id=first-1")));
        assert!(rest
            .iter()
            .any(|l| l.ends_with("WARN second's line request_id=second-2")));
        assert!(lines[4].ends_with("INFO after"), "{text}");
    }
}
