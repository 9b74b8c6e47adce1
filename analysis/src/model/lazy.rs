//! Lazy bodies: most function bodies of a crate never touch a reqwest value, and parsing them
//! is most of what a run costs. Before a file is parsed, a token scan finds its functions and
//! what each one names; a body that names nothing of reqwest's (its crate, the names a `use`
//! of it binds, the dependencies that hand out its values, `send`, `execute`) is blanked: its
//! inside becomes spaces, line breaks kept, so every other token keeps its line and column,
//! and syn parses an empty block in its place. Doc comments and the attributes no analysis
//! reads ([`INERT_ATTRIBUTES`]) are blanked the same way.
//!
//! A blanked function is analyzed only when the crate shows it may matter after all
//! ([`LazyIndex::needs`]): its signature holds a reqwest value, it names a response wrapper,
//! a client field or a name a `use` of reqwest binds elsewhere in the crate, or it names a
//! function of the crate whose summary is not empty. Then the worker parses that body alone,
//! at its line and column ([`parse_body`]), and puts it in the tree ([`restore`]). Otherwise
//! its analysis is known without reading it: nothing tracked, the summary its signature
//! declares, no findings. It "reads" the summaries of every function its names could call,
//! so that a summary that grows later (in a later round, or in a warm run) brings it back.
//!
//! Everything here errs on the side of keeping a body: a name is matched wherever it
//! appears (strings and comments aside), and a body that declares an item the crate map reads
//! (`fn`, `impl`, `struct`, a `use` but of the standard library..) is always kept.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};

use super::crate_map::{CrateMap, FileOutline, FnId, Owner};
use super::foreign::ForeignCrate;
use super::lex::{self, Kind, Token};
use crate::model::summary::{RequestKind, Summary};

/// Keywords that declare an item the crate map reads (functions, impls, modules, structs'
/// fields, `use`s): a body holding one is kept whole. A `use` of the standard library's is
/// not one: it can bind nothing of the crate's.
const ITEM_KEYWORDS: &[&str] = &[
    "fn",
    "struct",
    "enum",
    "union",
    "trait",
    "impl",
    "mod",
    "use",
    "extern",
    "macro_rules",
    "macro",
];

/// Names that make a value reqwest's without any `use`: methods that send.
const SENDING_METHODS: &[&str] = &["send", "execute"];

/// What a glob import of reqwest (`use reqwest::*;`) binds that the analysis knows.
const REQWEST_ITEMS: &[&str] = &[
    "Client",
    "Response",
    "RequestBuilder",
    "get",
    "ClientBuilder",
    "blocking",
];

/// Attributes no part of the analysis reads (it reads `cfg`, test and web handler attributes,
/// `#[path]`): blanked as doc comments are, since there are many (`serde`'s on every field of
/// an API's types) and each is tokens to split and an attribute to build.
const INERT_ATTRIBUTES: &[&str] = &[
    "serde",
    "serde_with",
    "derive",
    "doc",
    "allow",
    "warn",
    "deny",
    "expect",
    "must_use",
    "inline",
    "non_exhaustive",
    "repr",
    "deprecated",
    "rustfmt",
    "clippy",
    "builder",
    "error",
    "prost",
    "schemars",
    "strum",
];

/// Qualifiers that name the standard library's modules: `std::fs::read` is not the crate's.
const STD_ROOTS: &[&str] = &["std", "core", "alloc"];

/// A name, as the lazy parse compares names: a 64-bit hash (two names that collide only
/// keep a body that could have been blanked). The empty name is 0.
pub type Name = u64;

/// The [`Name`] of `word`.
pub fn name(word: &str) -> Name {
    if word.is_empty() {
        0
    } else {
        xxhash_rust::xxh3::xxh3_64(word.as_bytes()) | 1
    }
}

/// The names that keep a body whatever crate it is in: reqwest's and the dependencies'.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Crates whose paths lead to reqwest values: `reqwest` and the dependencies'.
    roots: FxHashSet<Name>,
    /// Names that keep a body wherever they appear.
    always: FxHashSet<Name>,
    /// Names a glob import of one of the roots binds.
    globbed: Vec<Name>,
}

