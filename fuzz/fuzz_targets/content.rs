//! The content pipeline: front matter split and parse, then Markdown rendering.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| versus_fuzz::content(data));
