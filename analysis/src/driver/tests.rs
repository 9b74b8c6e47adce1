//! Warm runs against cold ones: a generated crate of async functions that call each
//! other across files (cycles included) is edited step by step, and after each step the
//! incremental analysis from the previous step's state must give exactly the cold
//! analysis's findings.

use super::incremental::Stats;
use super::*;
use crate::flow::Summary;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// What a generated function's body does with its callee's response.
#[derive(Clone, Copy, Debug)]
enum Body {
    Send,
    Forward,
    Read,
    Keep,
    Drop,
    PerCallClient,
    Hold,
    Collect,
}

const BODIES: [Body; 8] = [
    Body::Send,
    Body::Forward,
    Body::Read,
    Body::Keep,
    Body::Drop,
    Body::PerCallClient,
    Body::Hold,
    Body::Collect,
];

#[derive(Clone, Debug)]
struct Function {
    id: usize,
    declared: bool,
    /// Its parameter is the crate's `&Api`, not a `&reqwest::Client`: with a body that
    /// names nothing of reqwest's (a call), it is answered without its body until a
    /// summary it names is not empty.
    plain: bool,
    body: Body,
    /// The callee, by `id`.
    callee: usize,
}

/// A crate: the root file and three module files, each a list of functions, and blank
/// lines at the top of each file (edits that move spans only). `m1` also declares a
/// struct holding a response, whose method taking `self` (in `m2`) reads the response or
/// not (`holder_reads`): `response_field` in `m1` reads that method's summary.
struct Crate {
    files: Vec<Vec<Function>>,
    padding: Vec<usize>,
    next_id: usize,
    holder_reads: bool,
}

impl Crate {
    fn new(rng: &mut Rng) -> Self {
        let mut krate = Crate {
            files: vec![Vec::new(); 4],
            padding: vec![0; 4],
            next_id: 0,
            holder_reads: false,
        };
        for file in 0..4 {
            for _ in 0..6 {
                krate.add(rng, file);
            }
        }
        let ids = krate.ids();
        for function in krate.files.iter_mut().flatten() {
            function.callee = ids[rng.below(ids.len())];
        }
        krate
    }

    fn ids(&self) -> Vec<usize> {
        self.files.iter().flatten().map(|f| f.id).collect()
    }

    fn add(&mut self, rng: &mut Rng, file: usize) {
        let ids = self.ids();
        let callee = if ids.is_empty() {
            self.next_id
        } else {
            ids[rng.below(ids.len())]
        };
        self.files[file].push(Function {
            id: self.next_id,
            declared: rng.below(2) == 0,
            plain: rng.below(2) == 0,
            body: BODIES[rng.below(BODIES.len())],
            callee,
        });
        self.next_id += 1;
    }

    fn path(&self, id: usize) -> String {
        let file = self
            .files
            .iter()
            .position(|fns| fns.iter().any(|f| f.id == id))
            .unwrap_or(0);
        if file == 0 {
            format!("crate::f{id}")
        } else {
            format!("crate::m{file}::f{id}")
        }
    }

    fn text(&self, file: usize) -> String {
        let mut text = "\n".repeat(self.padding[file]);
        match file {
            0 => text.push_str("pub mod m1;\npub mod m2;\npub mod m3;\n"),
            1 => text.push_str("pub struct Holder {\n    pub resp: reqwest::Response,\n}\n"),
            2 => text.push_str(if self.holder_reads {
                "impl crate::m1::Holder {\n    pub async fn finish(self) -> String {\n        self.resp.text().await.unwrap()\n    }\n}\n"
            } else {
                "impl crate::m1::Holder {\n    pub async fn finish(self) -> String {\n        String::new()\n    }\n}\n"
            }),
            _ => {}
        }
        for function in &self.files[file] {
            let returns = if function.declared {
                "reqwest::Result<reqwest::Response>"
            } else {
                "Result<Out, Error>"
            };
            let callee = self.path(function.callee);
            let body = match function.body {
                Body::Send => "c.get(\"http://x/\").send().await".to_owned(),
                Body::Forward => format!("{callee}(c).await"),
                Body::Read => {
                    format!("let r = {callee}(c).await?;\n    let _ = r.text().await;\n    todo!()")
                }
                Body::Keep => format!("let r = {callee}(c).await?;\n    Ok(r)"),
                Body::Drop => format!("{callee}(c).await?;\n    todo!()"),
                Body::PerCallClient => format!(
                    "let fresh = reqwest::Client::new();\n    {callee}(&fresh).await"
                ),
                Body::Hold => format!(
                    "let r = {callee}(c).await?;\n    tokio::time::sleep(PAUSE).await;\n    Ok(r)"
                ),
                Body::Collect => format!(
                    "let mut all = Vec::new();\n    for _ in 0..3 {{\n        all.push({callee}(c).await?);\n    }}\n    todo!()"
                ),
            };
            let param = match function.plain {
                true => "c: &Api",
                false => "c: &reqwest::Client",
            };
            text.push_str(&format!(
                "\npub async fn f{}({param}) -> {returns} {{\n    {body}\n}}\n",
                function.id
            ));
        }
        text
    }