impl Vocabulary {
    /// reqwest's vocabulary, with the dependencies that hand out its values.
    pub fn new(foreign: &[ForeignCrate]) -> Self {
        let mut vocabulary = Vocabulary::default();
        vocabulary.roots.insert(name("reqwest"));
        vocabulary
            .always
            .extend(SENDING_METHODS.iter().map(|s| name(s)));
        vocabulary
            .globbed
            .extend(REQWEST_ITEMS.iter().map(|s| name(s)));
        for krate in foreign {
            vocabulary.roots.insert(name(&krate.name));
            // Reached through a `use` of the crate or a path from it, which the file's
            // vocabulary follows; a glob import binds them all.
            let names =
                krate
                    .types
                    .iter()
                    .map(|(name, _)| name)
                    .chain(krate.functions.iter().map(|(name, _)| name))
                    .chain(krate.constructors.iter().map(|(ty, function)| {
                        if ty.is_empty() {
                            function
                        } else {
                            ty
                        }
                    }));
            vocabulary.globbed.extend(names.map(|n| name(n)));
        }
        let roots: Vec<Name> = vocabulary.roots.iter().copied().collect();
        vocabulary.always.extend(roots);
        vocabulary
    }
}

/// A function whose body was blanked, and the names it holds.
#[derive(Clone, Debug)]
pub struct LazyFn {
    /// Where its name starts (bytes): how the tree's function is found.
    pub name_at: usize,
    /// Its body, braces included (bytes).
    pub body: Range<usize>,
    /// The names its attributes, signature, body and enclosing `impl` or `trait` header
    /// hold, but those right after `::`; sorted, each once.
    pub names: Vec<Name>,
    /// The paths `q::n` it holds, as `(q, n)` (`q` empty after `>` or at a path's start).
    pub qualified: Vec<(Name, Name)>,
}

/// What [`plan`] decided for one file.
#[derive(Debug)]
pub struct Plan {
    /// The text to parse: the file with the blanked bodies' insides made spaces.
    pub text: String,
    /// The blanked functions.
    pub blanked: Vec<LazyFn>,
}

/// One function found by the scan: token indexes.
struct Found {
    name: usize,
    /// From the item's first token (attributes included) to its body's `{`.
    header: Range<usize>,
    /// The body's `{` and `}`.
    open: usize,
    close: usize,
    /// The enclosing `impl` or `trait` header.
    context: Option<Range<usize>>,
}

/// Plans the lazy parse of `text`: which function bodies to blank. Bodies whose function
/// names start at a byte of `keep` are kept. `None` when no body is blanked (or the text
/// is not balanced enough to tell).
pub fn plan(text: &str, vocabulary: &Vocabulary, keep: &HashSet<usize>) -> Option<Plan> {
    let mut docs = Vec::new();
    let tokens: Vec<Token> = lex::tokens(text, 0)
        .filter(|token| match token.kind {
            Kind::LineComment { doc } | Kind::BlockComment { doc } => {
                if doc {
                    docs.push(token.start..token.end);
                }
                false
            }
            _ => true,
        })
        .collect();
    let matching = match_delimiters(&tokens)?;
    let scan = Scan {
        text,
        tokens: &tokens,
        matching: &matching,
    };
    let mut found = Vec::new();
    scan.items(0, tokens.len(), None, &mut found);
    let relevant = match found.is_empty() {
        true => FxHashSet::default(),
        false => scan.file_vocabulary(vocabulary),
    };
    let mut blanked = Vec::new();
    let mut ranges = Vec::new();
    for function in found {
        let name_at = tokens[function.name].start;
        if keep.contains(&name_at) || function.open + 1 >= function.close {
            continue;
        }
        let body = function.open + 1..function.close;
        if body.clone().any(|index| scan.declares_item(index)) {
            continue;
        }
        let parts = [Some(function.header), Some(body), function.context];
        let mut names = Vec::new();
        let mut qualified = Vec::new();
        for part in parts.into_iter().flatten() {
            scan.names(part, &mut names, &mut qualified);
        }
        if names
            .iter()
            .chain(qualified.iter().flat_map(|(q, n)| [q, n]))
            .any(|name| vocabulary.always.contains(name) || relevant.contains(name))
        {
            continue;
        }
        names.sort_unstable();
        names.dedup();
        qualified.sort_unstable();
        qualified.dedup();
        ranges.push(tokens[function.open].end..tokens[function.close].start);
        blanked.push(LazyFn {
            name_at,
            body: tokens[function.open].start..tokens[function.close].end,
            names,
            qualified,
        });
    }
    // Doc comments too: syn makes each one an attribute, and the analysis reads none; and the
    // attributes it does not read.
    ranges.extend(docs);
    ranges.extend(scan.inert_attributes());
    if ranges.is_empty() {
        return None;
    }
    ranges.sort_unstable_by_key(|range| range.start);
    Some(Plan {
        text: blank(text, &ranges),
        blanked,
    })
}

