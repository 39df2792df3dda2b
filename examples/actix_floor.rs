//! The floor under `benches/load.sh`: the least an actix-web server can do to answer its page
//! requests, to show how much of the gap to nginx is versus and how much is actix-web itself.
//!
//! `cargo run --release --example actix_floor -- SITE_DIR PAGE [WORKERS]` serves one page of a
//! `versus build` export (`SITE_DIR/PAGE/index.html` and its `.gz` sibling) from memory, at
//! every path, on 127.0.0.1 with WORKERS workers (default: one per CPU it may run on, as
//! `versus serve`), and logs
//! `listening on http://…` to stderr. Per request it does only what the load test's requests
//! need: a 304 when `If-None-Match` is the page's ETag, gzip when `Accept-Encoding` names it,
//! identity otherwise. No middleware, no access log, no security headers, no routing, no
//! content negotiation beyond that: what is left is actix-web's own cost per request.

use std::path::PathBuf;

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{self, Bytes};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer};

struct Page {
    identity: Bytes,
    gzip: Bytes,
    etag: HeaderValue,
}

async fn page(req: HttpRequest, page: web::Data<Page>) -> HttpResponse {
    let headers = req.headers();
    if headers.get(header::IF_NONE_MATCH) == Some(&page.etag) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, page.etag.clone()))
            .finish();
    }
    let gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::ETAG, page.etag.clone()))
        .insert_header((header::VARY, "Accept-Encoding"));
    if gzip {
        response
            .insert_header((header::CONTENT_ENCODING, "gzip"))
            .body(page.gzip.clone())
    } else {
        response.body(page.identity.clone())
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args_os().skip(1);
    let (Some(site), Some(path)) = (args.next(), args.next()) else {
        eprintln!(
            "usage: actix_floor SITE_DIR PAGE [WORKERS]   (e.g. target/site topics/performance)"
        );
        std::process::exit(2);
    };
    let file = PathBuf::from(site).join(path).join("index.html");
    let identity = Bytes::from(std::fs::read(&file)?);
    let gzip = Bytes::from(std::fs::read(file.with_extension("html.gz"))?);
    let etag = HeaderValue::from_str(&format!("\"floor-{}\"", identity.len()))
        .expect("digits and quotes make a header value");
    let shared = web::Data::new(Page {
        identity,
        gzip,
        etag,
    });
    let workers = match args.next() {
        Some(n) => match n.to_str().and_then(|n| n.parse().ok()) {
            Some(n) => n,
            None => {
                eprintln!("actix_floor: WORKERS must be a number");
                std::process::exit(2);
            }
        },
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let server = HttpServer::new(move || {
        App::new()
            .app_data(shared.clone())
            .default_service(web::to(page))
    })
    .workers(workers)
    .bind(("127.0.0.1", 0))?;
    for address in server.addrs() {
        eprintln!("listening on http://{address}");
    }
    server.run().await
}
