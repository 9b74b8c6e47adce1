//! Lint levels: the catalogue's defaults, then `[workspace.metadata.reqleak.lints]`, then
//! `[package.metadata.reqleak.lints]`, then `-A/-W/-D` in command-line order (later wins).
//!
//! `forbid` is `deny` that nothing later lowers: a later flag or table entry that names a
//! forbidden lint (or its group) leaves it forbidden, and so does a suppression comment.
//!
//! A name is a lint (`unconsumed_response` or `reqleak::unconsumed_response`), a group
//! (`pedantic`, ...) or `warnings`. Inside one Cargo.toml table, groups apply before lints, so
//! `pedantic = "warn"` with `response_field = "allow"` means what it says. `warnings` is not a
//! level of its own but a modifier applied last, as in rustc: `-D warnings` turns every lint
//! that ends up at `warn` into an error, `-A warnings` silences them.

use std::collections::HashMap;
use std::fmt;

use reqleak_analysis::lint::{Group, Level, Lint};

use reqleak_analysis::{find_lint, renamed_lint, LINTS};

/// Where a lint's level was set; explained in the diagnostic's note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The catalogue's default.
    Default,
    /// `-A/-W/-D NAME` on the command line.
    CommandLine {
        /// The flag as written, `-D pedantic`.
        flag: String,
    },
    /// A `[*.metadata.reqleak.lints]` table.
    Manifest {
        /// `workspace` or `package`.
        table: &'static str,
        /// Display path of the Cargo.toml.
        manifest: String,
        /// The key that set it.
        key: String,
    },
}

/// What a level setting applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// One lint.
    Lint(&'static Lint),
    /// A group.
    Group(Group),
    /// The `warnings` pseudo-group.
    Warnings,
}

/// A name that is not a lint, a group or `warnings`.
#[derive(Debug, PartialEq, Eq)]
pub struct UnknownName {
    /// The name as written.
    pub name: String,
    /// The closest known name.
    pub closest: &'static str,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown lint `{}`: did you mean `{}`? (`cargo reqleak --list` shows every lint)",
            self.name, self.closest
        )
    }
}

/// The note for a renamed lint's old name, as clippy's `renamed_and_removed_lints` says it; `where_`
/// says where the name was read.
pub fn rename_note(name: &str, where_: &str) -> Option<String> {
    let new = renamed_lint(name)?;
    let old = name.strip_prefix("reqleak::").unwrap_or(name);
    Some(format!(
        "note: lint `{old}` has been renamed to `{new}` ({where_}): it still applies; use the new name"
    ))
}

/// The rename notes for the lint names of one `[*.metadata.reqleak.lints]` table.
pub fn rename_notes_in_manifest(metadata: &serde_json::Value, table: &str, manifest: &str) -> Vec<String> {
    let Some(lints) = metadata
        .get("reqleak")
        .and_then(|reqleak| reqleak.get("lints"))
        .and_then(|lints| lints.as_object())
    else {
        return Vec::new();
    };
    lints
        .keys()
        .filter_map(|key| {
            rename_note(key, &format!("in `[{table}.metadata.reqleak.lints]` of `{manifest}`"))
        })
        .collect()
}

/// Resolves a lint, group or `warnings` name.
pub fn resolve(name: &str) -> Result<Target, UnknownName> {
    if name == "warnings" {
        return Ok(Target::Warnings);
    }
    if let Some(lint) = find_lint(name) {
        return Ok(Target::Lint(lint));
    }
    let bare = name.strip_prefix("reqleak::").unwrap_or(name);
    if let Some(group) = Group::ALL.iter().find(|g| g.as_str() == bare) {
        return Ok(Target::Group(*group));
    }
    Err(UnknownName {
        name: name.to_string(),
        closest: closest_name(bare),
    })
}

/// The known name (lint, group or `warnings`) closest to `name`.
pub fn closest_name(name: &str) -> &'static str {
    let mut candidates: Vec<&'static str> = LINTS.iter().map(|l| l.name).collect();
    candidates.extend(Group::ALL.iter().map(|g| g.as_str()));
    candidates.push("warnings");
    // Jaro-Winkler favours a shared prefix: `leaked` is closest to `leaked_response`.
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .max_by(|(a, x), (b, y)| a.total_cmp(b).then_with(|| y.cmp(x)))
        .map(|(_, c)| c)
        .unwrap_or("warnings")
}

/// The level of every lint, with where it came from.
#[derive(Clone, Debug)]
pub struct Levels {
    lints: HashMap<&'static str, (Level, Origin)>,
    warnings: Option<(Level, Origin)>,
}

impl Default for Levels {
    fn default() -> Self {
        Levels {
            lints: LINTS
                .iter()
                .map(|l| (l.name, (l.default_level, Origin::Default)))
                .collect(),
            warnings: None,
        }
    }
}

impl Levels {
    /// Sets `target` to `level`, except for the lints that are already forbidden.
    pub fn set(&mut self, target: Target, level: Level, origin: Origin) {
        match target {
            Target::Lint(lint) => self.set_lint(lint, level, origin),
            Target::Group(group) => {
                for lint in LINTS.iter().filter(|l| l.group == group) {
                    self.set_lint(lint, level, origin.clone());
                }
            }
            Target::Warnings => {
                if !matches!(self.warnings, Some((Level::Forbid, _))) {
                    self.warnings = Some((level, origin));
                }
            }
        }
    }

