//! Reloading the rule set while the stage runs (SIGHUP): the new set is
//! compiled and its rule tests run first; only a set that passes replaces
//! the running one, from the next record on. Output headers name the rule
//! set that made each record, so the switch is visible downstream.
//!
//! Lists fed from topics are not part of the rule files: the slot keeps
//! their overlays and attaches them to each new rule set, after its rule
//! tests ran (on the file part alone, so the tests stay deterministic) and
//! before it goes live.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use crate::check;
use crate::engine::{Engine, EngineError};
use crate::rules::{self, RulesError};

use super::lists::{self, ListTopicError, ListTopics};

/// The engine in use, shared by the worker threads, and the list topics
/// that every rule set put here is attached to.
#[derive(Clone)]
pub struct EngineSlot {
    engine: Arc<RwLock<Arc<Engine>>>,
    lists: Arc<Mutex<Option<Arc<ListTopics>>>>,
}

impl EngineSlot {
    pub fn new(engine: Arc<Engine>) -> EngineSlot {
        EngineSlot {
            engine: Arc::new(RwLock::new(engine)),
            lists: Arc::default(),
        }
    }

    /// The current engine (an `Arc` clone: the lock is held for no longer).
    pub fn get(&self) -> Arc<Engine> {
        Arc::clone(&self.engine.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn replace(&self, engine: Arc<Engine>) {
        *self.engine.write().unwrap_or_else(PoisonError::into_inner) = engine;
    }

    /// From now on, reloads attach these list topics. A slot that follows
    /// lists already (a stage run again on it) keeps its overlays, which
    /// its rule set holds, if the config names the same lists and topics.
    pub fn follow_lists(&self, topics: ListTopics) -> Result<Arc<ListTopics>, ListTopicError> {
        let mut slot = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        match &*slot {
            Some(current) if current.same_config(&topics) => Ok(Arc::clone(current)),
            Some(_) => Err(ListTopicError::Changed),
            None => Ok(Arc::clone(slot.insert(Arc::new(topics)))),
        }
    }

    fn lists(&self) -> Option<Arc<ListTopics>> {
        self.lists.lock().unwrap_or_else(PoisonError::into_inner).clone()
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
    #[error("the new rule set does not fit the list topics")]
    Lists(#[from] ListTopicError),
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
    let topics = slot.lists();
    if let Some(topics) = &topics {
        // Before the tests: a set that drops a list a topic feeds cannot go live anyway.
        topics.check(&rules)?;
    }
    let current = slot.get();
    let tested = Engine::shared(Arc::clone(&rules), Some(check::test_key()), *current.limits())?;
    let report = check::run_tests(&tested, dir)?;
    if let Some(f) = report.failures.first() {
        return Err(ReloadError::Tests {
            failed: report.failures.len(),
            first: format!("{}: {}", f.name, f.message.lines().next().unwrap_or_default()),
        });
    }
    // The topic parts of the lists join after the tests, before going live.
    if let Some(topics) = topics {
        topics.attach(&rules)?;
    }
    let engine = current.with_shared_rules(rules)?;
    debug_assert!(Arc::ptr_eq(engine.rule_set(), tested.rule_set()));
    lists::report_sizes(engine.rules());
    let hash = engine.rules_hash().to_owned();
    slot.replace(Arc::new(engine));
    Ok(hash)
}
