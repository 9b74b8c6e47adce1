//! What a type says a value is, as far as reqwest goes: a response, a request builder or a
//! client, maybe inside `Result`/`Option`/`Box`/a tuple, maybe a future of one
//! (`impl Future<Output = ..>`, `BoxFuture<'_, ..>`, a generic `Fut: Future<Output = ..>`),
//! or a callable that yields one (`F: FnMut() -> Fut`).

use super::names::{Names, ReqwestItem};
use super::syntax;

/// The reqwest value a type holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    /// A response.
    Response,
    /// A request builder, which starts a request-builder chain.
    Builder,
    /// A client.
    Client,
}

/// What a function returns, or a type holds: a reqwest value, now or once awaited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Returns {
    /// Which value.
    pub kind: Kind,
    /// A future of it: it exists only once awaited (`async fn`, `impl Future<Output = ..>`).
    pub future: bool,
}

impl Returns {
    /// A value of `kind`, not a future.
    pub fn now(kind: Kind) -> Self {
        Returns {
            kind,
            future: false,
        }
    }
}

/// The bounds of the generic parameters in scope (a function's and its impl's generics and
/// `where` clauses), by parameter name.
#[derive(Default)]
pub struct Bounds<'a> {
    params: Vec<(String, Vec<&'a syn::TypeParamBound>)>,
}

impl<'a> Bounds<'a> {
    /// The bounds of `generics` (parameters and `where` clause), added to these.
    pub fn add(&mut self, generics: &'a syn::Generics) {
        for param in &generics.params {
            if let syn::GenericParam::Type(param) = param {
                self.push(syntax::name(&param.ident), param.bounds.iter());
            }
        }
        if let Some(clause) = &generics.where_clause {
            for predicate in &clause.predicates {
                let syn::WherePredicate::Type(predicate) = predicate else {
                    continue;
                };
                let syn::Type::Path(path) = &predicate.bounded_ty else {
                    continue;
                };
                if let Some(ident) = path.path.get_ident() {
                    self.push(syntax::name(ident), predicate.bounds.iter());
                }
            }
        }
    }

    fn push(&mut self, name: String, bounds: impl Iterator<Item = &'a syn::TypeParamBound>) {
        match self.params.iter_mut().find(|(known, _)| *known == name) {
            Some((_, known)) => known.extend(bounds),
            None => self.params.push((name, bounds.collect())),
        }
    }

    /// The bounds of the generic parameter a type names: `T`, not `T::Item` nor `<T as X>::Y`.
    fn of_param(&self, ty: &syn::TypePath) -> Option<&[&'a syn::TypeParamBound]> {
        match ty.qself {
            None => self.of(&syntax::name(ty.path.get_ident()?)),
            Some(_) => None,
        }
    }

    fn of(&self, name: &str) -> Option<&[&'a syn::TypeParamBound]> {
        self.params
            .iter()
            .rev()
            .find(|(known, _)| known == name)
            .map(|(_, bounds)| bounds.as_slice())
    }
}

/// What a value of type `ty` is (see the module documentation). References hold nothing:
/// a borrowed response is the owner's business.
pub fn classify(names: &Names, bounds: &Bounds<'_>, ty: &syn::Type) -> Option<Returns> {
    classify_depth(names, bounds, ty, 0)
}

/// What calling a value of type `ty` yields: `F: Fn(..) -> R`, `impl FnMut() -> R`,
/// `Box<dyn Fn() -> R>`.
pub fn classify_callable(names: &Names, bounds: &Bounds<'_>, ty: &syn::Type) -> Option<Returns> {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => {
            if let Some(found) = bounds.of_param(path) {
                return callable_output(names, bounds, found.iter().copied(), 0);
            }
            let last = path.path.segments.last()?;
            if matches!(syntax::name(&last.ident).as_str(), "Box" | "Arc" | "Rc") {
                return classify_callable(names, bounds, syntax::type_arguments(last).next()?);
            }
            None
        }
        syn::Type::ImplTrait(bound) => callable_output(names, bounds, bound.bounds.iter(), 0),
        syn::Type::TraitObject(object) => callable_output(names, bounds, object.bounds.iter(), 0),
        syn::Type::Reference(reference) => classify_callable(names, bounds, &reference.elem),
        syn::Type::Paren(paren) => classify_callable(names, bounds, &paren.elem),
        syn::Type::Group(group) => classify_callable(names, bounds, &group.elem),
        _ => None,
    }
}

