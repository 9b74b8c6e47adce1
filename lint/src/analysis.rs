//! The driver: parse, index the crate, analyze each file, never panic.

use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::OnceLock;

use rayon::prelude::*;
use syn::visit::Visit;

use crate::diagnostic::{Diagnostic, ParseError, Position, Span};
use crate::flow::FileContext;
use crate::model::index::CrateIndex;
use crate::model::names::{wrapped_in, Names, ReqwestItem};
use crate::model::source_map::SourceMap;
use crate::model::test_code;
use crate::{CrateFile, Options};

/// Stack size of the analyzer's threads: syn and the flow walk recurse once per nesting level,
/// and valid code can nest thousands of levels deep (long builder chains, generated code).
const ANALYZER_STACK: usize = 256 << 20;

/// The analyzer's own thread pool, with stacks deep enough for any real file. Stack memory
/// is only reserved, not committed, so the size costs nothing on files of ordinary depth.
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|at| format!("reqleak-analyzer-{at}"))
            .stack_size(ANALYZER_STACK)
            .build()
            .ok()
    })
    .as_ref()
}

/// Analyzes the files of one crate together; see [`crate::analyze_crate`].
pub fn analyze_crate(
    files: &[CrateFile<'_>],
    options: &Options,
) -> Vec<Result<Vec<Diagnostic>, ParseError>> {
    let sources: Vec<&str> = files.iter().map(|file| file.text).collect();
    match pool() {
        Some(pool) => pool.install(|| analyze_in_pool(&sources, options)),
        None => analyze_in_pool(&sources, options),
    }
}

fn analyze_in_pool(
    sources: &[&str],
    options: &Options,
) -> Vec<Result<Vec<Diagnostic>, ParseError>> {
    let index = sources
        .par_iter()
        .map(|source| guarded(|| index_file(source, options)).unwrap_or_default())
        .reduce(CrateIndex::default, |mut all, one| {
            all.merge(one);
            all
        });
    sources
        .par_iter()
        .map(|source| {
            guarded(|| analyze_file(source, &index, options)).unwrap_or_else(|| {
                Err(ParseError {
                    message: "internal error: reqleak's analyzer panicked on this file; \
                              please report it with the file attached"
                        .to_owned(),
                    span: file_start(),
                })
            })
        })
        .collect()
}

/// Runs `work` on this thread, turning a panic into `None`, and frees the thread's span
/// table afterwards (proc-macro2 keeps every parsed file's text until told otherwise).
fn guarded<T>(work: impl FnOnce() -> T) -> Option<T> {
    let result = panic::catch_unwind(AssertUnwindSafe(work)).ok();
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

fn file_start() -> Span {
    let start = Position {
        line: 1,
        column: 1,
        byte: 0,
    };
    Span { start, end: start }
}

fn index_file(source: &str, options: &Options) -> CrateIndex {
    let mut index = CrateIndex::default();
    // Only files that mention a reqwest type can declare a function returning one.
    if !(source.contains("Response")
        || source.contains("RequestBuilder")
        || source.contains("Client"))
    {
        return index;
    }
    if let Ok(mut file) = syn::parse_file(source) {
        if !options.test_code {
            test_code::strip(&mut file);
        }
        let names = Names::collect(&file, source);
        index.add_file(&file, &names);
    }
    index
}

fn analyze_file(
    source: &str,
    index: &CrateIndex,
    options: &Options,
) -> Result<Vec<Diagnostic>, ParseError> {
    let map = SourceMap::new(source);
    let mut file = syn::parse_file(source).map_err(|error| {
        let location = error.span().start();
        let span = if location.line == 0 {
            file_start()
        } else {
            map.span(error.span())
        };
        ParseError {
            message: error.to_string(),
            span,
        }
    })?;
    if !options.test_code {
        test_code::strip(&mut file);
    }
    let names = Names::collect(&file, source);
    let cx = FileContext {
        names: &names,
        index,
        map: &map,
        client_fields: client_fields(&file, &names),
    };
    let mut diagnostics = Vec::new();
    crate::lints::check_file(&cx, &file, &mut diagnostics);
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.lint.name, &a.message).cmp(&(b.span.start, b.lint.name, &b.message))
    });
    diagnostics.dedup_by(|a, b| a.span == b.span && a.lint == b.lint);
    Ok(diagnostics)
}

/// Names of fields declared with a `Client` type (also behind `Arc`, `&`), so that
/// `self.http.execute(req)` is known to be a request.
fn client_fields(file: &syn::File, names: &Names) -> HashSet<String> {
    struct Fields<'n> {
        names: &'n Names,
        found: HashSet<String>,
    }
    impl<'ast> Visit<'ast> for Fields<'_> {
        fn visit_field(&mut self, field: &'ast syn::Field) {
            if let Some(ident) = &field.ident {
                if is_client_type(self.names, &field.ty) {
                    self.found.insert(ident.to_string());
                }
            }
        }
    }
    let mut fields = Fields {
        names,
        found: HashSet::new(),
    };
    fields.visit_file(file);
    fields.found
}

fn is_client_type(names: &Names, ty: &syn::Type) -> bool {
    names.type_item(ty) == Some(ReqwestItem::Client)
        || wrapped_in(ty, &["Arc", "Rc", "Box"], |inner| {
            is_client_type(names, inner)
        })
}
