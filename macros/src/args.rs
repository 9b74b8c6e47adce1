//! Parsing the options of `#[reqleak::check(..)]`.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Lit, Meta, Token};

/// What to do on a leak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Panic,
    Log,
}

/// The options of one attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    pub strict: bool,
    pub mode: Mode,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            strict: false,
            mode: Mode::Panic,
        }
    }
}

const EXPECTED: &str = "expected `strict` or `mode = \"panic\"` / `mode = \"log\"`";

/// Parses `strict`, `mode = "panic" | "log"` (comma-separated, each at most once).
pub fn parse(tokens: TokenStream) -> syn::Result<Args> {
    let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(tokens)?;
    let mut args = Args::default();
    let mut seen_strict = false;
    let mut seen_mode = false;
    for meta in metas {
        let path = meta.path();
        let Some(name) = path.get_ident().map(ToString::to_string) else {
            return Err(syn::Error::new_spanned(
                path,
                format!("unknown option of `#[reqleak::check]`; {EXPECTED}"),
            ));
        };
        match (name.as_str(), &meta) {
            ("strict", Meta::Path(p)) => {
                if seen_strict {
                    return Err(syn::Error::new_spanned(p, "`strict` is given twice"));
                }
                seen_strict = true;
                args.strict = true;
            }
            ("strict", other) => {
                return Err(syn::Error::new_spanned(
                    other,
                    "`strict` takes no value: write `#[reqleak::check(strict)]`",
                ));
            }
            ("mode", Meta::NameValue(nv)) => {
                if seen_mode {
                    return Err(syn::Error::new_spanned(&nv.path, "`mode` is given twice"));
                }
                seen_mode = true;
                args.mode = match &nv.value {
                    Expr::Lit(ExprLit {
                        lit: Lit::Str(s), ..
                    }) => match s.value().as_str() {
                        "panic" => Mode::Panic,
                        "log" => Mode::Log,
                        other => {
                            return Err(syn::Error::new_spanned(
                                s,
                                format!("unknown mode \"{other}\"; expected \"panic\" or \"log\""),
                            ))
                        }
                    },
                    other => {
                        return Err(syn::Error::new_spanned(
                            other,
                            "expected a string: `mode = \"panic\"` or `mode = \"log\"`",
                        ))
                    }
                };
            }
            ("mode", other) => {
                return Err(syn::Error::new_spanned(
                    other,
                    "`mode` takes a value: `mode = \"panic\"` or `mode = \"log\"`",
                ));
            }
            (_, _) => {
                return Err(syn::Error::new_spanned(
                    path,
                    format!("unknown option `{name}` of `#[reqleak::check]`; {EXPECTED}"),
                ));
            }
        }
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn empty_is_default() {
        assert_eq!(parse(quote!()).unwrap(), Args::default());
    }

    #[test]
    fn strict_and_mode() {
        let a = parse(quote!(strict, mode = "log")).unwrap();
        assert_eq!(
            a,
            Args {
                strict: true,
                mode: Mode::Log
            }
        );
    }

    #[test]
    fn errors_name_the_culprit() {
        let e = parse(quote!(stric)).unwrap_err().to_string();
        assert_eq!(
            e,
            "unknown option `stric` of `#[reqleak::check]`; expected `strict` or `mode = \"panic\"` / `mode = \"log\"`"
        );
        let e = parse(quote!(mode = "abort")).unwrap_err().to_string();
        assert_eq!(e, "unknown mode \"abort\"; expected \"panic\" or \"log\"");
        let e = parse(quote!(mode = 1)).unwrap_err().to_string();
        assert_eq!(
            e,
            "expected a string: `mode = \"panic\"` or `mode = \"log\"`"
        );
        let e = parse(quote!(strict, strict)).unwrap_err().to_string();
        assert_eq!(e, "`strict` is given twice");
    }
}
