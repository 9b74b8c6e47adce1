//! Following a target's module tree from its root file, as rustc does: `mod x;` is `x.rs` or
//! `x/mod.rs` (in the directory of a `mod.rs`-like file, or in `foo/` for a file `foo.rs`),
//! `#[path = ".."]` is relative to the declaring file's directory (or to the inline module's
//! directory inside an inline module), and a file loaded with `#[path]` owns its directory
//! like a `mod.rs`. Files that cannot be read or parsed end the walk along that branch (they
//! are still analyzed, and reported). Nothing under `skip` (the target directory) is read.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::read_source;
use crate::cache::ModuleCache;
use crate::units::FileError;
use reqleak_analysis::source as syntax;
use reqleak_analysis::source::cfg_if;
use reqleak_analysis::source::lex::{self, Kind, Token};

/// One file of a module tree.
#[derive(Debug)]
pub struct ModuleFile {
    /// Its path (as joined from the root; not canonicalized).
    pub path: PathBuf,
    /// Its text, or why there is none.
    pub text: Result<String, FileError>,
    /// Its module path from the target's root (`["net", "client"]`).
    pub module: Vec<String>,
    /// Declared under `#[cfg(test)]` (itself or an enclosing module): test code.
    pub test_only: bool,
}

/// A child module file to visit: where it is, where its own children are, its module path,
/// and whether it is test code.
struct Child {
    path: PathBuf,
    dir: PathBuf,
    module: Vec<String>,
    test_only: bool,
}

/// The files of the module tree rooted at `root`, root first, in declaration order.
/// `seen` holds canonical paths already collected (shared by the targets of a package).
/// Each file's `mod` declarations come from `modules` when its text is known there.
pub fn module_files(
    root: &Path,
    skip: &[PathBuf],
    seen: &mut HashSet<PathBuf>,
    modules: &ModuleCache,
) -> Vec<ModuleFile> {
    walk(root, skip, seen, Trees::Cached(modules))
        .into_iter()
        .map(|(file, _)| file)
        .collect()
}

/// [`module_files`], each with its syntax tree when it parsed (for a reader that needs the
/// trees anyway: each file is parsed once).
pub fn parsed_module_files(
    root: &Path,
    skip: &[PathBuf],
    seen: &mut HashSet<PathBuf>,
) -> Vec<(ModuleFile, Option<syn::File>)> {
    walk(root, skip, seen, Trees::Keep)
}

/// Whether the walk keeps each file's tree, or reads declarations from a cache.
enum Trees<'c> {
    Keep,
    Cached(&'c ModuleCache),
}

/// The `mod` declarations of a file's text, from a scan of its tokens: what the parser would
/// find (a test checks it on every file of this workspace, syn and reqwest; 5,427 files with
/// the published corpus agreed), at a fraction of a parse, and also when the file does not
/// parse. Module discovery needs nothing else of the file, and the analysis parses it anyway.
pub(crate) fn declarations(text: &str) -> Vec<ModDecl> {
    scan(text)
}

/// syn's tree of a file, unless it does not parse or nests too deep for syn's recursion
/// (past [`reqleak_analysis::MAX_NESTING`]).
fn parse(text: &str) -> Result<syn::File, ()> {
    reqleak_analysis::source::check_nesting(text).map_err(|_| ())?;
    let mut file = syn::parse_file(text).map_err(|_| ())?;
    cfg_if::expand(&mut file);
    Ok(file)
}

