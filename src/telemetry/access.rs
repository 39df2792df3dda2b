//! The access log's line: one per request, in the shape of the subscriber's other lines.
//!
//! Formatted here instead of through `tracing::info!`: the subscriber's formatter visits each
//! field through `dyn Debug`, formats a timestamp from scratch and takes its writer per line,
//! the largest piece of the server's own work on a 304 (`benches/RESULTS.md`). Here a line is a
//! few appends to a
//! reused buffer and one hand-over to the batched writer; the timestamp's date and time are
//! formatted once a second. Whether the line is wanted is still `tracing`'s filter's decision
//! (`VERSUS_LOG=info,access=off` turns it off), asked by the caller.

use std::cell::RefCell;
use std::io::Write as _;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use tracing_subscriber::fmt::MakeWriter;

use super::{Batched, FIELD_NAME_OFF, FIELD_NAME_ON};

/// Where access lines go once [`super::init`] has installed logging.
static SINK: OnceLock<Sink> = OnceLock::new();

struct Sink {
    writer: Batched,
    ansi: bool,
}

pub(super) fn install(writer: Batched, ansi: bool) {
    let _ = SINK.set(Sink { writer, ansi });
}

thread_local! {
    /// The line being formatted, reused so a request allocates nothing for its log line.
    static LINE: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(256));
    /// The second the cached `YYYY-MM-DDTHH:MM:SS` was formatted for.
    static SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
}

/// One request, as the access log records it.
#[derive(Debug, Clone, Copy)]
pub struct Access<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
    pub micros: u64,
    pub request_id: &'a str,
}

impl Access<'_> {
    /// Writes the line, if logging was installed. The caller has asked `tracing` whether the
    /// `access` target is enabled.
    pub fn write(&self) {
        let Some(sink) = SINK.get() else {
            return;
        };
        LINE.with_borrow_mut(|line| {
            line.clear();
            self.format(line, SystemTime::now(), sink.ansi);
            // The batched writer takes whole lines and does not fail.
            let _ = sink.writer.make_writer().write_all(line);
        });
    }

    /// `2026-12-02T15:44:48.036277Z  INFO request method="GET" path="/" status=200 micros=34
    /// request_id=…`, as `tracing_subscriber`'s full format prints an event with these fields.
    fn format(&self, out: &mut Vec<u8>, now: SystemTime, ansi: bool) {
        let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
        if ansi {
            out.extend_from_slice(b"\x1b[2m");
        }
        SECOND.with_borrow_mut(|(second, text)| {
            if *second != since.as_secs() {
                *second = since.as_secs();
                *text = i64::try_from(since.as_secs())
                    .ok()
                    .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
                    .unwrap_or_default()
                    .format("%Y-%m-%dT%H:%M:%S")
                    .to_string();
            }
            out.extend_from_slice(text.as_bytes());
        });
        out.push(b'.');
        let micros = since.subsec_micros();
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(micros);
        out.extend(std::iter::repeat_n(b'0', 6 - digits.len()));
        out.extend_from_slice(digits.as_bytes());
        out.push(b'Z');
        if ansi {
            out.extend_from_slice(b"\x1b[0m \x1b[32m INFO\x1b[0m request");
        } else {
            out.extend_from_slice(b"  INFO request");
        }
        field(out, ansi, "method");
        quoted(out, self.method);
        field(out, ansi, "path");
        quoted(out, self.path);
        field(out, ansi, "status");
        out.extend_from_slice(itoa::Buffer::new().format(self.status).as_bytes());
        field(out, ansi, "micros");
        out.extend_from_slice(itoa::Buffer::new().format(self.micros).as_bytes());
        field(out, ansi, "request_id");
        out.extend_from_slice(self.request_id.as_bytes());
        out.push(b'\n');
    }
}

/// ` name=`, italic and dimmed as the subscriber prints field names on a terminal.
fn field(out: &mut Vec<u8>, ansi: bool, name: &str) {
    out.push(b' ');
    if ansi {
        out.extend_from_slice(FIELD_NAME_ON.as_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(FIELD_NAME_OFF.as_bytes());
    } else {
        out.extend_from_slice(name.as_bytes());
        out.push(b'=');
    }
}

/// A string as `{:?}` prints it (quoted, with quotes, backslashes and control characters
/// escaped, so a request cannot forge a line), without going through `fmt` for the plain ones.
fn quoted(out: &mut Vec<u8>, text: &str) {
    if text
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
    {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        let _ = write!(out, "{text:?}");
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn line(access: &Access<'_>, at: u64, ansi: bool) -> String {
        let mut out = Vec::new();
        let now = UNIX_EPOCH + Duration::from_micros(at);
        access.format(&mut out, now, ansi);
        String::from_utf8(out).unwrap()
    }

    const PLAIN: Access<'static> = Access {
        method: "GET",
        path: "/topics/performance",
        status: 304,
        micros: 17,
        request_id: "6b103cf0-000002",
    };

    #[test]
    fn a_line_reads_as_the_subscribers_own_lines_do() {
        // 2026-12-02T15:44:48.036277Z
        let at = 1_796_226_288_036_277;
        assert_eq!(
            line(&PLAIN, at, false),
            "2026-12-02T15:44:48.036277Z  INFO request method=\"GET\" path=\"/topics/performance\" status=304 micros=17 request_id=6b103cf0-000002\n"
        );
        // Microseconds keep their leading zeros; the cached second is replaced when it passes.
        assert!(
            line(&PLAIN, at + 963_723 + 5, false).starts_with("2026-12-02T15:44:49.000005Z  INFO")
        );
        assert!(line(&PLAIN, at, false).starts_with("2026-12-02T15:44:48.036277Z"));
        let coloured = line(&PLAIN, at, true);
        assert!(coloured.starts_with("\x1b[2m2026-12-02T15:44:48.036277Z\x1b[0m \x1b[32m INFO\x1b[0m request \x1b[3mmethod\x1b[0m"));
    }

    #[test]
    fn a_path_cannot_forge_a_line_or_a_field() {
        let sly = Access {
            path: "/a\"b\\c\n2026-01-01T00:00:00.000000Z  INFO forged é",
            ..PLAIN
        };
        let text = line(&sly, 0, false);
        assert_eq!(text.lines().count(), 1, "{text}");
        let expected = format!("path={:?} status=304", sly.path);
        assert!(text.contains(&expected), "{text}");
        assert!(text.contains(r#"path="/a\"b\\c\n2026"#), "{text}");
    }
}