/// Parses the body of blanked `function` of `text` alone, its tokens at their lines and
/// columns in `text` (`line` and `column` of its `{`, 1-based, the column in characters).
pub fn parse_body(
    text: &str,
    function: &LazyFn,
    line: usize,
    column: usize,
) -> syn::Result<syn::Block> {
    let body = &text[function.body.clone()];
    let mut padded = String::with_capacity(line + column + body.len());
    padded.extend(std::iter::repeat_n('\n', line.saturating_sub(1)));
    padded.extend(std::iter::repeat_n(' ', column.saturating_sub(1)));
    padded.push_str(body);
    syn::parse_str(&padded)
}

/// Puts `bodies` (by where their functions' names start) in place of the blanked ones in
/// `file`; `position` tells where a name starts. Returns how many it placed.
pub fn restore(
    file: &mut syn::File,
    bodies: &mut HashMap<usize, syn::Block>,
    position: &dyn Fn(proc_macro2::Span) -> usize,
) -> usize {
    struct Restore<'b, 'p> {
        bodies: &'b mut HashMap<usize, syn::Block>,
        position: &'p dyn Fn(proc_macro2::Span) -> usize,
        placed: usize,
    }
    impl Restore<'_, '_> {
        fn place(&mut self, sig: &syn::Signature, block: &mut syn::Block) {
            if let Some(body) = self.bodies.remove(&(self.position)(sig.ident.span())) {
                *block = body;
                self.placed += 1;
            }
        }
    }
    impl syn::visit_mut::VisitMut for Restore<'_, '_> {
        fn visit_item_fn_mut(&mut self, item: &mut syn::ItemFn) {
            self.place(&item.sig, &mut item.block);
        }
        fn visit_impl_item_fn_mut(&mut self, item: &mut syn::ImplItemFn) {
            self.place(&item.sig, &mut item.block);
        }
        fn visit_trait_item_fn_mut(&mut self, item: &mut syn::TraitItemFn) {
            if let Some(block) = &mut item.default {
                self.place(&item.sig, block);
            }
        }
        // Blanked functions are items of the file, modules, impls and traits, never inside
        // bodies or expressions.
        fn visit_block_mut(&mut self, _: &mut syn::Block) {}
        fn visit_expr_mut(&mut self, _: &mut syn::Expr) {}
    }
    let mut restore = Restore {
        bodies,
        position,
        placed: 0,
    };
    syn::visit_mut::VisitMut::visit_file_mut(&mut restore, file);
    restore.placed
}

/// Whether each function of `file` that `blanked` names (by where its name starts) has its
/// body where the token scan found it; `position` tells where a span starts. When the scan
/// misreads a signature and takes the braces of something else for its body (another
/// function's, a macro's), restoring would put those in this function, and the braces it
/// blanked would be another function's body, then analyzed as empty.
pub fn bodies_in_place(
    file: &syn::File,
    blanked: &HashMap<usize, LazyFn>,
    position: &dyn Fn(proc_macro2::Span) -> usize,
) -> bool {
    struct Check<'b, 'p> {
        blanked: &'b HashMap<usize, LazyFn>,
        position: &'p dyn Fn(proc_macro2::Span) -> usize,
        in_place: bool,
    }
    impl Check<'_, '_> {
        fn check(&mut self, sig: &syn::Signature, block: &syn::Block) {
            if let Some(function) = self.blanked.get(&(self.position)(sig.ident.span())) {
                let open = (self.position)(block.brace_token.span.open());
                self.in_place &= open == function.body.start;
            }
        }
    }
    impl<'ast> syn::visit::Visit<'ast> for Check<'_, '_> {
        fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
            self.check(&item.sig, &item.block);
        }
        fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
            self.check(&item.sig, &item.block);
        }
        fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
            if let Some(block) = &item.default {
                self.check(&item.sig, block);
            }
        }
        // As in [`restore`]: blanked functions are never inside bodies or expressions.
        fn visit_block(&mut self, _: &'ast syn::Block) {}
        fn visit_expr(&mut self, _: &'ast syn::Expr) {}
    }
    let mut check = Check {
        blanked,
        position,
        in_place: true,
    };
    syn::visit::Visit::visit_file(&mut check, file);
    check.in_place
}