    fn texts(&self) -> Vec<String> {
        (0..self.files.len()).map(|file| self.text(file)).collect()
    }

    /// One random edit; `true` when it can change the interface.
    fn edit(&mut self, rng: &mut Rng) -> bool {
        let file = rng.below(self.files.len());
        match rng.below(20) {
            0..=11 => {
                // A body: what it does, or whom it calls.
                let ids = self.ids();
                let count = self.files[file].len();
                let function = &mut self.files[file][rng.below(count)];
                if rng.below(2) == 0 {
                    function.body = BODIES[rng.below(BODIES.len())];
                } else {
                    function.callee = ids[rng.below(ids.len())];
                }
                false
            }
            12 => {
                self.padding[file] = rng.below(4);
                false
            }
            13 => {
                self.holder_reads = !self.holder_reads;
                false
            }
            14..=15 => {
                let count = self.files[file].len();
                let function = &mut self.files[file][rng.below(count)];
                function.declared = !function.declared;
                true
            }
            16..=17 => {
                self.add(rng, file);
                true
            }
            _ => {
                if self.files[file].len() > 1 {
                    let gone = self.files[file].pop().map(|f| f.id);
                    let ids = self.ids();
                    for function in self.files.iter_mut().flatten() {
                        if Some(function.callee) == gone {
                            function.callee = ids[rng.below(ids.len())];
                        }
                    }
                }
                true
            }
        }
    }
}

fn inputs(texts: &[String]) -> Vec<CrateFile<'_>> {
    let names = ["lib.rs", "m1.rs", "m2.rs", "m3.rs"];
    texts
        .iter()
        .enumerate()
        .map(|(index, text)| {
            let mut place = ModulePlace::root("generated", TargetKind::Lib);
            if index > 0 {
                place.module = vec![format!("m{index}")];
            }
            CrateFile::new(text).at(place, names[index])
        })
        .collect()
}

fn warm(texts: &[String], options: &Options, previous: Option<&State>) -> (Vec<FileResult>, State) {
    let files = inputs(texts);
    let keys = file_keys(&files, options);
    let (results, state) = analyze_crate_incremental(&files, options, &keys, previous);
    (results, state.expect("a state when nothing failed"))
}

fn summary(results: &[FileResult]) -> Vec<String> {
    results
        .iter()
        .enumerate()
        .flat_map(|(file, result)| match result {
            Ok(found) => found
                .iter()
                .map(|d| {
                    format!(
                        "{file}:{}:{} {}",
                        d.span.start.line, d.span.start.column, d.lint.name
                    )
                })
                .collect(),
            Err(error) => vec![format!("{file}: error {}", error.message)],
        })
        .collect()
}

/// The generated crate's texts for a fixed example: `lib.rs` declares `a`, `b` and `c`;
/// `b` calls `a::fetch` and drops what it returns.
fn chain(fetch: &str, other: &str) -> Vec<String> {
    vec![
        "pub mod m1;\npub mod m2;\npub mod m3;\n".to_owned(),
        format!("pub async fn fetch(c: &reqwest::Client) -> Result<Out, Error> {{\n    {fetch}\n}}\n"),
        "pub async fn caller(c: &reqwest::Client) -> Result<(), Error> {\n    crate::m1::fetch(c).await?;\n    Ok(())\n}\n".to_owned(),
        format!("pub fn other() {{\n    {other}\n}}\n"),
    ]
}