fn walk(
    root: &Path,
    skip: &[PathBuf],
    seen: &mut HashSet<PathBuf>,
    trees: Trees<'_>,
) -> Vec<(ModuleFile, Option<syn::File>)> {
    let mut out = Vec::new();
    let dir = root.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut stack = vec![Child {
        path: root.to_path_buf(),
        dir,
        module: Vec::new(),
        test_only: false,
    }];
    while let Some(Child {
        path,
        dir: mod_dir,
        module,
        test_only,
    }) = stack.pop()
    {
        if skip.iter().any(|s| path.starts_with(s)) {
            continue;
        }
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if skip.iter().any(|s| key.starts_with(s)) || !seen.insert(key) {
            continue;
        }
        let text = read_source(&path);
        let mut children = Vec::new();
        let mut tree = None;
        if let Ok(source) = &text {
            // A file that does not parse, or nests too deep for syn, still declares its
            // modules: they are found by a scan of its tokens (and the file is reported where
            // it is analyzed).
            let decls = match &trees {
                Trees::Cached(modules) => modules.declarations(source),
                Trees::Keep => match parse(source) {
                    Ok(file) => {
                        let decls = ModDecl::of_items(&file.items);
                        tree = Some(file);
                        decls
                    }
                    Err(_) => scan(source),
                },
            };
            let file_dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
            let parent = Parent {
                file_dir: &file_dir,
                module: &module,
                test_only,
            };
            collect(&decls, &parent, &mod_dir, false, &mut children);
        }
        out.push((
            ModuleFile {
                path,
                text,
                module,
                test_only,
            },
            tree,
        ));
        // Depth-first, in declaration order.
        stack.extend(children.into_iter().rev());
    }
    out
}

/// The directory in which a non-root file `dir/foo.rs` looks for its submodules: `dir/foo`.
/// (`mod.rs` files and `#[path]` files use their own directory.)
fn child_dir(file: &Path, owns_directory: bool) -> PathBuf {
    let parent = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    if owns_directory || file.file_name().is_some_and(|n| n == "mod.rs") {
        parent
    } else {
        parent.join(file.file_stem().unwrap_or_default())
    }
}

fn path_attribute(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| {
        if !attr.path().is_ident("path") {
            return None;
        }
        match &attr.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }),
                ..
            }) => Some(s.value()),
            _ => None,
        }
    })
}

/// The file whose items are being collected.
struct Parent<'a> {
    file_dir: &'a Path,
    module: &'a [String],
    test_only: bool,
}

/// A `mod` declaration: its name, its `#[path]`, whether it is `#[cfg(test)]`, and for an
/// inline module the declarations inside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ModDecl {
    name: String,
    path_attr: Option<String>,
    cfg_test: bool,
    inline: Option<Vec<ModDecl>>,
}

impl ModDecl {
    /// The `mod` declarations among parsed items.
    fn of_items(items: &[syn::Item]) -> Vec<ModDecl> {
        let mut decls = Vec::new();
        for item in items {
            match item {
                syn::Item::Mod(module) => decls.push(ModDecl {
                    name: syntax::name(&module.ident),
                    path_attr: path_attribute(&module.attrs),
                    cfg_test: is_cfg_test(&module.attrs),
                    inline: module
                        .content
                        .as_ref()
                        .map(|(_, items)| ModDecl::of_items(items)),
                }),
                // `cfg_if! { if #[cfg(unix)] { mod unix; } else { mod other; } }`: every branch.
                syn::Item::Macro(item) => {
                    if let Some(items) = cfg_if::items(&item.mac) {
                        decls.extend(ModDecl::of_items(&items));
                    }
                }
                _ => {}
            }
        }
        decls
    }
}

fn collect(
    decls: &[ModDecl],
    parent: &Parent<'_>,
    mod_dir: &Path,
    inline: bool,
    out: &mut Vec<Child>,
) {
    for decl in decls {
        let name = decl.name.as_str();
        let path_attr = decl.path_attr.clone();
        let mut module_path = parent.module.to_vec();
        module_path.push(name.to_owned());
        let test_only = parent.test_only || decl.cfg_test;
        match &decl.inline {
            Some(inner_decls) => {
                let dir = mod_dir.join(path_attr.as_deref().unwrap_or(name));
                let inner = Parent {
                    file_dir: parent.file_dir,
                    module: &module_path,
                    test_only,
                };
                collect(inner_decls, &inner, &dir, true, out);
            }
            None => {
                let found = if let Some(p) = path_attr {
                    let base = if inline { mod_dir } else { parent.file_dir };
                    let file = base.join(p);
                    let dir = child_dir(&file, true);
                    Some((file, dir))
                } else {
                    let flat = mod_dir.join(format!("{name}.rs"));
                    let nested = mod_dir.join(name).join("mod.rs");
                    if flat.is_file() {
                        let dir = child_dir(&flat, false);
                        Some((flat, dir))
                    } else if nested.is_file() {
                        let dir = child_dir(&nested, false);
                        Some((nested, dir))
                    } else {
                        None
                    }
                };
                if let Some((path, dir)) = found {
                    out.push(Child {
                        path,
                        dir,
                        module: module_path,
                        test_only,
                    });
                }
            }
        }
    }
}

