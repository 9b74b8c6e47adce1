//! Whether a function is part of its crate's public API: declared `pub` in a module that the
//! crate root reaches through `pub mod` declarations, or re-exported by a `pub use`. A `pub fn`
//! inside a private module (`mod inner { pub fn f() }`) is callable only by the crate itself
//! unless something re-exports it.
//!
//! Re-exports are matched by name and leniently (any `pub use` naming the function, its type or
//! a module on its path, or a glob of such a module): when the analysis cannot tell, the
//! function counts as public.

use super::{CrateMap, FnId, Owner};
use crate::model::place::TargetKind;
use rustc_hash::FxHashSet as HashSet;

impl CrateMap {
    /// Whether the `pub` function `id` can be called from outside its crate: every module on
    /// its path is declared `pub` (or its declaration is not seen), or a `pub use` of a public
    /// module re-exports it, its type, one of its modules, or a module it is in (a glob). An
    /// inherent method is also public API when its type is in reach of the crate's users,
    /// wherever its `impl` block is: the type is public API itself, or the type of a `pub`
    /// field of one, or what a public function returns.
    pub fn is_public_api(&self, id: FnId) -> bool {
        self.public_with(id, &self.public_types)
    }

    /// [`CrateMap::is_public_api`], with `public_types` the types known to be in reach.
    fn public_with(&self, id: FnId, public_types: &HashSet<String>) -> bool {
        self.exported_where_declared(id)
            || self.fns[id]
                .outline
                .inherent_type()
                .is_some_and(|ty| public_types.contains(ty))
    }

    /// Whether function `id` is exported where it is declared: by its module's path, or by
    /// a `pub use` naming it, its type or a module on its path.
    fn exported_where_declared(&self, id: FnId) -> bool {
        let def = &self.fns[id];
        let self_ty = match &def.outline.owner {
            Owner::Impl { self_ty, .. } => Some(self_ty.as_str()),
            Owner::Trait { trait_name } => Some(trait_name.as_str()),
            Owner::Free => None,
        };
        let names = [Some(def.outline.name.as_str()), self_ty];
        self.exported(def.target, &def.outline.module, &names)
    }

    /// The crate's types in reach of its users (see [`CrateMap::public_types`]): those declared
    /// `pub` in a module the root reaches or re-exports, then, until nothing is added, the
    /// types of their `pub` fields and what their public functions return.
    pub(super) fn reachable_types(&self) -> HashSet<String> {
        let mut public: HashSet<String> = self
            .type_modules
            .iter()
            .filter(|(ty, modules)| {
                modules
                    .iter()
                    .any(|(target, module)| self.exported(*target, module, &[Some(ty.as_str())]))
            })
            .map(|(ty, _)| ty.clone())
            .collect();
        // The library's `pub` functions that return one of its types, and whether each is
        // exported where it is declared (read once: the rounds below only grow the types).
        let returning: Vec<(FnId, &String, bool)> = (0..self.fns.len())
            .filter_map(|id| {
                let def = &self.fns[id];
                let outline = &def.outline;
                let returned = outline.returned_type.as_ref()?;
                let candidate = outline.is_pub
                    && outline.parent.is_none()
                    && self.targets[def.target].kind == TargetKind::Lib
                    && self.type_modules.contains_key(returned);
                candidate.then(|| (id, returned, self.exported_where_declared(id)))
            })
            .collect();
        loop {
            let declared = |ty: &String| self.type_modules.contains_key(ty) && !public.contains(ty);
            let mut more: Vec<String> = self
                .pub_field_types
                .iter()
                .filter(|(owner, ty)| public.contains(owner) && declared(ty))
                .map(|(_, ty)| ty.clone())
                .collect();
            more.extend(
                returning
                    .iter()
                    .filter(|(id, returned, exported)| {
                        declared(returned)
                            && (*exported
                                || self.fns[*id]
                                    .outline
                                    .inherent_type()
                                    .is_some_and(|ty| public.contains(ty)))
                    })
                    .map(|(_, returned, _)| (*returned).clone()),
            );
            if more.is_empty() {
                return public;
            }
            public.extend(more);
        }
    }

    /// Whether an item of `module` named one of `names` is reachable from outside the crate:
    /// `module` is, or a `pub use` of a public module names the item or a module on its path.
    fn exported(&self, target: usize, module: &[String], names: &[Option<&str>]) -> bool {
        if self.reachable(target, module) {
            return true;
        }
        // Through chains of `pub use` inside the private part, the path a re-export names may
        // stop at any module between the root and the item's.
        let names_it = |path: &[String]| match path.split_last() {
            Some((last, modules)) => {
                names.contains(&Some(last.as_str())) && module.starts_with(modules)
            }
            None => false,
        };
        self.exports
            .iter()
            .filter(|(export_target, ..)| *export_target == target)
            .any(|(_, path, named)| match named {
                // `pub use inner::f;`, `pub use inner::Api as Client;`, `pub use self::inner;`.
                true => names_it(path) || module.starts_with(path),
                // `pub use inner::*;`: what `inner` (and its public modules) declare.
                false => module.starts_with(path),
            })
    }

