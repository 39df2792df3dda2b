//! Integration tests: the real app on a free port, spoken to over real HTTP.

mod build;
mod cards;
mod check;
mod crawl;
mod drift;
mod embeds;
mod fuzz_seeds;
mod helpers;
mod hostile;
mod lifecycle;
mod load;
mod markdown;
mod openapi;
mod pages;
mod reader;
mod recommend;
mod teams;
mod teams_faults;
mod trust;
mod watch;