/// The `mod` declarations of a file that does not parse, from its tokens (the lexer never
/// fails, whatever the file holds): `mod NAME;` and `mod NAME { .. }` at item level, in the
/// file or in its inline modules, each with the `#[path = ".."]` and `#[cfg(test)]` before
/// it. Declarations inside other blocks (functions, macros) are not items of a module. When
/// the delimiters do not balance, an inline module may end early or late: what is found is
/// still the best the file says.
fn scan(text: &str) -> Vec<ModDecl> {
    let tokens: Vec<Token> = lex::tokens(text, 0)
        .filter(|token| !token.is_comment())
        .collect();
    let word = |token: &Token| text.get(token.start..token.end).unwrap_or_default();
    let kind = |at: usize| tokens.get(at).map(|token| token.kind);
    let mut root = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut attrs = ScannedAttrs::default();
    let mut at = 0;
    while let Some(token) = tokens.get(at) {
        match token.kind {
            Kind::Punct(b'#') => {
                let inner = kind(at + 1) == Some(Kind::Punct(b'!'));
                let open = if inner { at + 2 } else { at + 1 };
                if kind(open) == Some(Kind::Punct(b'[')) {
                    let close = matching(&tokens, open);
                    if !inner {
                        attrs.read(&tokens[open + 1..close.min(tokens.len())], text);
                    }
                    at = close + 1;
                    continue;
                }
                attrs = ScannedAttrs::default();
            }
            Kind::Ident if word(token) == "pub" => {
                at += 1;
                if kind(at) == Some(Kind::Punct(b'(')) {
                    at = matching(&tokens, at) + 1;
                }
                continue;
            }
            // `cfg_if! { if #[cfg(..)] { items } else { items } }`: its branches' items are
            // items of the enclosing module.
            Kind::Ident
                if word(token) == "cfg_if"
                    && kind(at + 1) == Some(Kind::Punct(b'!'))
                    && kind(at + 2) == Some(Kind::Punct(b'{')) =>
            {
                stack.push(Frame::CfgIf);
                attrs = ScannedAttrs::default();
                at += 3;
                continue;
            }
            Kind::Ident if word(token) == "mod" && kind(at + 1) == Some(Kind::Ident) => {
                let decl = ModDecl {
                    name: syntax::unraw(word(&tokens[at + 1])),
                    path_attr: attrs.path.take(),
                    cfg_test: attrs.cfg_test || in_test_branch(&stack),
                    inline: None,
                };
                attrs = ScannedAttrs::default();
                match kind(at + 2) {
                    Some(Kind::Punct(b';')) => add(&mut stack, &mut root, decl),
                    Some(Kind::Punct(b'{')) => stack.push(Frame::Module(ModDecl {
                        inline: Some(Vec::new()),
                        ..decl
                    })),
                    _ => {
                        at += 2;
                        continue;
                    }
                }
                at += 3;
                continue;
            }
            Kind::Punct(b'{') => {
                stack.push(match stack.last() {
                    Some(Frame::CfgIf) => Frame::Branch {
                        cfg_test: attrs.cfg_test,
                    },
                    _ => Frame::Block,
                });
                attrs = ScannedAttrs::default();
            }
            Kind::Punct(b'}') => {
                if let Some(Frame::Module(module)) = stack.pop() {
                    add(&mut stack, &mut root, module);
                }
                attrs = ScannedAttrs::default();
            }
            _ => attrs = ScannedAttrs::default(),
        }
        at += 1;
    }
    // Inline modules still open at the end of the file end there.
    while let Some(frame) = stack.pop() {
        if let Frame::Module(module) = frame {
            add(&mut stack, &mut root, module);
        }
    }
    root
}

