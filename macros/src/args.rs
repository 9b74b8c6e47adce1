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
    /// `max_body = "8 MiB"`, in bytes (0: not given).
    pub max_body: u64,
    /// `pool`: report sites that build a client per request.
    pub pool: bool,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            strict: false,
            mode: Mode::Panic,
            max_body: 0,
            pool: false,
        }
    }
}

const EXPECTED: &str =
    "expected `strict`, `pool`, `mode = \"panic\"` / `mode = \"log\"` or `max_body = \"8 MiB\"`";

/// Parses a size: a whole number with an optional unit, `B`, `KB`/`MB`/`GB` (powers of 1000) or
/// `KiB`/`MiB`/`GiB` (powers of 1024), case-insensitive, with or without a space.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let number: u64 = text[..digits].parse().ok()?;
    let factor: u64 = match text[digits..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "mb" => 1000 * 1000,
        "gb" => 1000 * 1000 * 1000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(factor).filter(|&n| n > 0)
}

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
            ("pool", Meta::Path(p)) => {
                if args.pool {
                    return Err(syn::Error::new_spanned(p, "`pool` is given twice"));
                }
                args.pool = true;
            }
            ("pool", other) => {
                return Err(syn::Error::new_spanned(
                    other,
                    "`pool` takes no value: write `#[reqleak::check(pool)]`",
                ));
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
            ("max_body", Meta::NameValue(nv)) => {
                if args.max_body != 0 {
                    return Err(syn::Error::new_spanned(
                        &nv.path,
                        "`max_body` is given twice",
                    ));
                }
                let Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) = &nv.value
                else {
                    return Err(syn::Error::new_spanned(
                        &nv.value,
                        "expected a string: `max_body = \"8 MiB\"`",
                    ));
                };
                args.max_body = parse_size(&s.value()).ok_or_else(|| {
                    syn::Error::new_spanned(
                        s,
                        "expected a size above zero: a whole number and a unit, `B`, `KB`, `MB`, `GB`, `KiB`, `MiB` or `GiB` (`\"8 MiB\"`)",
                    )
                })?;
            }
            ("max_body", other) => {
                return Err(syn::Error::new_spanned(
                    other,
                    "`max_body` takes a value: `max_body = \"8 MiB\"`",
                ));
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
                mode: Mode::Log,
                max_body: 0,
                pool: false,
            }
        );
        let a = parse(quote!(max_body = "8 MiB")).unwrap();
        assert_eq!(a.max_body, 8 << 20);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("8 MiB"), Some(8 << 20));
        assert_eq!(parse_size("10kb"), Some(10_000));
        assert_eq!(parse_size("1024"), Some(1024));
        assert_eq!(parse_size(" 2 GiB "), Some(2 << 30));
        for bad in ["", "MiB", "0", "8 MiBs", "-1 B", "1.5 MiB"] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
    }

    #[test]
    fn errors_name_the_culprit() {
        let e = parse(quote!(stric)).unwrap_err().to_string();
        assert_eq!(
            e,
            "unknown option `stric` of `#[reqleak::check]`; expected `strict`, `pool`, `mode = \"panic\"` / `mode = \"log\"` or `max_body = \"8 MiB\"`"
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