/// The statistics of an incremental run that parsed `parsed` files and ran `analyses`
/// function analyses.
/// What an incremental run that parsed `parsed` files and ran `analyses` analyses did,
/// as `(parsed, analyses, incremental)`.
fn incremental(parsed: usize, analyses: usize) -> (usize, usize, bool) {
    (parsed, analyses, true)
}

fn did(stats: Stats) -> (usize, usize, bool) {
    (stats.parsed, stats.analyses, stats.incremental)
}

#[test]
fn a_body_that_names_nothing_of_reqwest_is_parsed_when_a_summary_reaches_it() {
    // `drop_it` names no reqwest item, but calls `fetch`, whose summary (a response)
    // comes from another file; `plain` calls nothing that matters and is never parsed.
    // `later` calls `relay`, whose summary is only known after a round.
    let texts = [
        "pub mod m1;\npub mod m2;\n".to_owned(),
        "pub async fn fetch(c: &reqwest::Client) -> reqwest::Result<reqwest::Response> {\n    c.get(\"http://x/\").send().await\n}\npub async fn relay(c: &reqwest::Client) {\n    let r = c.get(\"http://y/\").send().await;\n    consume(r).await;\n}\nasync fn consume<T>(value: T) -> T {\n    value\n}\n".to_owned(),
        "pub async fn drop_it(c: &Api) -> Result<(), Error> {\n    crate::m1::fetch(&c.0).await?;\n    Ok(())\n}\npub fn plain() -> u32 {\n    1 + 1\n}\npub async fn later(c: &Api) {\n    crate::m1::relay(&c.0).await;\n}\n".to_owned(),
    ];
    let mut runs = Vec::new();
    for eager_bodies in [false, true] {
        let options = Options {
            eager_bodies,
            ..Options::default()
        };
        let (found, state) = warm(&texts, &options, None);
        let summaries: Vec<Summary> = state
            .files
            .iter()
            .flat_map(|file| file.fns.iter().map(|f| f.summary.clone()))
            .collect();
        runs.push((summary(&found), summaries, state.stats));
    }
    let (lazy, eager) = (&runs[0], &runs[1]);
    assert_eq!(lazy.0, ["2:2:5 unconsumed_response"]);
    assert_eq!(lazy.0, eager.0);
    assert_eq!(lazy.1, eager.1, "the same summaries");
    // The lazy run leaves unparsed what no summary reaches (`plain`, `consume`, generic, and
    // `later` until `relay` is known to send with its parameter) and does no more analyses
    // than the eager one: the round that learns what callers pass re-analyzes a function in
    // both.
    assert_eq!((lazy.2.unparsed, lazy.2.analyses), (4, 9));
    assert_eq!((eager.2.unparsed, eager.2.analyses), (0, 9));
}

#[test]
fn a_warm_run_reads_a_blanked_body_once_a_summary_it_names_is_no_longer_empty() {
    // `caller` names nothing of reqwest's: a cold run answers it without its body while
    // `fetch` returns nothing tracked. Editing `fetch`'s body (its signature, the crate's
    // interface, unchanged) must bring `caller` back in a warm run, and away again.
    let texts = |body: &str| {
        vec![
            "pub mod m1;\npub mod m2;\n".to_owned(),
            format!("pub async fn fetch(c: &reqwest::Client) -> Result<Out, Error> {{\n    {body}\n}}\n"),
            "pub async fn caller(c: &Api) -> Result<(), Error> {\n    crate::m1::fetch(&c.0).await?;\n    Ok(())\n}\n".to_owned(),
        ]
    };
    let quiet = "Ok(Out::default())";
    let sends = "c.get(\"http://x/\").send().await";
    let options = Options::default();
    let (cold, mut state) = warm(&texts(quiet), &options, None);
    assert_eq!(summary(&cold), Vec::<String>::new());
    assert_eq!(state.stats.unparsed, 1);
    for (body, expected) in [
        (sends, vec!["2:2:5 unconsumed_response"]),
        (quiet, vec![]),
        (sends, vec!["2:2:5 unconsumed_response"]),
    ] {
        let (results, next) = warm(&texts(body), &options, Some(&state));
        assert!(next.stats.incremental, "{:?}", next.stats);
        assert_eq!(summary(&results), expected);
        let (cold, _) = warm(&texts(body), &options, None);
        assert_eq!(results, cold);
        state = next;
    }
}