/// `text` with every character in `ranges` (sorted by start; one may hold others) but line
/// breaks made a space: one space per character, so lines and columns (which proc-macro2
/// counts in characters) stay.
fn blank(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        for c in text[range.clone()].chars() {
            out.push(if matches!(c, '\n' | '\r') { c } else { ' ' });
        }
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// For each opening delimiter's token index, its closing one's; `None` when they do not
/// balance (the parse will say why).
fn match_delimiters(tokens: &[Token]) -> Option<Vec<usize>> {
    let mut matching = vec![usize::MAX; tokens.len()];
    let mut open: Vec<(usize, u8)> = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        let Kind::Punct(byte) = token.kind else {
            continue;
        };
        match byte {
            b'{' | b'(' | b'[' => open.push((index, byte)),
            b'}' | b')' | b']' => {
                let (start, opener) = open.pop()?;
                let expected = match opener {
                    b'{' => b'}',
                    b'(' => b')',
                    _ => b']',
                };
                if byte != expected {
                    return None;
                }
                matching[start] = index;
            }
            _ => {}
        }
    }
    open.is_empty().then_some(matching)
}

/// A file's tokens (comments left out) and their delimiters' matches.
struct Scan<'t> {
    text: &'t str,
    tokens: &'t [Token],
    matching: &'t [usize],
}

