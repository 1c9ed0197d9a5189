//! Reloading the rule set while the stage runs (SIGHUP): the new set is
//! compiled and its rule tests run first; only a set that passes replaces
//! the running one, from the next record on. Output headers name the rule
//! set that made each record, so the switch is visible downstream.

use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};

use crate::check;
use crate::engine::{Engine, EngineError};
use crate::rules::{self, RulesError};

/// The engine in use, shared by the worker threads.
#[derive(Clone)]
pub struct EngineSlot(Arc<RwLock<Arc<Engine>>>);

impl EngineSlot {
    pub fn new(engine: Arc<Engine>) -> EngineSlot {
        EngineSlot(Arc::new(RwLock::new(engine)))
    }

    /// The current engine (an `Arc` clone: the lock is held for no longer).
    pub fn get(&self) -> Arc<Engine> {
        Arc::clone(&self.0.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn replace(&self, engine: Arc<Engine>) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = engine;
    }
}

impl From<Arc<Engine>> for EngineSlot {
    fn from(engine: Arc<Engine>) -> EngineSlot {
        EngineSlot::new(engine)
    }
}

/// Why a reload was refused; the running rule set stays.
#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    #[error("the new rule set is invalid")]
    Rules(#[from] RulesError),
    #[error("the new rule set cannot run")]
    Engine(#[from] EngineError),
    #[error("{failed} rule test(s) of the new rule set failed: {first}")]
    Tests { failed: usize, first: String },
}

/// Loads `dir`, checks it, runs its rule tests, and puts it in `slot`.
/// Returns the new rule set's hash.
///
/// The set is compiled once: the tests run on that object (with the public
/// test key, which their pseudonyms are made with, and the production
/// limits) and the same object is deployed, so a file saved in between
/// cannot go live untested.
pub fn reload(slot: &EngineSlot, dir: &Path) -> Result<String, ReloadError> {
    let rules = Arc::new(rules::load(dir)?);
    let current = slot.get();
    let tested = Engine::shared(Arc::clone(&rules), Some(check::test_key()), *current.limits())?;
    let report = check::run_tests(&tested, dir)?;
    if let Some(f) = report.failures.first() {
        return Err(ReloadError::Tests {
            failed: report.failures.len(),
            first: format!("{}: {}", f.name, f.message.lines().next().unwrap_or_default()),
        });
    }
    let engine = current.with_shared_rules(rules)?;
    debug_assert!(Arc::ptr_eq(engine.rule_set(), tested.rule_set()));
    let hash = engine.rules_hash().to_owned();
    slot.replace(Arc::new(engine));
    Ok(hash)
}