#[test]
fn a_warm_run_parses_and_analyzes_only_what_changed() {
    let options = Options::default();
    let sends = "c.get(\"http://x/\").send().await";
    let (cold, state) = warm(&chain(sends, ""), &options, None);
    assert_eq!(summary(&cold), ["2:2:5 unconsumed_response"]);
    assert_eq!((state.stats.parsed, state.stats.incremental), (4, false));

    // Nothing changed: nothing parsed, nothing analyzed.
    let (results, state) = warm(&chain(sends, ""), &options, Some(&state));
    assert_eq!(results, cold);
    assert_eq!(did(state.stats), incremental(0, 0));

    // A body that no summary depends on: that file only, its function once.
    let (results, state) = warm(&chain(sends, "let _ = 1;"), &options, Some(&state));
    assert_eq!(results, cold);
    assert_eq!(did(state.stats), incremental(1, 1));

    // `fetch` changes but still returns a response: its caller's file is not parsed.
    let spaced = "c.get(\"http://y/\").send().await";
    let (results, state) = warm(&chain(spaced, "let _ = 1;"), &options, Some(&state));
    assert_eq!(summary(&results), ["2:2:5 unconsumed_response"]);
    assert_eq!(did(state.stats), incremental(1, 1));

    // `fetch` reads the body now: its caller has nothing left to drop, and is analyzed
    // again (its file parsed) to find that out.
    let reads = "Ok(c.get(\"http://y/\").send().await?.text().await?)";
    let (results, state) = warm(&chain(reads, "let _ = 1;"), &options, Some(&state));
    assert_eq!(summary(&results), ["1:2:40 unbounded_body_read"]);
    assert_eq!(
        results,
        analyze_crate(&inputs(&chain(reads, "let _ = 1;")), &options)
    );
    assert_eq!(did(state.stats), incremental(2, 2));

    // A new function changes the interface: every function is analyzed again.
    let added = "let _ = 1;\n}\npub fn more() {";
    let (results, state) = warm(&chain(reads, added), &options, Some(&state));
    assert_eq!(
        results,
        analyze_crate(&inputs(&chain(reads, added)), &options)
    );
    assert!(!state.stats.incremental);
    assert_eq!(state.stats.parsed, 4);
}

#[test]
fn warm_runs_after_random_edits_find_what_cold_runs_find() {
    let options = Options::default();
    let mut incremental_steps = 0;
    let mut findings = 0;
    for seed in 1..=12u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut krate = Crate::new(&mut rng);
        let texts = krate.texts();
        let (_, mut state) = warm(&texts, &options, None);
        for step in 0..30 {
            let edits = 1 + rng.below(3);
            let mut interface = false;
            for _ in 0..edits {
                interface |= krate.edit(&mut rng);
            }
            let texts = krate.texts();
            let cold = analyze_crate(&inputs(&texts), &options);
            let (results, next) = warm(&texts, &options, Some(&state));
            assert_eq!(
                results,
                cold,
                "seed {seed}, step {step}: the warm run differs from the cold one\n{}\n\
                 warm: {:?}\ncold: {:?}",
                texts.join("\n// ----\n"),
                summary(&results),
                summary(&cold)
            );
            if !interface {
                assert!(
                    next.stats.incremental,
                    "seed {seed}, step {step}: bodies only"
                );
                incremental_steps += 1;
            }
            findings += summary(&cold).len();
            state = next;
        }
    }
    // The edits exercised both paths and the crates had findings to get right.
    assert!(incremental_steps > 100, "{incremental_steps}");
    assert!(findings > 1000, "{findings}");
}
