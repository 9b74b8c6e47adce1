//! Following a target's module tree from its root file, as rustc does: `mod x;` is `x.rs` or
//! `x/mod.rs` (in the directory of a `mod.rs`-like file, or in `foo/` for a file `foo.rs`),
//! `#[path = ".."]` is relative to the declaring file's directory (or to the inline module's
//! directory inside an inline module), and a file loaded with `#[path]` owns its directory
//! like a `mod.rs`. Files that cannot be read or parsed end the walk along that branch (they
//! are still analyzed, and reported). Nothing under `skip` (the target directory) is read.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::read_source;
use crate::frontend::model::FileError;

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
pub fn module_files(root: &Path, skip: &[PathBuf], seen: &mut HashSet<PathBuf>) -> Vec<ModuleFile> {
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
        if let Ok(source) = &text {
            // Too deep for syn: the analyzer reports it; its module declarations are lost.
            let parsed = crate::nesting::check(source)
                .ok()
                .and_then(|()| syn::parse_file(source).ok());
            if let Some(file) = parsed {
                let file_dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
                let parent = Parent {
                    file_dir: &file_dir,
                    module: &module,
                    test_only,
                };
                collect(&file.items, &parent, &mod_dir, false, &mut children);
            }
        }
        out.push(ModuleFile {
            path,
            text,
            module,
            test_only,
        });
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

fn collect(
    items: &[syn::Item],
    parent: &Parent<'_>,
    mod_dir: &Path,
    inline: bool,
    out: &mut Vec<Child>,
) {
    for item in items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        let name = module.ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name);
        let path_attr = path_attribute(&module.attrs);
        let mut module_path = parent.module.to_vec();
        module_path.push(name.to_owned());
        let test_only = parent.test_only || is_cfg_test(&module.attrs);
        match &module.content {
            Some((_, items)) => {
                let dir = mod_dir.join(path_attr.as_deref().unwrap_or(name));
                let inner = Parent {
                    file_dir: parent.file_dir,
                    module: &module_path,
                    test_only,
                };
                collect(items, &inner, &dir, true, out);
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
        let found: Vec<String> = module_files(&dir.join("src/lib.rs"), &[], &mut HashSet::new())
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
}