impl Scan<'_> {
    fn ident(&self, token: &Token) -> &str {
        let word = &self.text[token.start..token.end];
        word.strip_prefix("r#").unwrap_or(word)
    }

    fn is_ident(&self, index: usize, word: &str) -> bool {
        self.tokens
            .get(index)
            .is_some_and(|t| t.kind == Kind::Ident && self.ident(t) == word)
    }

    /// The byte ranges of the attributes (outer and inner) named in [`INERT_ATTRIBUTES`].
    fn inert_attributes(&self) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        for (index, token) in self.tokens.iter().enumerate() {
            if token.kind != Kind::Punct(b'#') {
                continue;
            }
            let open = if self.is_punct(index + 1, b'!') {
                index + 2
            } else {
                index + 1
            };
            if !self.is_punct(open, b'[') {
                continue;
            }
            let inert = self.tokens.get(open + 1).is_some_and(|t| {
                t.kind == Kind::Ident && INERT_ATTRIBUTES.contains(&self.ident(t))
            });
            if inert {
                found.push(token.start..self.tokens[self.matching[open]].end);
            }
        }
        found
    }

    /// Whether token `index` starts an item the crate map reads.
    fn declares_item(&self, index: usize) -> bool {
        let token = &self.tokens[index];
        if token.kind != Kind::Ident {
            return false;
        }
        let word = self.ident(token);
        if word == "use" {
            let root = if self.is_punct(index + 1, b':') {
                index + 3
            } else {
                index + 1
            };
            return !STD_ROOTS.iter().any(|std| self.is_ident(root, std));
        }
        ITEM_KEYWORDS.contains(&word)
    }

    fn is_punct(&self, index: usize, byte: u8) -> bool {
        self.tokens
            .get(index)
            .is_some_and(|t| t.kind == Kind::Punct(byte))
    }

    /// The functions with bodies among the items of `lo..hi` (a file, or the inside of a
    /// module, `impl`, `trait` or `extern` block), into `out`.
    fn items(&self, lo: usize, hi: usize, context: Option<Range<usize>>, out: &mut Vec<Found>) {
        let mut i = lo;
        let mut item_start = lo;
        while i < hi {
            let token = &self.tokens[i];
            match token.kind {
                Kind::Punct(b'{') => {
                    let close = self.matching[i];
                    let header = item_start..i;
                    let has = |word: &str| header.clone().any(|k| self.is_ident(k, word));
                    if has("impl") || has("trait") {
                        self.items(i + 1, close, Some(header.clone()), out);
                    } else if has("mod") || has("extern") {
                        self.items(i + 1, close, None, out);
                    }
                    i = close + 1;
                    item_start = i;
                }
                Kind::Punct(b'(' | b'[') => i = self.matching[i] + 1,
                Kind::Punct(b';') => {
                    i += 1;
                    item_start = i;
                }
                Kind::Ident
                    if self.ident(token) == "fn"
                        && self
                            .tokens
                            .get(i + 1)
                            .is_some_and(|next| next.kind == Kind::Ident) =>
                {
                    match self.signature_end(i + 2, hi) {
                        Some((open, true)) => {
                            let close = self.matching[open];
                            out.push(Found {
                                name: i + 1,
                                header: item_start..open,
                                open,
                                close,
                                context: context.clone(),
                            });
                            i = close + 1;
                        }
                        Some((end, false)) => i = end + 1,
                        None => i = hi,
                    }
                    item_start = i;
                }
                _ => i += 1,
            }
        }
    }

    /// From inside a signature: its body's `{` (and `true`), or the `;` that ends it (and
    /// `false`). A `{` inside generic arguments (`Foo<{ N }>`, `<` not yet closed by `>`, the
    /// `>` of `->` aside) is a const generic argument's block, and one right after `name!` a
    /// type macro's (`-> m! { u8 }`); any other is the body, also right after a `,` (a where
    /// clause's trailing comma), a `=` or the never type's `!`.
    fn signature_end(&self, mut i: usize, hi: usize) -> Option<(usize, bool)> {
        let mut angles = 0usize;
        while i < hi {
            match self.tokens[i].kind {
                Kind::Punct(b'(' | b'[') => i = self.matching[i] + 1,
                Kind::Punct(b'{') if angles > 0 || self.macro_braces(i) => {
                    i = self.matching[i] + 1;
                }
                Kind::Punct(b'{') => return Some((i, true)),
                Kind::Punct(b';') => return Some((i, false)),
                Kind::Punct(b'<') => {
                    angles += 1;
                    i += 1;
                }
                Kind::Punct(b'>') => {
                    if !self.is_punct(i.wrapping_sub(1), b'-') {
                        angles = angles.saturating_sub(1);
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        None
    }

    /// Whether the `{` at `index` opens a macro's braces: right after `name!`.
    fn macro_braces(&self, index: usize) -> bool {
        index >= 2 && self.is_punct(index - 1, b'!') && self.tokens[index - 2].kind == Kind::Ident
    }

    /// The names in `range`, bare and after `::`.
    fn names(&self, range: Range<usize>, names: &mut Vec<Name>, qualified: &mut Vec<(Name, Name)>) {
        for index in range {
            let token = &self.tokens[index];
            if token.kind != Kind::Ident {
                continue;
            }
            let word = name(self.ident(token));
            if index >= 2 && self.is_punct(index - 1, b':') && self.is_punct(index - 2, b':') {
                let qualifier = index
                    .checked_sub(3)
                    .map(|q| &self.tokens[q])
                    .filter(|q| q.kind == Kind::Ident)
                    .map_or(0, |q| name(self.ident(q)));
                qualified.push((qualifier, word));
            } else {
                names.push(word);
            }
        }
    }

    /// The names the file's `use` and `extern crate` declarations (at any depth) bind from
    /// a root crate, or from a name bound so: every name such a declaration holds, and what
    /// a glob of a root binds.
    fn file_vocabulary(&self, vocabulary: &Vocabulary) -> FxHashSet<Name> {
        let mut declarations: Vec<Range<usize>> = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            if self.is_ident(i, "use")
                || (self.is_ident(i, "extern") && self.is_ident(i + 1, "crate"))
            {
                let start = i;
                while i < self.tokens.len() && !self.is_punct(i, b';') {
                    i += 1;
                }
                declarations.push(start..i);
            }
            i += 1;
        }
        let mut relevant: FxHashSet<Name> = FxHashSet::default();
        let mut done = vec![false; declarations.len()];
        loop {
            let mut grew = false;
            for (index, declaration) in declarations.iter().enumerate() {
                if done[index] {
                    continue;
                }
                let words: Vec<Name> = declaration
                    .clone()
                    .filter(|&k| self.tokens[k].kind == Kind::Ident)
                    .map(|k| name(self.ident(&self.tokens[k])))
                    .collect();
                if !words
                    .iter()
                    .any(|w| vocabulary.roots.contains(w) || relevant.contains(w))
                {
                    continue;
                }
                done[index] = true;
                grew = true;
                relevant.extend(words.iter().copied());
                if declaration.clone().any(|k| self.is_punct(k, b'*')) {
                    relevant.extend(vocabulary.globbed.iter().copied());
                }
            }
            if !grew {
                return relevant;
            }
        }
    }
}

/// What the crate tells about blanked functions: built once per crate map.
#[derive(Debug, Default)]
pub struct LazyIndex {
    /// Every function of the crate, by name.
    by_name: FxHashMap<Name, Vec<FnId>>,
    /// Names a `use ... as` binds, to the names they rename.
    renames: FxHashMap<Name, Vec<Name>>,
    /// Names that make a function matter: response and builder wrappers, the fields that
    /// hold clients or wrappers, and the names `use`s of reqwest (or of such names) bind
    /// anywhere in the crate.
    relevant: FxHashSet<Name>,
    /// Names a path can go through to reach the crate's functions: its types, traits and
    /// modules, the names its `use`s bind (but the standard library's), `Self`, `crate`..
    reachable: FxHashSet<Name>,
}

impl LazyIndex {
    /// The index of the crate `map` joins from `outlines`.
    pub fn new(map: &CrateMap, outlines: &[Option<&FileOutline>], vocabulary: &Vocabulary) -> Self {
        let mut index = LazyIndex::default();
        let reachable = &mut index.reachable;
        for (id, def) in map.fns.iter().enumerate() {
            index
                .by_name
                .entry(name(&def.outline.name))
                .or_default()
                .push(id);
            match &def.outline.owner {
                Owner::Impl {
                    self_ty,
                    trait_name,
                } => {
                    reachable.insert(name(self_ty));
                    reachable.extend(trait_name.iter().map(|t| name(t)));
                }
                Owner::Trait { trait_name } => {
                    reachable.insert(name(trait_name));
                }
                Owner::Free => {}
            }
            reachable.extend(def.outline.module.iter().map(|m| name(m)));
        }
        reachable.extend(["Self", "self", "super", "crate"].map(name));
        for (_, module) in &map.places {
            reachable.extend(module.iter().map(|m| name(m)));
        }
        reachable.extend(map.targets.iter().map(|t| name(&t.name)));
        let outlines: Vec<&FileOutline> = outlines.iter().flatten().copied().collect();
        let mut uses = Vec::new();
        for outline in &outlines {
            for module in &outline.modules {
                reachable.extend(module.path.iter().map(|m| name(m)));
                reachable.extend(module.children.iter().map(|m| name(m)));
                uses.extend(module.uses.iter());
            }
            for (ty, trait_name) in &outline.trait_impls {
                reachable.insert(name(ty));
                reachable.insert(name(trait_name));
            }
            reachable.extend(outline.fields.iter().map(|f| name(&f.owner)));
        }
        for decl in &uses {
            let last = decl.path.last();
            if let (Some(alias), Some(last)) = (&decl.alias, last) {
                if alias != last {
                    index
                        .renames
                        .entry(name(alias))
                        .or_default()
                        .push(name(last));
                }
            }
            let from_std = decl
                .path
                .first()
                .is_some_and(|root| STD_ROOTS.contains(&root.as_str()));
            if !from_std {
                reachable.extend(decl.alias.iter().map(|a| name(a)));
                reachable.extend(decl.path.iter().map(|p| name(p)));
            }
        }
        // What reqwest's names (and the wrappers, fields..) reach, to a fixpoint: the names
        // `use`s of reqwest bind (`pub use reqwest::Client as Http;`), and of those names
        // (`use crate::http::Http;`), and the fields that hold such values.
        let relevant = &mut index.relevant;
        relevant.extend(map.wrappers.keys().map(|w| name(w)));
        relevant.extend(map.builder_wrappers.iter().map(|w| name(w)));
        loop {
            let before = relevant.len();
            for decl in &uses {
                let from_root = decl
                    .path
                    .first()
                    .is_some_and(|root| vocabulary.roots.contains(&name(root)));
                let of_relevant = decl
                    .path
                    .last()
                    .is_some_and(|l| relevant.contains(&name(l)));
                if from_root || of_relevant {
                    relevant.extend(decl.alias.iter().map(|a| name(a)));
                    relevant.extend(decl.path.last().map(|l| name(l)));
                }
            }
            for outline in &outlines {
                for field in &outline.fields {
                    let holds = field.client
                        || [&field.ty, &field.element]
                            .into_iter()
                            .flatten()
                            .any(|ty| relevant.contains(&name(ty)));
                    if holds {
                        relevant.insert(name(&field.name));
                    }
                }
            }
            if relevant.len() == before {
                break;
            }
        }
        for renamed in index.renames.values_mut() {
            renamed.sort_unstable();
            renamed.dedup();
        }
        index
    }

    /// The crate's functions `function`'s names may call, sorted, each once.
    pub fn candidates(&self, function: &LazyFn) -> Vec<FnId> {
        let mut found = Vec::new();
        let mut add = |word: Name| {
            let renamed = self.renames.get(&word).into_iter().flatten().copied();
            for word in std::iter::once(word).chain(renamed) {
                found.extend(self.by_name.get(&word).into_iter().flatten().copied());
            }
        };
        for &word in &function.names {
            add(word);
        }
        for &(qualifier, word) in &function.qualified {
            if qualifier == 0 || self.reachable.contains(&qualifier) {
                add(word);
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Whether blanked `function` (crate function `id`) must be parsed and analyzed, with
    /// the crate's `summaries` as they are now and `candidates` from [`Self::candidates`].
    pub fn needs(
        &self,
        map: &CrateMap,
        id: FnId,
        function: &LazyFn,
        candidates: &[FnId],
        summaries: &[Summary],
    ) -> bool {
        let outline = &map.fns[id].outline;
        let signature = outline.declared.is_some()
            || outline.params.iter().any(Option::is_some)
            || outline.blanket
            || outline.handler_attr
            || outline
                .returned_type
                .as_deref()
                .is_some_and(|ty| self.relevant.contains(&name(ty)));
        signature
            || function
                .names
                .iter()
                .chain(function.qualified.iter().flat_map(|(q, n)| [q, n]))
                .any(|word| self.relevant.contains(word))
            || candidates
                .iter()
                .any(|&callee| summaries.get(callee).is_some_and(|s| !is_empty(s)))
    }
}

/// A summary that says nothing: what a function that touches no reqwest value has.
pub fn is_empty(summary: &Summary) -> bool {
    summary.returns.is_none()
        && summary.fresh_client.is_none()
        && summary.per_call_clients.is_empty()
        && summary.returns_request == RequestKind::default()
        && !summary.returns_checked
        && summary.params.iter().all(|p| *p == Default::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(text: &str) -> Option<Plan> {
        plan(text, &Vocabulary::new(&[]), &HashSet::new())
    }

    #[test]
    fn bodies_that_name_nothing_of_reqwest_are_blanked_lines_and_columns_kept() {
        let text = "fn a() -> u8 { let x = \"é\"; 1 }\nfn b(c: &reqwest::Client) { c.get(\"u\"); }\nfn d() {\n    e();\n} fn f() {}\n";
        let plan = planned(text).expect("a plan");
        assert_eq!(
            plan.text,
            "fn a() -> u8 {                }\nfn b(c: &reqwest::Client) { c.get(\"u\"); }\nfn d() {\n        \n} fn f() {}\n"
        );
        let names = first_letters(text, &plan);
        assert_eq!(names, ["a", "d"]);
        assert_eq!(
            text.chars().filter(|c| *c == '\n').count(),
            plan.text.lines().count()
        );
    }

    #[test]
    fn bodies_with_items_or_kept_names_stay() {
        let std_use = "fn a() { use std::io::Write; x(); }\n";
        assert_eq!(planned(std_use).expect("a plan").blanked.len(), 1);
        let text = "fn a() { fn inner() {} }\nfn b() { use crate::io; }\nfn c() { x.send() }\nfn d() { y() }\n";
        let plan = planned(text).expect("a plan");
        assert_eq!(plan.blanked.len(), 1);
        assert_eq!(&text[plan.blanked[0].name_at..][..1], "d");
        let keep: HashSet<usize> = [plan.blanked[0].name_at].into();
        assert!(plan_with(text, &keep).is_none());
    }

    /// The first letter of each blanked function's name (the tests' functions have one-letter
    /// names).
    fn first_letters<'t>(text: &'t str, plan: &Plan) -> Vec<&'t str> {
        plan.blanked
            .iter()
            .map(|f| &text[f.name_at..f.name_at + 1])
            .collect()
    }

    fn plan_with(text: &str, keep: &HashSet<usize>) -> Option<Plan> {
        plan(text, &Vocabulary::new(&[]), keep)
    }

    #[test]
    fn a_use_of_reqwest_makes_its_names_reqwest_s_and_globs_bind_its_items() {
        let text = "use reqwest::Client as Http;\nuse Http as H2;\nfn a(h: H2) {}\nfn b() { Http::new(); }\nfn c() { other(); }\n";
        let plan = planned(text).expect("a plan");
        let blanked = first_letters(text, &plan);
        assert_eq!(blanked, ["c"]);
        let globbed = "use reqwest::*;\nfn a() { get(\"u\"); }\nfn b() { go(); }\n";
        let plan = planned(globbed).expect("a plan");
        assert_eq!(plan.blanked.len(), 1);
        assert_eq!(&globbed[plan.blanked[0].name_at..][..1], "b");
    }

    #[test]
    fn methods_keep_their_impl_header_and_paths_their_qualifier() {
        let text = "impl Wrapper for reqwest::Response { fn a(&self) { x(); } }\nimpl S { fn b(&self) { Vec::new(); Self::make(); <T as Tr>::go(); } }\n";
        let plan = planned(text).expect("a plan");
        assert_eq!(plan.blanked.len(), 1);
        let b = &plan.blanked[0];
        assert_eq!(&text[b.name_at..][..1], "b");
        let mut expected =
            [("", "go"), ("Self", "make"), ("Vec", "new")].map(|(q, n)| (name(q), name(n)));
        expected.sort_unstable();
        assert_eq!(b.qualified, expected);
        assert!(b.names.contains(&name("S")));
    }

    #[test]
    fn odd_items_are_not_taken_for_functions() {
        // `impl Trait for fn()`, a const generic block, `fn` pointer types, macro bodies.
        let text = "impl T for fn(u8) { fn a() { x(); } }\nfn b() -> Foo<{ N }> { y(); }\ntype F = fn() -> u8;\nmacro_rules! m { () => { fn z() { w(); } } }\nstruct S { f: fn() }\n";
        let plan = planned(text).expect("a plan");
        let blanked = first_letters(text, &plan);
        assert_eq!(blanked, ["a", "b"]);
        assert!(plan.text.contains("Foo<{ N }>"), "{}", plan.text);
        assert!(plan.text.contains("fn z() { w(); }"));
    }

    #[test]
    fn a_brace_after_a_where_clause_s_trailing_comma_is_the_body() {
        // Taken for a const generic argument, the scan went on to `b`'s body as `a`'s.
        let text = "impl S {\n    fn a<B>(self) -> Result<B, E>\n    where\n        B: Tr<{ N }, X = u8>,\n        F: Fn(u8) -> Vec<u8>,\n    {\n        x();\n    }\n    fn b(&self) -> V<u8> { y(); }\n}\n";
        let plan = planned(text).expect("a plan");
        let bodies: Vec<(&str, &str)> = plan
            .blanked
            .iter()
            .map(|f| (&text[f.name_at..f.name_at + 1], &text[f.body.clone()]))
            .collect();
        assert_eq!(bodies, [("a", "{\n        x();\n    }"), ("b", "{ y(); }")]);
    }

    #[test]
    fn braces_of_a_type_macro_are_not_the_body_but_the_never_type_s_are() {
        let text = "fn a(self) -> m! { u8 } { x() }\nfn b() -> ! { y() }\n";
        let plan = planned(text).expect("a plan");
        let bodies: Vec<&str> = plan.blanked.iter().map(|f| &text[f.body.clone()]).collect();
        assert_eq!(bodies, ["{ x() }", "{ y() }"]);
    }

    #[test]
    fn bodies_the_scan_did_not_find_where_syn_does_are_told() {
        let text = "impl S { fn a(self) -> u8 where B: X, { x() } }\nfn b() { y(); }\n";
        let plan = planned(text).expect("a plan");
        let file = syn::parse_file(&plan.text).expect("it parses");
        let map = crate::model::source_map::SourceMap::new(text);
        let position = |span: proc_macro2::Span| map.span(span).start.byte;
        let mut blanked: HashMap<usize, LazyFn> =
            plan.blanked.into_iter().map(|f| (f.name_at, f)).collect();
        assert_eq!(blanked.len(), 2);
        assert!(bodies_in_place(&file, &blanked, &position));
        // A scan that took `b`'s body for `a`'s.
        let b_body = blanked
            .values()
            .map(|f| f.body.clone())
            .max_by_key(|b| b.start);
        let a = blanked.values_mut().min_by_key(|f| f.name_at).expect("a");
        a.body = b_body.expect("b");
        assert!(!bodies_in_place(&file, &blanked, &position));
    }

    #[test]
    fn attributes_the_analysis_does_not_read_are_blanked_the_others_kept() {
        let text = "#![allow(dead_code)]\n#[derive(Debug)]\n#[cfg(test)]\nstruct S {\n    #[serde(rename = \"x\")] a: u8,\n}\n#[get(\"/\")]\n#[tokio::test]\nasync fn h() {}\n";
        let plan = planned(text).expect("a plan");
        assert_eq!(
            plan.text,
            "                    \n                \n#[cfg(test)]\nstruct S {\n                           a: u8,\n}\n#[get(\"/\")]\n#[tokio::test]\nasync fn h() {}\n"
        );
    }

    #[test]
    fn unbalanced_text_is_left_to_the_parser() {
        assert!(planned("fn a() { x(); ").is_none());
        assert!(planned("fn a() { x(]; }").is_none());
    }
}
