//! Whether a function is part of its crate's public API: declared `pub` in a module that the
//! crate root reaches through `pub mod` declarations, or re-exported by a `pub use`. A `pub fn`
//! inside a private module (`mod inner { pub fn f() }`) is callable only by the crate itself
//! unless something re-exports it.
//!
//! Re-exports are matched by name and leniently (any `pub use` naming the function, its type or
//! a module on its path, or a glob of such a module): when the analysis cannot tell, the
//! function counts as public.

use super::{CrateMap, FnId, Owner};

impl CrateMap {
    /// Whether the `pub` function `id` can be called from outside its crate: every module on
    /// its path is declared `pub` (or its declaration is not seen), or a `pub use` re-exports
    /// it, its type or one of its modules.
    pub fn is_public_api(&self, id: FnId) -> bool {
        let def = &self.fns[id];
        let module = &def.outline.module;
        let behind_private = (1..=module.len()).any(|depth| {
            self.private_modules
                .contains(&(def.target, module[..depth].to_vec()))
        });
        if !behind_private {
            return true;
        }
        let self_ty = match &def.outline.owner {
            Owner::Impl { self_ty, .. } => Some(self_ty.as_str()),
            Owner::Trait { trait_name } => Some(trait_name.as_str()),
            Owner::Free => None,
        };
        let names_it = |name: &str| {
            name == def.outline.name || Some(name) == self_ty || module.iter().any(|m| m == name)
        };
        self.reexports
            .iter()
            .filter(|(target, _, _)| *target == def.target)
            .any(|(_, _, decl)| match &decl.alias {
                // `pub use inner::f;`, `pub use inner::Api as Client;`, `pub use self::inner;`.
                Some(_) => decl.path.last().is_some_and(|name| names_it(name)),
                // `pub use inner::*;`: everything `inner` declares.
                None => decl
                    .path
                    .last()
                    .is_some_and(|name| module.iter().any(|m| m == name)),
            })
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
             pub(crate) mod internal { pub fn helper2() {} }",
        );
        assert!(public(&map, "root"));
        assert!(public(&map, "visible"));
        assert!(!public(&map, "nested"));
        assert!(!public(&map, "helper"));
        assert!(!public(&map, "call"));
        assert!(!public(&map, "helper2"));
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
             use d::h;",
        );
        assert!(public(&map, "f"));
        assert!(public(&map, "call"));
        assert!(public(&map, "g"));
        assert!(!public(&map, "h"));
    }
}
