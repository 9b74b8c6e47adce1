//! The analyzer parses and analyzes every file rustc accepts: every `.rs` file of this
//! workspace's packages, of the `syn` and `reqwest` packages this workspace depends on, and of
//! the published crates of `corpus/` when their sources are in the local registry (see
//! `corpus/README.md`; skipped with a note otherwise). Each package is analyzed as one crate,
//! its files placed as cargo lays them out, test code included.
//!
//! Every result must be `Ok`: a parse error here is a file rustc accepts and the analyzer
//! does not (or one it finds nested too deep, see [`reqleak_analysis::MAX_NESTING`]), and an
//! internal error is a panic the analyzer caught. No published file is invalid Rust, so there
//! is no list of exceptions. Every offender is reported, then the test fails once.

use crate::corpus;

use reqleak_analysis::{analyze_crate, Options};

/// Analyzes one package; returns one line per file that is not `Ok`.
fn failures(package: &corpus::Package) -> Vec<String> {
    let files = package.crate_files();
    let results = analyze_crate(
        &files,
        &Options {
            test_code: true,
            ..Options::default()
        },
    );
    assert_eq!(
        results.len(),
        files.len(),
        "{}: one result per file",
        package.label()
    );
    package
        .files
        .iter()
        .zip(&results)
        .filter_map(|(file, result)| {
            let error = result.as_ref().err()?;
            Some(format!(
                "{}: {}:{}:{}: {}",
                package.label(),
                package.root.join(&file.path).display(),
                error.span.start.line,
                error.span.start.column,
                error.message
            ))
        })
        .collect()
}

fn check(packages: &[corpus::Package]) {
    let files: usize = packages.iter().map(|p| p.files.len()).sum();
    let failures: Vec<String> = packages.iter().flat_map(failures).collect();
    assert!(
        failures.is_empty(),
        "{} files of {files} ({} packages) are not analyzed:\n{}",
        failures.len(),
        packages.len(),
        failures.join("\n")
    );
}

#[test]
fn every_file_of_the_workspace_syn_and_reqwest_is_analyzed() {
    let packages = corpus::workspace();
    let files: usize = packages.iter().map(|p| p.files.len()).sum();
    assert!(
        files > 300,
        "only {files} files found: the corpus is incomplete"
    );
    check(&packages);
}

#[test]
fn every_file_of_the_published_crates_is_analyzed() {
    match corpus::published() {
        Ok(packages) => {
            assert!(
                packages.len() >= 20,
                "only {} published crates",
                packages.len()
            );
            check(&packages);
        }
        Err(why) => eprintln!("skipped: {why}"),
    }
}

#[test]
fn the_corpus_holds_the_registry_sources() {
    let packages = corpus::workspace();
    for wanted in corpus::REGISTRY_PACKAGES {
        let found: Vec<&corpus::Package> = packages.iter().filter(|p| p.name == *wanted).collect();
        assert!(!found.is_empty(), "{wanted} not found");
        for package in found {
            assert!(
                package.files.iter().any(|file| file.path == "src/lib.rs"),
                "{} at {} has no src/lib.rs",
                package.label(),
                package.root.display()
            );
        }
    }
}
