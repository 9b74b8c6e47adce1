//! How long deep and large input takes (`tests/it/deep_input.rs` checks that each gets an
//! answer). Group `deep_input`, each file analyzed with [`reqleak_analysis::analyze_source`]:
//!
//! - `nested_blocks_100k`: 100,000 nested blocks (the "nesting too deep" parse error);
//! - `one_line_1mb/code`, `/expression`, `/string`: 1 MB on one line: ordinary code (findings),
//!   one `1 + 1 + ..` expression (nesting too deep), one string literal;
//! - `functions_50k`: 50,000 functions, one a line;
//! - `at_limit/<construct>`: each kind of nesting just below [`reqleak_analysis::MAX_NESTING`].
//!
//! `cargo bench -p reqleak-analysis --bench deep_input -- --test` runs each once (smoke mode).

#[path = "common/deep.rs"]
mod deep;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use reqleak_analysis::MAX_NESTING;

fn deep_input(c: &mut Criterion) {
    let mut group = c.benchmark_group("deep_input");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    let inputs = [
        (
            "nested_blocks_100k".to_owned(),
            deep::nested_blocks(100_000),
        ),
        ("one_line_1mb/code".to_owned(), deep::single_line(1 << 20).0),
        (
            "one_line_1mb/expression".to_owned(),
            deep::single_line_expression(1 << 20),
        ),
        (
            "one_line_1mb/string".to_owned(),
            deep::single_line_string(1 << 20),
        ),
        ("functions_50k".to_owned(), deep::functions(50_000).0),
    ];
    let at_limit = deep::CONSTRUCTS.iter().map(|construct| {
        (
            format!("at_limit/{}", construct.name.replace(' ', "_")),
            construct.nested(construct.depth_for(MAX_NESTING - 100)),
        )
    });
    for (name, text) in inputs.into_iter().chain(at_limit) {
        group.bench_function(name, |b| {
            b.iter(|| black_box(reqleak_analysis::analyze_source(black_box(&text))))
        });
    }
    group.finish();
}

criterion_group!(benches, deep_input);
criterion_main!(benches);