/// Whether `ty` is a tower `Service` whose responses are reqwest responses:
/// `S: Service<Request, Response = reqwest::Response>`.
pub fn is_response_service(names: &Names, bounds: &Bounds<'_>, ty: &syn::Type) -> bool {
    let found: Vec<&syn::TypeParamBound> = match ty {
        syn::Type::Path(path) => bounds.of_param(path).map(<[_]>::to_vec).unwrap_or_default(),
        syn::Type::ImplTrait(bound) => bound.bounds.iter().collect(),
        syn::Type::Reference(reference) => {
            return is_response_service(names, bounds, &reference.elem)
        }
        _ => Vec::new(),
    };
    traits(found.into_iter()).any(|service| {
        service.ident == "Service"
            && associated_type(service, "Response").is_some_and(|ty| {
                classify(names, bounds, ty).map(|r| r.kind) == Some(Kind::Response)
            })
    })
}

/// The last path segment of each trait among `bounds`: `Future<Output = T>` of
/// `impl Future<Output = T> + Send + 'a`.
fn traits<'b>(
    bounds: impl Iterator<Item = &'b syn::TypeParamBound>,
) -> impl Iterator<Item = &'b syn::PathSegment> {
    bounds.filter_map(|bound| match bound {
        syn::TypeParamBound::Trait(trait_bound) => trait_bound.path.segments.last(),
        _ => None,
    })
}

/// The type bound to associated type `name` in a trait's arguments: `T` of
/// `Future<Output = T>` for `Output`.
fn associated_type<'s>(segment: &'s syn::PathSegment, name: &str) -> Option<&'s syn::Type> {
    let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else {
        return None;
    };
    arguments.args.iter().find_map(|argument| match argument {
        syn::GenericArgument::AssocType(assoc) if assoc.ident == name => Some(&assoc.ty),
        _ => None,
    })
}

const DEPTH_LIMIT: usize = 8;

fn classify_depth(
    names: &Names,
    bounds: &Bounds<'_>,
    ty: &syn::Type,
    depth: usize,
) -> Option<Returns> {
    if depth > DEPTH_LIMIT {
        return None;
    }
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => {
            match names.resolve_path(&path.path) {
                Some(ReqwestItem::Response) => return Some(Returns::now(Kind::Response)),
                Some(ReqwestItem::RequestBuilder | ReqwestItem::Request) => {
                    return Some(Returns::now(Kind::Builder))
                }
                Some(ReqwestItem::Client) => return Some(Returns::now(Kind::Client)),
                _ => {}
            }
            if let Some(found) = bounds.of_param(path) {
                return future_output(names, bounds, found.iter().copied(), depth);
            }
            // `S::Future` of a service whose responses are reqwest responses.
            if let [service, assoc] = path.path.segments.iter().collect::<Vec<_>>().as_slice() {
                if assoc.ident == "Future" {
                    let ty: syn::Type = syn::parse_quote!(#service);
                    if is_response_service(names, bounds, &ty) {
                        return Some(Returns {
                            kind: Kind::Response,
                            future: true,
                        });
                    }
                }
            }
            let last = path.path.segments.last()?;
            let first_type_argument = syntax::type_arguments(last).next();
            match syntax::name(&last.ident).as_str() {
                "Result" | "Option" | "Box" | "Pin" | "Arc" | "Poll" => {
                    classify_depth(names, bounds, first_type_argument?, depth + 1)
                }
                // A crate's own alias: `type HFResult<T> = Result<T, HFError>`.
                name if name.ends_with("Result") && name != "Result" => {
                    classify_depth(names, bounds, first_type_argument?, depth + 1)
                }
                "BoxFuture" | "LocalBoxFuture" => {
                    let inner = first_type_argument?;
                    let mut found = classify_depth(names, bounds, inner, depth + 1)?;
                    found.future = true;
                    Some(found)
                }
                _ => None,
            }
        }
        syn::Type::ImplTrait(bound) => future_output(names, bounds, bound.bounds.iter(), depth),
        syn::Type::TraitObject(object) => future_output(names, bounds, object.bounds.iter(), depth),
        syn::Type::Tuple(tuple) => tuple
            .elems
            .iter()
            .find_map(|elem| classify_depth(names, bounds, elem, depth + 1)),
        syn::Type::Paren(paren) => classify_depth(names, bounds, &paren.elem, depth + 1),
        syn::Type::Group(group) => classify_depth(names, bounds, &group.elem, depth + 1),
        _ => None,
    }
}

