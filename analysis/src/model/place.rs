//! Where a file sits in its package: which target (crate) it belongs to, and its module path
//! there. Workspace mode knows it from each target's module tree; path mode infers it from
//! the file's place under its package (`src/a/b.rs` is `crate::a::b` of the library).

use std::path::{Component, Path};

/// The kind of a cargo target, as far as the analysis cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetKind {
    /// The library: its public items are called by code the crate cannot see.
    Lib,
    /// A binary.
    Bin,
    /// An integration test.
    Test,
    /// An example.
    Example,
    /// A benchmark.
    Bench,
    /// The build script.
    BuildScript,
}

/// A file's place in its package.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ModulePlace {
    /// The target's crate name (`my_lib`, `my_bin`); files of different targets resolve
    /// `crate::` apart, and a binary reaches the library by the library's name.
    pub target: String,
    /// What kind of target it is.
    pub kind: TargetKind,
    /// A target cargo builds only with features the package does not enable by default (its
    /// `required-features`): an optional CLI of a library.
    pub optional: bool,
    /// The module path from the target's root (`["net", "client"]`; empty for the root).
    pub module: Vec<String>,
}

impl ModulePlace {
    /// The root module of a target.
    pub fn root(target: impl Into<String>, kind: TargetKind) -> Self {
        ModulePlace {
            target: target.into(),
            kind,
            optional: false,
            module: Vec::new(),
        }
    }

    /// Infers the place of `file` (relative to its package root, the directory of the nearest
    /// `Cargo.toml`) as cargo's conventions lay a package out. `lib_name` is the library's
    /// crate name (the package name with `-` as `_`).
    ///
    /// - `src/lib.rs` is the library root, `src/main.rs` the binary's; other files under
    ///   `src/` are modules of the library (`src/a/b.rs`, `src/a/mod.rs`), or of the binary
    ///   when the package has no library;
    /// - `src/bin/x.rs` and `src/bin/x/main.rs` are binaries, their directories their modules;
    /// - `tests/x.rs`, `examples/x.rs`, `benches/x.rs` are roots of their own targets
    ///   (`x/main.rs` too), and files below them their modules;
    /// - `build.rs` is the build script; anything else is a root of its own.
    pub fn infer(file: &Path, lib_name: &str, has_lib: bool) -> Self {
        let parts: Vec<String> = file
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let stem = |name: &str| name.strip_suffix(".rs").unwrap_or(name).to_owned();
        let main_kind = |dir: &str| match dir {
            "tests" => TargetKind::Test,
            "examples" => TargetKind::Example,
            "benches" => TargetKind::Bench,
            _ => TargetKind::Bin,
        };
        match parts.as_slice() {
            ["build.rs"] => ModulePlace::root("build_script_build", TargetKind::BuildScript),
            ["src", "lib.rs"] => ModulePlace::root(lib_name, TargetKind::Lib),
            ["src", "main.rs"] => ModulePlace::root(lib_name, TargetKind::Bin),
            ["src", "bin", file] => ModulePlace::root(crate_name(&stem(file)), TargetKind::Bin),
            ["src", "bin", dir, rest @ ..] => {
                ModulePlace::nested(&crate_name(dir), TargetKind::Bin, rest)
            }
            ["src", rest @ ..] => {
                let kind = if has_lib {
                    TargetKind::Lib
                } else {
                    TargetKind::Bin
                };
                ModulePlace::nested(lib_name, kind, rest)
            }
            [dir @ ("tests" | "examples" | "benches"), file] => {
                ModulePlace::root(crate_name(&stem(file)), main_kind(dir))
            }
            [dir @ ("tests" | "examples" | "benches"), target, rest @ ..] => {
                ModulePlace::nested(&crate_name(target), main_kind(dir), rest)
            }
            _ => ModulePlace::root(
                crate_name(&stem(parts.last().copied().unwrap_or("main"))),
                TargetKind::Lib,
            ),
        }
    }

    /// A module below a target root: `a/b.rs` and `a/b/mod.rs` are `a::b`; `main.rs` at the
    /// top of a target directory is its root.
    fn nested(target: &str, kind: TargetKind, rest: &[&str]) -> Self {
        let mut module: Vec<String> = rest.iter().map(|part| part.to_string()).collect();
        if let Some(last) = module.pop() {
            match last.as_str() {
                "mod.rs" => {}
                "main.rs" | "lib.rs" if module.is_empty() => {}
                file => module.push(file.strip_suffix(".rs").unwrap_or(file).to_owned()),
            }
        }
        ModulePlace {
            target: crate_name(target),
            kind,
            optional: false,
            module,
        }
    }
}

/// A package or target name as a crate name: `-` becomes `_`.
pub fn crate_name(name: &str) -> String {
    name.replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(path: &str, has_lib: bool) -> (String, TargetKind, String) {
        let p = ModulePlace::infer(Path::new(path), "my_lib", has_lib);
        (p.target, p.kind, p.module.join("::"))
    }

    #[test]
    fn infers_cargo_layouts() {
        use TargetKind::*;
        let lib = |s: &str| ("my_lib".to_owned(), Lib, s.to_owned());
        assert_eq!(place("src/lib.rs", true), lib(""));
        assert_eq!(place("src/a/b.rs", true), lib("a::b"));
        assert_eq!(place("src/a/mod.rs", true), lib("a"));
        assert_eq!(place("src/a.rs", false), ("my_lib".into(), Bin, "a".into()));
        assert_eq!(
            place("src/main.rs", true),
            ("my_lib".into(), Bin, "".into())
        );
        assert_eq!(
            place("src/bin/x-y.rs", true),
            ("x_y".into(), Bin, "".into())
        );
        assert_eq!(
            place("src/bin/t/main.rs", true),
            ("t".into(), Bin, "".into())
        );
        assert_eq!(place("src/bin/t/m.rs", true), ("t".into(), Bin, "m".into()));
        assert_eq!(place("tests/it.rs", true), ("it".into(), Test, "".into()));
        assert_eq!(
            place("tests/common/mod.rs", true),
            ("common".into(), Test, "".into())
        );
        assert_eq!(
            place("examples/e.rs", true),
            ("e".into(), Example, "".into())
        );
        assert_eq!(place("build.rs", true).1, BuildScript);
        assert_eq!(place("other/x.rs", true), ("x".into(), Lib, "".into()));
    }
}