    fn set_lint(&mut self, lint: &'static Lint, level: Level, origin: Origin) {
        if self.level(lint).0 != Level::Forbid {
            self.lints.insert(lint.name, (level, origin));
        }
    }

    /// The effective level of `lint` and where it came from.
    pub fn level(&self, lint: &'static Lint) -> (Level, Origin) {
        let (level, origin) = self
            .lints
            .get(lint.name)
            .cloned()
            .unwrap_or((lint.default_level, Origin::Default));
        match (&self.warnings, level) {
            (Some((modifier, by)), Level::Warn) => (*modifier, by.clone()),
            _ => (level, origin),
        }
    }

    /// Applies one `[*.metadata.reqleak.lints]` table (`metadata` is the package's or the
    /// workspace's `metadata` value). Groups first, then `warnings`, then lints.
    pub fn apply_manifest(
        &mut self,
        metadata: &serde_json::Value,
        table: &'static str,
        manifest: &str,
    ) -> Result<(), String> {
        let Some(reqleak) = metadata.get("reqleak") else {
            return Ok(());
        };
        let Some(lints) = reqleak.get("lints") else {
            return Ok(());
        };
        let where_ = format!("`[{table}.metadata.reqleak.lints]` of `{manifest}`");
        let Some(lints) = lints.as_object() else {
            return Err(format!("{where_} must be a table of `lint = \"level\"`"));
        };
        let mut settings = Vec::new();
        for (key, value) in lints {
            let target = resolve(key).map_err(|e| format!("{e} (in {where_})"))?;
            let level = value.as_str().and_then(Level::parse).ok_or_else(|| {
                format!(
                    "invalid level {value} for `{key}` in {where_}: expected \"allow\", \"warn\", \"deny\" or \"forbid\""
                )
            })?;
            let rank = match target {
                Target::Group(_) => 0,
                Target::Warnings => 1,
                Target::Lint(_) => 2,
            };
            settings.push((rank, key.clone(), target, level));
        }
        settings.sort_by_key(|(rank, _, _, _)| *rank);
        for (_, key, target, level) in settings {
            let origin = Origin::Manifest {
                table,
                manifest: manifest.to_string(),
                key,
            };
            self.set(target, level, origin);
        }
        Ok(())
    }

    /// Applies the command line's `-A/-W/-D/-F` flags, in order.
    pub fn apply_command_line(&mut self, flags: &[(Level, String)]) -> Result<(), UnknownName> {
        for (level, name) in flags {
            let target = resolve(name)?;
            let origin = Origin::CommandLine {
                flag: format!("-{} {name}", flag_letter(*level)),
            };
            self.set(target, *level, origin);
        }
        Ok(())
    }
}

/// The command-line letter of a level: `A`, `W`, `D`, `F`.
pub fn flag_letter(level: Level) -> char {
    match level {
        Level::Allow => 'A',
        Level::Warn => 'W',
        Level::Deny => 'D',
        Level::Forbid => 'F',
    }
}

/// The note attached to a lint's first diagnostic, saying why it is at this level, in
/// reqleak's terms (rustc rejects a `#[warn(reqleak::..)]` attribute, so none is suggested):
/// `` `reqleak::x` is warn by default ``, `` `reqleak::x` set to deny by `-D warnings` on
/// the command line ``, or the `Cargo.toml` entry that set it.
pub fn origin_note(lint: &Lint, level: Level, origin: &Origin) -> String {
    let code = lint.code();
    match origin {
        Origin::Default => format!("`{code}` is {level} by default"),
        Origin::CommandLine { flag } => {
            format!("`{code}` set to {level} by `{flag}` on the command line")
        }
        Origin::Manifest {
            table,
            manifest,
            key,
        } => format!(
            "`{code}` set to {level} by `{key} = \"{level}\"` in `[{table}.metadata.reqleak.lints]` of `{manifest}`"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqleak_analysis::find_lint;

    fn lint(name: &str) -> &'static Lint {
        find_lint(name).unwrap()
    }

    #[test]
    fn later_command_line_flags_win() {
        let mut levels = Levels::default();
        levels
            .apply_command_line(&[
                (Level::Allow, "unconsumed_response".into()),
                (Level::Deny, "reqleak::unconsumed_response".into()),
            ])
            .unwrap();
        assert_eq!(levels.level(lint("unconsumed_response")).0, Level::Deny);
    }

    #[test]
    fn warnings_modifies_only_lints_at_warn() {
        let mut levels = Levels::default();
        levels
            .apply_command_line(&[(Level::Deny, "warnings".into())])
            .unwrap();
        assert_eq!(levels.level(lint("unconsumed_response")).0, Level::Deny);
        assert_eq!(levels.level(lint("response_field")).0, Level::Allow);
    }

    #[test]
    fn groups_apply_before_lints_in_a_table() {
        let mut levels = Levels::default();
        let table = serde_json::json!({"reqleak": {"lints": {
            "response_field": "allow", "pedantic": "deny"
        }}});
        levels
            .apply_manifest(&table, "package", "Cargo.toml")
            .unwrap();
        assert_eq!(levels.level(lint("response_field")).0, Level::Allow);
        assert_eq!(levels.level(lint("unbounded_body_read")).0, Level::Deny);
    }

    #[test]
    fn unknown_names_suggest_the_closest() {
        assert_eq!(
            resolve("unconsumed_responses").unwrap_err().closest,
            "unconsumed_response"
        );
        assert_eq!(resolve("pedantik").unwrap_err().closest, "pedantic");
    }
}
