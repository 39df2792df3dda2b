//! The answer parsers: a form body or query string, and the JSON API's `answers` object.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| versus_fuzz::form(data));
