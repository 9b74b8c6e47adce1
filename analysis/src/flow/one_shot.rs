//! One-shot code: what runs once per run of a process, so that a response it drops unread
//! or holds costs one connection, once, right before the process exits (the review rubric's
//! "one-shot processes": a `main`, a CLI command, a build step).
//!
//! A binary's `main` and a build script's `main` are one-shot. So is a function of the crate
//! whose every call is made by one-shot code, outside any loop, per-item closure or per-item
//! task, when nothing out of the crate's sight can call it: it is no public API of a library,
//! no trait method (called through the trait), no handler or framework command, carries no
//! attribute macro, and is never used as a value (a callback may run any number of times).
//!
//! A library's public function that the package's own binary calls is a command of that
//! binary (a CLI whose commands live in its library, `jira_cli::config::init(..)` from
//! `main`), and one that such a command calls is a subcommand: it is read as the package's own
//! code, one-shot when every call of it is. This is
//! a judgement: another crate may depend on the library and call it in a loop, out of sight,
//! but the package says what the function is for by calling it from its `main`. Only the
//! package's one program says so: its single binary built by default. An optional binary
//! (built only with `required-features` the package does not enable by default, the CLI of an
//! SDK) says nothing of that, nor does each of several binaries (an SDK's demos shipped as
//! `src/bin/*.rs`, each calling the API it shows once).

use super::{CallKind, FnFacts};
use crate::model::crate_map::{CrateMap, Owner};
use crate::model::place::TargetKind;

/// Whether each function of the crate (by [`crate::model::crate_map::FnId`]) is one-shot,
/// from the calls of each (`fns`, by the same ids).
pub fn one_shot_fns(map: &CrateMap, fns: &[FnFacts]) -> Vec<bool> {
    let count = map.fns.len().min(fns.len());
    // Every call of each function: (caller, made once per item, what the call is).
    let mut calls_of: Vec<Vec<(usize, bool, CallKind)>> = vec![Vec::new(); count];
    let mut used_as_value = vec![false; count];
    for (caller, facts) in fns.iter().enumerate().take(count) {
        for call in &facts.calls {
            if let Some(calls) = calls_of.get_mut(call.callee) {
                calls.push((caller, call.repeated, call.kind));
            }
        }
        // A use that is no call of it (`spawn(run)`, a callback): run who knows how often.
        for pass in &facts.passes {
            if pass.callee < count && !facts.calls.iter().any(|call| call.callee == pass.callee) {
                used_as_value[pass.callee] = true;
            }
        }
    }
    let mut one_shot: Vec<bool> = (0..count)
        .map(|id| {
            let def = &map.fns[id];
            let kind = map.targets[def.target].kind;
            def.outline.name == "main"
                && def.outline.owner == Owner::Free
                && def.outline.parent.is_none()
                && def.outline.module.is_empty()
                && matches!(kind, TargetKind::Bin | TargetKind::BuildScript)
        })
        .collect();
    // The package's program: its one binary built by default. Several are a suite of programs
    // over the library (an SDK's demos), none of which says what the library is for.
    let default_binary = |target: &crate::model::crate_map::Target| {
        target.kind == TargetKind::Bin && !target.optional
    };
    let one_program = map.targets.iter().filter(|t| default_binary(t)).count() == 1;
    // Called by the package's program, or by a command of it (a subcommand's `run`).
    let claimed = |id: usize, one_shot: &[bool]| {
        one_program
            && calls_of[id].iter().any(|&(caller, ..)| {
                let target = &map.targets[map.fns[caller].target];
                default_binary(target) || (one_shot[caller] && target.kind == TargetKind::Lib)
            })
    };
    // Read once: the fixpoint below asks on every round.
    let public: Vec<bool> = (0..count).map(|id| map.is_public_api(id)).collect();
    let callable_from_outside = |id: usize, one_shot: &[bool]| {
        let def = &map.fns[id];
        let outline = &def.outline;
        let kind = map.targets[def.target].kind;
        let public_api = public[id] && !claimed(id, one_shot);
        matches!(
            outline.owner,
            Owner::Trait { .. }
                | Owner::Impl {
                    trait_name: Some(_),
                    ..
                }
        ) || (outline.is_pub && kind == TargetKind::Lib && public_api)
            || outline.handler_attr
            || outline.macro_attr
            || outline.command_attr
            || used_as_value[id]
    };
    loop {
        let mut grew = false;
        for id in 0..count {
            if one_shot[id] || calls_of[id].is_empty() || callable_from_outside(id, &one_shot) {
                continue;
            }
            let once = calls_of[id].iter().all(|&(caller, repeated, kind)| {
                one_shot[caller] && !repeated && kind == CallKind::Call && caller != id
            });
            if once {
                one_shot[id] = true;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    one_shot
}
