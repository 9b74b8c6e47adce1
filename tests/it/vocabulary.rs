//! The request vocabulary is reqwest's whole public API: every public method and associated
//! function of `Client`, `ClientBuilder`, `RequestBuilder` and `Response` (async, blocking and
//! wasm) is classified by one of the analyzer's lists. Checked against reqwest's own source,
//! for every reqwest version in the workspace's `Cargo.lock` (found with `cargo metadata`, as
//! `no_panic.rs` finds it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cargo_metadata::MetadataCommand;
use syn::visit::Visit;

/// The reqwest versions (major.minor) the lock file must have. The spec covers 0.12 and 0.13;
/// 0.12 joins this list when the workspace depends on it (the runtime's tests bring it), and
/// every version the lock has is checked whether listed or not. (Checked by hand against
/// reqwest 0.12.28's source: every method is classified.)
const EXPECTED_VERSIONS: &[&str] = &["0.12", "0.13"];

/// The types whose methods the vocabulary classifies.
const TYPES: &[&str] = &["Client", "ClientBuilder", "RequestBuilder", "Response"];

/// reqwest's packages in the workspace's dependency graph: (version, source directory).
fn reqwest_sources() -> Vec<(String, PathBuf)> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let metadata = MetadataCommand::new()
        .manifest_path(&manifest)
        .exec()
        .unwrap_or_else(|e| panic!("cargo metadata on {}: {e}", manifest.display()));
    let mut found: Vec<(String, PathBuf)> = metadata
        .packages
        .iter()
        .filter(|p| p.name.as_str() == "reqwest")
        .map(|p| {
            let dir = p.manifest_path.parent().expect("a package directory");
            (p.version.to_string(), dir.join("src").into())
        })
        .collect();
    found.sort();
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The public methods of inherent impls of [`TYPES`] in one file: type → methods.
#[derive(Default)]
struct Methods {
    found: BTreeMap<String, BTreeSet<String>>,
}

impl<'ast> Visit<'ast> for Methods {
    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let syn::Type::Path(path) = &*item.self_ty else {
            return;
        };
        let Some(last) = path.path.segments.last() else {
            return;
        };
        let ty = last.ident.to_string();
        if item.trait_.is_some() || !TYPES.contains(&ty.as_str()) {
            return;
        }
        for member in &item.items {
            if let syn::ImplItem::Fn(function) = member {
                if matches!(function.vis, syn::Visibility::Public(_)) {
                    self.found
                        .entry(ty.clone())
                        .or_default()
                        .insert(function.sig.ident.to_string());
                }
            }
        }
    }
}

/// Every public method of [`TYPES`] under `src`: type → method → files that define it.
fn public_methods(src: &Path) -> BTreeMap<(String, String), Vec<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut all: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let tree = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut methods = Methods::default();
        methods.visit_file(&tree);
        let shown = file.strip_prefix(src).unwrap().display().to_string();
        for (ty, names) in methods.found {
            for name in names {
                all.entry((ty.clone(), name))
                    .or_default()
                    .push(shown.clone());
            }
        }
    }
    all
}

#[test]
fn every_public_method_of_reqwest_is_classified() {
    let sources = reqwest_sources();
    let versions: Vec<&str> = sources.iter().map(|(v, _)| v.as_str()).collect();
    for expected in EXPECTED_VERSIONS {
        assert!(
            versions
                .iter()
                .any(|v| v.starts_with(&format!("{expected}."))),
            "reqwest {expected} is not in the workspace's Cargo.lock (it has {versions:?}): \
             the vocabulary must be checked against every version the spec covers"
        );
    }
    let lists = reqleak_analysis::vocabulary();
    let mut unclassified = Vec::new();
    let mut counted = 0;
    for (version, src) in &sources {
        let methods = public_methods(src);
        assert!(
            methods.len() > 100,
            "reqwest {version}: only {} public methods found under {}",
            methods.len(),
            src.display()
        );
        for ((ty, method), files) in methods {
            counted += 1;
            let classified = lists
                .iter()
                .any(|(list_ty, _, names)| *list_ty == ty && names.contains(&method.as_str()));
            if !classified {
                unclassified.push(format!(
                    "reqwest {version}: {ty}::{method} ({})",
                    files.join(", ")
                ));
            }
        }
    }
    assert!(
        unclassified.is_empty(),
        "{} of {counted} public methods are in no list of the vocabulary (analysis/src/flow/vocabulary.rs):\n{}",
        unclassified.len(),
        unclassified.join("\n")
    );
}