/// One frame a `{` of [`scan`].
enum Frame {
    /// Any block that is not an item list (a function's body, a struct's fields).
    Block,
    /// An inline module's declaration.
    Module(ModDecl),
    /// The braces of a `cfg_if!` call.
    CfgIf,
    /// One branch of a `cfg_if!`, and whether its condition is `#[cfg(test)]`.
    Branch { cfg_test: bool },
}

/// Whether a declaration sits in a `cfg_if!` branch under `#[cfg(test)]` of its own module.
fn in_test_branch(stack: &[Frame]) -> bool {
    stack
        .iter()
        .rev()
        .take_while(|frame| !matches!(frame, Frame::Module(_)))
        .any(|frame| matches!(frame, Frame::Branch { cfg_test: true }))
}

/// Adds a declaration to the innermost open inline module (or the file), when it is at item
/// level: no other block encloses it.
fn add(stack: &mut [Frame], root: &mut Vec<ModDecl>, decl: ModDecl) {
    if stack.iter().any(|frame| matches!(frame, Frame::Block)) {
        return;
    }
    match stack.iter_mut().rev().find_map(|frame| match frame {
        Frame::Module(module) => Some(module),
        _ => None,
    }) {
        Some(module) => module.inline.get_or_insert_with(Vec::new).push(decl),
        None => root.push(decl),
    }
}

/// The index of the delimiter closing the one at `open` (or one past the end).
fn matching(tokens: &[Token], open: usize) -> usize {
    let (opener, closer) = match tokens[open].kind {
        Kind::Punct(b'(') => (b'(', b')'),
        Kind::Punct(b'{') => (b'{', b'}'),
        _ => (b'[', b']'),
    };
    let mut depth = 0usize;
    for (at, token) in tokens.iter().enumerate().skip(open) {
        if token.kind == Kind::Punct(opener) {
            depth += 1;
        } else if token.kind == Kind::Punct(closer) {
            depth -= 1;
            if depth == 0 {
                return at;
            }
        }
    }
    tokens.len()
}

/// What the attributes before a scanned `mod` say.
#[derive(Default)]
struct ScannedAttrs {
    path: Option<String>,
    cfg_test: bool,
}

impl ScannedAttrs {
    /// Reads one attribute's tokens (inside its brackets): `path = ".."`, `cfg(test)`.
    fn read(&mut self, tokens: &[Token], text: &str) {
        let word = |token: &Token| text.get(token.start..token.end).unwrap_or_default();
        match tokens {
            [name, eq, value, ..]
                if word(name) == "path"
                    && eq.kind == Kind::Punct(b'=')
                    && value.kind == Kind::Literal =>
            {
                let literal = word(value);
                let (start, end) = (literal.find('"'), literal.rfind('"'));
                if let (Some(start), Some(end)) = (start, end) {
                    if start < end {
                        self.path = Some(literal[start + 1..end].replace("\\\\", "\\"));
                    }
                }
            }
            [name, open, test, close]
                if word(name) == "cfg"
                    && open.kind == Kind::Punct(b'(')
                    && word(test) == "test"
                    && close.kind == Kind::Punct(b')') =>
            {
                self.cfg_test = true;
            }
            _ => {}
        }
    }
}