    /// The `pub use` declarations of reachable modules, with their paths from the root (see
    /// [`CrateMap::exports`]).
    pub(super) fn resolved_exports(&self) -> Vec<(usize, Vec<String>, bool)> {
        self.reexports
            .iter()
            .filter(|(target, from, _)| self.reachable(*target, from))
            .filter_map(|(target, from, decl)| {
                Some((*target, absolute(from, &decl.path)?, decl.alias.is_some()))
            })
            .collect()
    }

    /// Whether no module on `module`'s path is declared private.
    fn reachable(&self, target: usize, module: &[String]) -> bool {
        !(1..=module.len()).any(|depth| {
            self.private_modules
                .contains(&(target, module[..depth].to_vec()))
        })
    }
}

/// A `use` path written in module `from`, from the crate's root: `crate::a`, `self::a`,
/// `super::a` or `a` (a child module); `None` when it climbs above the root.
fn absolute(from: &[String], path: &[String]) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    match first.as_str() {
        "crate" => Some(rest.to_vec()),
        "self" => Some(from.iter().chain(rest).cloned().collect()),
        "super" => {
            let supers = path.iter().take_while(|s| *s == "super").count();
            let base = from.len().checked_sub(supers)?;
            Some(
                from[..base]
                    .iter()
                    .chain(&path[supers..])
                    .cloned()
                    .collect(),
            )
        }
        _ => Some(from.iter().chain(path).cloned().collect()),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::crate_map::{CrateMap, FileOutline};
    use crate::model::names::Names;
    use crate::model::place::ModulePlace;
    use crate::model::source_map::SourceMap;

    fn map_of(source: &str) -> CrateMap {
        let file = syn::parse_file(source).expect("parses");
        let names = Names::collect(&file);
        let map = SourceMap::new(source);
        let outline: FileOutline = super::super::outline(&file, &names, &map, &[]);
        let place = ModulePlace::infer(std::path::Path::new("src/lib.rs"), "app", true);
        CrateMap::build(&[(place, Some(&outline))])
    }

    fn public(map: &CrateMap, name: &str) -> bool {
        let id = map
            .fns
            .iter()
            .position(|def| def.outline.name == name)
            .expect("declared");
        map.is_public_api(id)
    }

    #[test]
    fn a_pub_fn_in_a_private_module_is_not_public_api() {
        let map = map_of(
            "pub fn root() {}
             pub mod open { pub fn visible() {} mod shut { pub fn nested() {} } }
             mod hidden { pub fn helper() {} pub struct Api; impl Api { pub fn call(&self) {} } }
             pub(crate) mod internal { pub fn helper2() {} }
             pub struct Client;
             mod methods { impl crate::Client { pub fn fetch(&self) {} } }
             mod sealed { pub(crate) struct Inner; impl Inner { pub fn poke(&self) {} } }
             mod parts { pub struct Part; impl Part { pub fn call(&self) {} }
                         pub struct Made; impl Made { pub fn go(&self) {} }
                         pub struct Hidden; impl Hidden { pub fn hide(&self) {} } }
             pub struct Whole { pub part: parts::Part, inner: parts::Hidden }
             pub fn make() -> parts::Made { parts::Made }",
        );
        assert!(public(&map, "root"));
        assert!(public(&map, "visible"));
        assert!(!public(&map, "nested"));
        assert!(!public(&map, "helper"));
        assert!(!public(&map, "call"));
        assert!(!public(&map, "helper2"));
        // An impl block in a private module adds methods to a public type.
        assert!(public(&map, "fetch"));
        assert!(!public(&map, "poke"));
        // Types in reach without a name: a `pub` field's, what a public function returns.
        assert!(public(&map, "go"));
        assert!(!public(&map, "hide"));
    }

    #[test]
    fn a_reexport_makes_it_public_api() {
        let map = map_of(
            "mod a { pub fn f() {} }
             mod b { pub struct Api; impl Api { pub fn call(&self) {} } }
             mod c { pub fn g() {} }
             mod d { pub fn h() {} }
             pub use a::f;
             pub use b::Api as Client;
             pub use c::*;
             use d::h;
             mod e { pub mod inner { pub fn k() {} } pub use self::inner::*; }
             mod f { pub fn m() {} }
             mod g { pub use crate::f::*; }",
        );
        assert!(public(&map, "f"));
        assert!(public(&map, "call"));
        assert!(public(&map, "g"));
        assert!(!public(&map, "h"));
        // Re-exported from a private module only: still out of reach.
        assert!(!public(&map, "k"));
        assert!(!public(&map, "m"));
    }
}
