//! How the questionnaire's outcomes are spread: runs N random answer sets (and every example
//! project) through the recommender and prints the share won by each framework and the
//! toss-ups, as a Markdown table. For the methodology page and reviews of weight changes.
//!
//! `cargo run --release --example outcomes -- [CONTENT_DIR] [N]` (defaults: content, 200000)
//!
//! Each single-choice question gets one of its options uniformly at random (an optional one may
//! also be left unanswered); each option of a multi-choice question is ticked with probability
//! one half. The generator is a fixed-seed xorshift, written here so the numbers repeat exactly
//! from run to run without a dependency for a measurement script.

use std::collections::BTreeMap;
use std::path::PathBuf;

use versus::recommender::{recommend, Answers, Kind};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "content".to_owned()));
    let n: usize = args
        .next()
        .map_or(200_000, |s| s.parse().expect("N is a number"));
    let content = match versus::content::load(&dir) {
        Ok(content) => content,
        Err(problems) => {
            eprintln!("{problems}");
            std::process::exit(1);
        }
    };
    let q = &content.questionnaire;
    let mut rng = XorShift(0x5eed_2026_1201);
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..n {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for question in &q.questions {
            match question.kind {
                Kind::Single => {
                    let choices = question.options.len() + usize::from(!question.required);
                    if let Some(option) = question.options.get(rng.below(choices)) {
                        pairs.push((&question.id, &option.id));
                    }
                }
                Kind::Multi => {
                    for option in &question.options {
                        if rng.next() & 1 == 1 {
                            pairs.push((&question.id, &option.id));
                        }
                    }
                }
            }
        }
        let answers = Answers::parse(q, pairs).expect("random answers are valid");
        let rec = recommend(q, &answers);
        let key = match rec.recommendation {
            Some(w) => format!("{w} ({})", rec.confidence.label()),
            None => "toss-up".to_owned(),
        };
        *tally.entry(key).or_default() += 1;
    }
    println!("{n} random answer sets, content in {}:\n", dir.display());
    println!("| outcome | share |\n|---|---|");
    for (outcome, count) in &tally {
        println!("| {outcome} | {:.1}% |", *count as f64 * 100.0 / n as f64);
    }
    println!("\nExample projects:\n\n| example | outcome | scores |\n|---|---|---|");
    for ex in &content.examples {
        let rec = recommend(q, &ex.answers);
        let scores: Vec<String> = rec
            .scores
            .iter()
            .map(|s| format!("{} {}", q.frameworks[s.framework], s.score))
            .collect();
        println!(
            "| {} | {} {} | {} |",
            ex.id,
            rec.winner(q).unwrap_or("toss-up"),
            rec.confidence.label(),
            scores.join(", ")
        );
    }
}
