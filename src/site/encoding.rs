//! Content codings: compress once at start-up, choose per request from `Accept-Encoding`.

use std::io::Write;

use bytes::Bytes;

/// A representation of a resource's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The `Content-Encoding` value, if any.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Self::Brotli => Some("br"),
            Self::Gzip => Some("gzip"),
            Self::Identity => None,
        }
    }

    /// The suffix that tells this variant's ETag apart (RFC 9110: each representation has its own).
    pub fn etag_suffix(self) -> &'static str {
        match self {
            Self::Brotli => "-br",
            Self::Gzip => "-gz",
            Self::Identity => "",
        }
    }
}

/// Whether a media type is worth compressing.
pub fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/json")
        || content_type.starts_with("application/xml")
        || content_type.starts_with("application/atom+xml")
        || content_type.starts_with("image/svg+xml")
}

/// `body` compressed with brotli for serving many times: quality 6 with a 256 KiB window, about
/// as small as quality 8 in half the time, and every page still fits in TCP's first flight (the
/// numbers: `benches/RESULTS.md`, "Moved from the code").
pub fn brotli(body: &[u8]) -> std::io::Result<Bytes> {
    brotli_at(body, 6)
}

/// `body` compressed with brotli at `quality` (0 fastest to 11 smallest).
pub fn brotli_at(body: &[u8], quality: i32) -> std::io::Result<Bytes> {
    let mut out = Vec::with_capacity(body.len() / 3);
    let params = brotli::enc::BrotliEncoderParams {
        quality,
        lgwin: 18,
        size_hint: body.len(),
        ..Default::default()
    };
    let mut input = body;
    brotli::BrotliCompress(&mut input, &mut out, &params)?;
    Ok(Bytes::from(out))
}

/// `body` compressed with gzip at the best level.
pub fn gzip(body: &[u8]) -> std::io::Result<Bytes> {
    gzip_at(body, 9)
}

/// `body` compressed with gzip at `level` (1 fastest to 9 smallest).
pub fn gzip_at(body: &[u8], level: u32) -> std::io::Result<Bytes> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 3),
        flate2::Compression::new(level),
    );
    encoder.write_all(body)?;
    Ok(Bytes::from(encoder.finish()?))
}

/// The best coding among those available that `accept_encoding` allows, honouring q-values;
/// on a tie brotli beats gzip beats identity. No header means identity.
pub fn negotiate(accept_encoding: Option<&str>, brotli: bool, gzip: bool) -> Encoding {
    let Some(header) = accept_encoding else {
        return Encoding::Identity;
    };
    let mut q_br = None;
    let mut q_gz = None;
    let mut q_id = None;
    let mut q_any = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim();
        let mut q = 1.0_f32;
        for param in parts {
            if let Some((name, value)) = param.split_once('=') {
                if name.trim().eq_ignore_ascii_case("q") {
                    q = value
                        .trim()
                        .parse::<f32>()
                        .ok()
                        .filter(|v| (0.0..=1.0).contains(v))
                        .unwrap_or(0.0);
                }
            }
        }
        // Compared without case rather than lowered into a new string: this runs per request.
        let is = |name: &str| coding.eq_ignore_ascii_case(name);
        if is("br") {
            q_br = Some(q);
        } else if is("gzip") || is("x-gzip") {
            q_gz = Some(q);
        } else if is("identity") {
            q_id = Some(q);
        } else if coding == "*" {
            q_any = Some(q);
        }
    }
    let br = if brotli {
        q_br.or(q_any).unwrap_or(0.0)
    } else {
        0.0
    };
    let gz = if gzip {
        q_gz.or(q_any).unwrap_or(0.0)
    } else {
        0.0
    };
    // Identity is always acceptable (RFC 9110 §12.5.3) but, unless the client gives it a q-value,
    // the least preferred: any coding the client accepts beats it.
    let id = q_id.unwrap_or(f32::MIN_POSITIVE);
    if br > 0.0 && br >= gz && br >= id {
        Encoding::Brotli
    } else if gz > 0.0 && gz >= id {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Encoding::*;

    #[test]
    fn negotiation_follows_q_values_and_prefers_brotli_on_a_tie() {
        let cases = [
            (None, Identity),
            (Some(""), Identity),
            (Some("gzip"), Gzip),
            (Some("br"), Brotli),
            (Some("gzip, deflate, br, zstd"), Brotli),
            (Some("br;q=0.5, gzip;q=0.8"), Gzip),
            (Some("br;q=0, gzip"), Gzip),
            (Some("br;q=0, gzip;q=0"), Identity),
            (Some("*"), Brotli),
            (Some("*;q=0.1, gzip;q=0.5"), Gzip),
            (Some("identity"), Identity),
            (Some("identity;q=1, gzip;q=0.5"), Identity),
            (Some("identity;q=0, gzip;q=0.1"), Gzip),
            (Some("GZIP;Q=1"), Gzip),
            (Some("X-Gzip"), Gzip),
            (Some("Br;q=0.4, X-GZIP;q=0.5"), Gzip),
            (Some("BR"), Brotli),
            (Some("br;q=nonsense, gzip"), Gzip),
            (Some("deflate"), Identity),
        ];
        for (header, expected) in cases {
            assert_eq!(
                negotiate(header, true, true),
                expected,
                "for Accept-Encoding: {header:?}"
            );
        }
        assert_eq!(
            negotiate(Some("br"), false, true),
            Identity,
            "brotli not available"
        );
        assert_eq!(negotiate(Some("br, gzip"), false, true), Gzip);
    }

    #[test]
    fn compressed_variants_decompress_to_the_original() {
        let body = "<p>versus</p>".repeat(200);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &brotli(body.as_bytes()).unwrap()[..], &mut out).unwrap();
        assert_eq!(out, body.as_bytes());
        let compressed = gzip(body.as_bytes()).unwrap();
        let mut decoder = flate2::read::GzDecoder::new(&compressed[..]);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut decoder, &mut text).unwrap();
        assert_eq!(text, body);
    }
}