/// `Future<Output = T>` (or `IntoFuture`) among `bounds`: a future of what `T` is.
fn future_output<'b>(
    names: &Names,
    bounds: &Bounds<'_>,
    found: impl Iterator<Item = &'b syn::TypeParamBound>,
    depth: usize,
) -> Option<Returns> {
    let output = traits(found)
        .filter(|future| {
            matches!(
                syntax::name(&future.ident).as_str(),
                "Future" | "IntoFuture"
            )
        })
        .find_map(|future| associated_type(future, "Output"))?;
    let mut found = classify_depth(names, bounds, output, depth + 1)?;
    found.future = true;
    Some(found)
}

/// `Fn(..) -> R` (or `FnMut`, `FnOnce`, `AsyncFn*`) among `bounds`: what `R` is.
fn callable_output<'b>(
    names: &Names,
    bounds: &Bounds<'_>,
    found: impl Iterator<Item = &'b syn::TypeParamBound>,
    depth: usize,
) -> Option<Returns> {
    let (name, output) = traits(found).find_map(|callable| {
        let name = syntax::name(&callable.ident);
        if !matches!(
            name.as_str(),
            "Fn" | "FnMut" | "FnOnce" | "AsyncFn" | "AsyncFnMut" | "AsyncFnOnce"
        ) {
            return None;
        }
        let syn::PathArguments::Parenthesized(arguments) = &callable.arguments else {
            return None;
        };
        match &arguments.output {
            syn::ReturnType::Type(_, output) => Some((name, output)),
            syn::ReturnType::Default => None,
        }
    })?;
    let mut found = classify_depth(names, bounds, output, depth + 1)?;
    found.future |= name.starts_with("Async");
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig_output(source: &str) -> Option<Returns> {
        let file = syn::parse_file(source).unwrap();
        let names = Names::collect(&file);
        let syn::Item::Fn(item) = &file.items[file.items.len() - 1] else {
            panic!("no fn");
        };
        let mut bounds = Bounds::default();
        bounds.add(&item.sig.generics);
        let syn::ReturnType::Type(_, ty) = &item.sig.output else {
            return None;
        };
        classify(&names, &bounds, ty)
    }

    #[test]
    fn futures_and_wrappers() {
        let response = Some(Returns::now(Kind::Response));
        let future = Some(Returns {
            kind: Kind::Response,
            future: true,
        });
        assert_eq!(
            sig_output("fn f() -> reqwest::Result<reqwest::Response> {}"),
            response
        );
        assert_eq!(
            sig_output(
                "use reqwest::Response; fn f() -> impl Future<Output = Result<Response, E>> {}"
            ),
            future
        );
        assert_eq!(
            sig_output("fn f<'a>() -> BoxFuture<'a, Result<reqwest::Response, E>> {}"),
            future
        );
        assert_eq!(
            sig_output(
                "fn f<F>() -> F where F: std::future::Future<Output = reqwest::Response> {}"
            ),
            future
        );
        assert_eq!(
            sig_output("fn f() -> (reqwest::Response, u32) {}"),
            response
        );
        assert_eq!(sig_output("fn f() -> &reqwest::Response {}"), None);
        assert_eq!(sig_output("fn f() -> Result<u16, E> {}"), None);
    }

    #[test]
    fn callables() {
        let source = "use reqwest::Response; \
             fn retry<F, Fut>(f: F) where F: FnMut() -> Fut, Fut: Future<Output = Result<Response, E>> {}";
        let file = syn::parse_file(source).unwrap();
        let names = Names::collect(&file);
        let syn::Item::Fn(item) = &file.items[1] else {
            panic!()
        };
        let mut bounds = Bounds::default();
        bounds.add(&item.sig.generics);
        let f: syn::Type = syn::parse_str("F").unwrap();
        assert_eq!(
            classify_callable(&names, &bounds, &f),
            Some(Returns {
                kind: Kind::Response,
                future: true
            })
        );
    }
}