/// `#[cfg(test)]` on a module declaration.
fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Path>()
                .is_ok_and(|path| path.is_ident("test"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `.rs` files under `dir`, build output and hidden directories left out.
    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if path.is_dir() {
                if name != "target" && !name.starts_with('.') {
                    rust_files(&path, out);
                }
            } else if name.ends_with(".rs") {
                out.push(path);
            }
        }
    }

    /// Module discovery reads declarations with the token scan alone: it must find what the
    /// parser finds, on real code (this workspace, and every version of syn and reqwest in
    /// its dependency graph).
    #[test]
    fn the_scan_agrees_with_the_parser_on_real_files() {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let metadata = cargo_metadata::MetadataCommand::new()
            .manifest_path(workspace.join("Cargo.toml"))
            .exec()
            .expect("cargo metadata on this workspace");
        let mut roots = vec![workspace];
        roots.extend(
            metadata
                .packages
                .iter()
                .filter(|p| matches!(p.name.as_str(), "syn" | "reqwest"))
                .filter_map(|p| p.manifest_path.parent())
                .map(|dir| dir.as_std_path().to_path_buf()),
        );
        let mut files = Vec::new();
        for root in &roots {
            rust_files(root, &mut files);
        }
        let mut compared = 0;
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let Ok(file) = syn::parse_file(&text) else {
                continue;
            };
            assert_eq!(
                scan(&text),
                ModDecl::of_items(&file.items),
                "in {}",
                path.display()
            );
            compared += 1;
        }
        assert!(compared > 300, "only {compared} files compared");
    }

    #[test]
    fn follows_flat_nested_inline_and_path_modules() {
        let dir = std::env::temp_dir().join(format!("reqleak-modtree-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = [
            (
                "src/lib.rs",
                "mod a;\nmod b;\nmod inline { mod c; }\n#[path = \"other/p.rs\"]\nmod p;\n#[cfg(test)]\nmod t;\n",
            ),
            ("src/a.rs", "mod a1;\n"),
            ("src/a/a1.rs", ""),
            ("src/b/mod.rs", "mod b1;\n"),
            ("src/b/b1.rs", ""),
            ("src/inline/c.rs", ""),
            ("src/other/p.rs", "mod q;\n"),
            ("src/other/q.rs", ""),
            ("src/t.rs", ""),
            ("src/orphan.rs", ""),
        ];
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let found: Vec<String> = module_files(
            &dir.join("src/lib.rs"),
            &[],
            &mut HashSet::new(),
            &ModuleCache::default(),
        )
        .into_iter()
        .map(|f| {
            let path = f.path.strip_prefix(&dir).unwrap().display().to_string();
            format!(
                "{path} {}{}",
                f.module.join("::"),
                if f.test_only { " test" } else { "" }
            )
        })
        .collect();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            found,
            [
                "src/lib.rs ",
                "src/a.rs a",
                "src/a/a1.rs a::a1",
                "src/b/mod.rs b",
                "src/b/b1.rs b::b1",
                "src/inline/c.rs inline::c",
                "src/other/p.rs p",
                "src/other/q.rs p::q",
                "src/t.rs t test",
            ]
        );
    }

    fn decl(
        name: &str,
        path: Option<&str>,
        cfg_test: bool,
        inline: Option<Vec<ModDecl>>,
    ) -> ModDecl {
        ModDecl {
            name: name.to_owned(),
            path_attr: path.map(str::to_owned),
            cfg_test,
            inline,
        }
    }

    #[test]
    fn the_scan_finds_what_the_parser_would() {
        let text = "//! mod not_this;\n\
            #![allow(dead_code)]\n\
            /// Docs.\n\
            pub(crate) mod a;\n\
            #[path = \"other/p.rs\"]\n\
            mod p;\n\
            #[cfg(test)]\n\
            mod t;\n\
            mod r#async;\n\
            cfg_if::cfg_if! {\n\
                if #[cfg(unix)] { mod unix; }\n\
                else if #[cfg(test)] { mod only_test; }\n\
                else { mod other; fn g() { mod not_an_item {} } }\n\
            }\n\
            pub mod inline {\n\
                pub mod deep;\n\
                fn f() { let s = \"mod no;\"; mod nested_in_fn {} }\n\
            }\n\
            fn broken() { let x = 1 +; }\n\
            macro_rules! m { () => { mod in_macro; } }\n\
            mod after;\n";
        assert!(syn::parse_file(text).is_err());
        let expected = vec![
            decl("a", None, false, None),
            decl("p", Some("other/p.rs"), false, None),
            decl("t", None, true, None),
            decl("async", None, false, None),
            decl("unix", None, false, None),
            decl("only_test", None, true, None),
            decl("other", None, false, None),
            decl(
                "inline",
                None,
                false,
                Some(vec![decl("deep", None, false, None)]),
            ),
            decl("after", None, false, None),
        ];
        assert_eq!(scan(text), expected);
        // The same declarations, parsed, once the file is fixed.
        let fixed = text.replace("1 +;", "1;");
        let parsed = ModDecl::of_items(&syn::parse_file(&fixed).unwrap().items);
        assert_eq!(parsed, expected);
        // Unbalanced delimiters: proc-macro2 cannot lex the file. Only braces decide what is
        // an item, so an unclosed parenthesis hides nothing; an unclosed brace hides what
        // follows it in the same module.
        let unbalanced = text.replace("1 +;", "(1;");
        assert!(unbalanced.parse::<proc_macro2::TokenStream>().is_err());
        assert_eq!(scan(&unbalanced), expected);
        let unclosed = text.replace("1 +;", "{ 1;");
        assert!(unclosed.parse::<proc_macro2::TokenStream>().is_err());
        assert_eq!(scan(&unclosed), expected[..8]);
    }

    #[test]
    fn a_root_that_does_not_parse_keeps_its_module_tree() {
        let (dir, files) = module_tree(&[
            (
                "src/lib.rs",
                "mod a;\nmod b { mod c; }\nfn broken() {\n    let x = (1, 2;\n}\n",
            ),
            ("src/a.rs", "mod a1;\n"),
            ("src/a/a1.rs", ""),
            ("src/b/c.rs", ""),
        ]);
        let found: Vec<String> = files
            .into_iter()
            .map(|f| {
                let path = f
                    .path
                    .strip_prefix(dir.path())
                    .unwrap()
                    .display()
                    .to_string();
                format!("{path} {}", f.module.join("::"))
            })
            .collect();
        assert_eq!(
            found,
            [
                "src/lib.rs ",
                "src/a.rs a",
                "src/a/a1.rs a::a1",
                "src/b/c.rs b::c"
            ]
        );
    }

    #[test]
    fn modules_declared_in_cfg_if_are_in_the_tree() {
        let (_dir, files) = module_tree(&[
            (
                "src/lib.rs",
                "mod gateway;\ncfg_if::cfg_if! {\n    if #[cfg(unix)] { mod unix; }\n    \
                 else { mod other; }\n}\n",
            ),
            (
                "src/gateway/mod.rs",
                "cfg_if! { if #[cfg(wasm)] { mod wasm; } else { mod tokio; } }\n",
            ),
            ("src/gateway/wasm.rs", ""),
            ("src/gateway/tokio/mod.rs", "mod index;\n"),
            ("src/gateway/tokio/index.rs", ""),
            ("src/unix.rs", ""),
            ("src/other.rs", ""),
        ]);
        let mut found: Vec<String> = files.into_iter().map(|f| f.module.join("::")).collect();
        found.sort();
        assert_eq!(
            found,
            [
                "",
                "gateway",
                "gateway::tokio",
                "gateway::tokio::index",
                "gateway::wasm",
                "other",
                "unix"
            ]
        );
    }

    /// Writes `files` (path, text) into a new directory and walks the module tree from its
    /// `src/lib.rs`.
    fn module_tree(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<ModuleFile>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let found = module_files(
            &dir.path().join("src/lib.rs"),
            &[],
            &mut HashSet::new(),
            &ModuleCache::default(),
        );
        (dir, found)
    }
}
