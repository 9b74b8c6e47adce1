//! The front-end's own lint, `unused_suppression`, beside the analyzer's catalogue.

use crate::lint::{Group, Level, Lint};
use crate::LINTS;

/// `unused_suppression`: a `// reqleak: allow(..)` comment that suppressed nothing (as rustc
/// reports an unfulfilled `#[expect]`), names an unknown lint, or is malformed.
pub static UNUSED_SUPPRESSION: Lint = Lint {
    name: "unused_suppression",
    default_level: Level::Warn,
    group: Group::Suspicious,
    summary: "a `// reqleak: allow(..)` comment that suppresses nothing",
    help: "remove the comment, or move it to the line before (or the end of) the flagged line",
    explanation: "### What it does
Flags a `// reqleak: allow(NAME, ...)` comment, or one name in it, that suppressed no \
finding: the lint does not fire on the line the comment covers (the line it ends, or the next \
line of code when the comment stands on its own line). Also flags names that are not lints \
and comments that start with `reqleak:` but do not have the `allow(..)` form.

### Why is this bad
A stale suppression hides the next real finding on that line, and a misspelled one hides \
nothing while looking as if it did. rustc reports an unfulfilled `#[expect(..)]` the same way.

### Example
```rust,ignore
// reqleak: allow(unconsumed_response)
let status = client.get(url).send().await?.text().await?;
```
Use instead:
```rust,ignore
let status = client.get(url).send().await?.text().await?;
```
",
};

/// The analyzer's catalogue followed by the front-end's lints.
pub fn all_lints() -> impl Iterator<Item = &'static Lint> {
    LINTS
        .iter()
        .copied()
        .chain(std::iter::once(&UNUSED_SUPPRESSION))
}

/// Like [`crate::find_lint`], including the front-end's lints.
pub fn find_any_lint(name: &str) -> Option<&'static Lint> {
    let bare = name.strip_prefix("reqleak::").unwrap_or(name);
    all_lints().find(|l| l.name == bare)
}
