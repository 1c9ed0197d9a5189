//! The engine's worker threads. The engine is CPU bound, so it runs on
//! plain threads, not on the async runtime; results come back through
//! one-shot channels that the partition tasks await in input order.
//!
//! The queue is unbounded on purpose: the stage's in-flight semaphores
//! bound how many jobs exist at all.

use std::thread::JoinHandle;

use crossbeam_channel::{Sender, unbounded};
use tokio::sync::oneshot;

use crate::engine::Trace;
use crate::metrics;

use super::output::{Job, Limits, Produce, process};
use super::reload::EngineSlot;

struct Task {
    job: Job,
    reply: oneshot::Sender<Produce>,
}

pub struct Pool {
    tx: Option<Sender<Task>>,
    threads: Vec<JoinHandle<()>>,
}

impl Pool {
    pub fn new(engine: EngineSlot, threads: usize, limits: Limits) -> std::io::Result<Pool> {
        let (tx, rx) = unbounded::<Task>();
        let mut handles = Vec::new();
        for i in 0..threads.max(1) {
            let rx = rx.clone();
            let slot = engine.clone();
            let handle = std::thread::Builder::new()
                .name(format!("anoniem-engine-{i}"))
                .spawn(move || {
                    let mut trace = Trace::default();
                    let mut counters: Option<metrics::EngineMetrics> = None;
                    for task in rx {
                        // The current rule set: a reload takes effect from the next record.
                        let engine = slot.get();
                        let started = std::time::Instant::now();
                        let done = process(&engine, &task.job, jiff::Timestamp::now(), &mut trace, &limits);
                        match &done.produce {
                            Produce::Output { tombstone, .. } => {
                                // Registered once per rule set, for the set that made this result.
                                let counters = match counters.take() {
                                    Some(c) if c.is_for(done.engine) => counters.insert(c),
                                    _ => counters.insert(metrics::EngineMetrics::new(done.engine)),
                                };
                                counters.sanitised(
                                    *tombstone,
                                    done.fired.as_slice(),
                                    done.found,
                                    started.elapsed(),
                                );
                            }
                            Produce::DeadLetter { kind, .. } => metrics::rejected(kind),
                        }
                        // The receiver is gone when its partition was revoked: nothing to do.
                        let _ = task.reply.send(done.produce);
                    }
                })?;
            handles.push(handle);
        }
        Ok(Pool {
            tx: Some(tx),
            threads: handles,
        })
    }

    /// Queues a job; the receiver yields what to produce for it.
    pub fn submit(&self, job: Job) -> oneshot::Receiver<Produce> {
        let (reply, rx) = oneshot::channel();
        if let Some(tx) = &self.tx {
            // Sending fails only when every worker has exited; the dropped
            // reply then tells the caller, which stops the stage.
            let _ = tx.send(Task { job, reply });
        }
        rx
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.tx.take();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}
