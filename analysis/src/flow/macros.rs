//! Macros: diverging ones exit, formatting and logging ones borrow their arguments (each
//! analyzed on its own), and what any other macro is given is "cannot tell".

use syn::spanned::Spanned;

use super::engine::{Engine, Exit, Release};
use super::mentions;
use super::state::{State, Value};
use super::vocabulary::{BORROWING_MACROS, DIVERGING_MACROS, LOG_MACROS};
use super::Outcome;

impl Engine<'_, '_> {
    pub(super) fn mac(&mut self, mac: &syn::Macro, state: &mut State) -> Value {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if DIVERGING_MACROS.contains(&name.as_str()) {
            let span = self.span(mac.path.span());
            self.exit(state, &[], Exit::Panic, span);
            state.reachable = false;
            return Value::default();
        }
        if name == "matches" {
            // `matches!(expr, pattern if guard)`: the expression is only looked at.
            if let Some(first) = macro_arguments(&mac.tokens).into_iter().next() {
                match syn::parse2::<syn::Expr>(first.clone()) {
                    Ok(expr) => {
                        self.expr(&expr, state);
                    }
                    Err(_) => {
                        let ids = self.mentioned_ids(&mentions::in_tokens(&first), state);
                        self.release(&ids, state, Release::Unknown);
                    }
                }
            }
            return Value::default();
        }
        if name == "dbg" {
            // `dbg!(resp)` prints its argument and hands it back (`dbg!(a, b)`: a tuple).
            let args = macro_arguments(&mac.tokens);
            if let [only] = &args[..] {
                if let Ok(expr) = syn::parse2::<syn::Expr>(only.clone()) {
                    return self.expr(&expr, state);
                }
            }
        }
        if BORROWING_MACROS.contains(&name.as_str()) {
            // Each argument on its own, so that one the parser cannot read (a tracing
            // `target: ..`) leaves the others analyzed; what it mentions is "cannot tell".
            for arg in macro_arguments(&mac.tokens) {
                match syn::parse2::<syn::Expr>(arg.clone()) {
                    Ok(syn::Expr::Assign(assign)) => {
                        self.expr(&assign.right, state);
                    }
                    Ok(expr) => {
                        self.expr(&expr, state);
                    }
                    Err(_) => {
                        let ids = self.mentioned_ids(&mentions::in_tokens(&arg), state);
                        self.release(&ids, state, Release::Unknown);
                    }
                }
            }
            if name == "ensure" {
                let span = self.span(mac.path.span());
                self.exit(state, &[], Exit::Panic, span);
            }
            if LOG_MACROS.contains(&name.as_str()) {
                let span = self.span(mac.path.span());
                self.mark_outcome(state, Outcome::Log, span);
            }
            return Value::default();
        }
        if matches!(name.as_str(), "stream" | "try_stream") {
            // async-stream's `stream! { .. }` and `try_stream! { .. }`: a body of statements
            // run as the stream is polled, as an `async move` block's.
            let tokens = &mac.tokens;
            if let Ok(block) = syn::parse2::<syn::Block>(quote::quote!({ #tokens })) {
                let body = syn::ExprAsync {
                    attrs: Vec::new(),
                    async_token: Default::default(),
                    capture: Some(Default::default()),
                    block,
                };
                self.async_block(&body, state);
                return Value::default();
            }
        }
        // A macro the walk does not know may hide an await (`join!`, `select!`).
        self.waits_elsewhere = true;
        if self.cx.crate_map.macros.contains(&name) {
            if let Some(value) = self.crate_macro(mac, state) {
                return value;
            }
        }
        // Any other macro: cannot tell what it does with a response it is given.
        let ids = self.mentioned_ids(&mentions::in_tokens(&mac.tokens), state);
        self.release(&ids, state, Release::Unknown);
        Value::default()
    }
}

impl Engine<'_, '_> {
    /// A call of one of the crate's own `macro_rules!` macros whose arguments parse as
    /// expressions (`block_on!(client.get(u).send())`): each is analyzed where it is written,
    /// so that the requests they send are sources. The call's value is its one argument's (a
    /// macro that wraps an expression to run it); with several, what the macro makes of each
    /// is not known. So is what it does with a response that existed before the call
    /// (`check!(resp)`). `None` when the arguments are not expressions.
    fn crate_macro(&mut self, mac: &syn::Macro, state: &mut State) -> Option<Value> {
        let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        let args = mac.parse_body_with(parser).ok()?;
        let existing = self.mentioned_ids(&mentions::in_tokens(&mac.tokens), state);
        let mut value = match args.len() {
            1 => args
                .first()
                .map(|arg| self.expr(arg, state))
                .unwrap_or_default(),
            _ => {
                for arg in &args {
                    let value = self.expr(arg, state);
                    self.release(&value.ids, state, Release::Unknown);
                }
                Value::default()
            }
        };
        self.release(&existing, state, Release::Unknown);
        value.ids.retain(|id| !existing.contains(id));
        Some(value)
    }
}

/// A formatting or logging macro's arguments, split at top-level commas, with tracing's field
/// sigils (`%value`, `?value`, `name = %value`) removed so that each parses as an expression.
fn macro_arguments(tokens: &proc_macro2::TokenStream) -> Vec<proc_macro2::TokenStream> {
    use proc_macro2::TokenTree;
    let mut arguments = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut flush = |current: &mut Vec<TokenTree>| {
        if !current.is_empty() {
            arguments.push(current.drain(..).collect());
        }
    };
    for token in tokens.clone() {
        if let TokenTree::Punct(punct) = &token {
            let previous_is_start = match current.last() {
                None => true,
                Some(TokenTree::Punct(previous)) => {
                    previous.as_char() == '=' && previous.spacing() == proc_macro2::Spacing::Alone
                }
                Some(_) => false,
            };
            match punct.as_char() {
                ',' => {
                    flush(&mut current);
                    continue;
                }
                '%' | '?' if previous_is_start => continue,
                _ => {}
            }
        }
        current.push(token);
    }
    flush(&mut current);
    arguments
}
