//! File mode: NDJSON in, NDJSON out, one output line per record in input
//! order, on all cores.
//!
//! A reader thread cuts the input into batches; workers sanitise batches in
//! parallel; the calling thread writes the results in batch order. Each
//! batch travels with a one-shot channel for its result, and those channels
//! queue in input order, so ordering costs no sorting and the number of
//! batches in flight (hence memory) is bounded by the queue sizes.

pub mod diff;
mod explain;
mod reader;

use std::io::{self, BufRead, Write};
use std::thread;

use crossbeam_channel::{Receiver, bounded};
use jiff::Timestamp;
use serde::Serialize;

use crate::engine::{Engine, Outcome, Reject, Trace};
use crate::model::write::WriteJson;

pub use explain::write_explain;
pub use reader::{Batch, LineReader};

/// Appends the output line of file mode for an outcome, without the
/// newline: the sanitised record, or `{"id":...,"op":"delete"}` for a
/// tombstone.
pub fn write_line(outcome: &Outcome<'_>, out: &mut Vec<u8>) {
    #[derive(Serialize)]
    struct TombstoneLine<'r> {
        id: &'r str,
        op: &'static str,
    }
    match outcome {
        Outcome::Upsert(post) => post.write_json(out),
        Outcome::Tombstone { id, .. } => {
            // Serialising two strings to a Vec cannot fail.
            let _ = serde_json::to_writer(
                &mut *out,
                &TombstoneLine {
                    id: id.as_str(),
                    op: "delete",
                },
            );
        }
    }
}

/// How a file run goes.
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads; 1 runs everything on the calling thread.
    pub threads: usize,
    /// The clock for retention rules.
    pub now: Timestamp,
    /// Write which rules changed which fields, per record.
    pub explain: bool,
    pub batch_lines: usize,
}

/// Counts of a run.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub records: u64,
    pub upserts: u64,
    pub tombstones: u64,
    pub rejected: u64,
    /// Records each rule changed, by rule index.
    pub fired: Vec<u64>,
}

impl Summary {
    fn add(&mut self, other: &Summary) {
        self.records += other.records;
        self.upserts += other.upserts;
        self.tombstones += other.tombstones;
        self.rejected += other.rejected;
        if self.fired.len() < other.fired.len() {
            self.fired.resize(other.fired.len(), 0);
        }
        for (a, b) in self.fired.iter_mut().zip(&other.fired) {
            *a += b;
        }
    }
}

/// Where the results of a run go.
pub struct Sinks<'s> {
    pub output: &'s mut dyn Write,
    /// Rejected lines: `{"line":N,"kind":"...","reason":"..."}`.
    pub errors: &'s mut dyn Write,
    /// `--explain` lines.
    pub explain: &'s mut dyn Write,
    /// Called after each batch with the running totals.
    pub progress: &'s mut dyn FnMut(&Summary),
}

/// One batch's results, written by the calling thread in input order.
#[derive(Default)]
struct Done {
    output: Vec<u8>,
    errors: Vec<u8>,
    explain: Vec<u8>,
    summary: Summary,
}

/// Sanitises all of `input`.
pub fn run<R: BufRead + Send>(
    engine: &Engine,
    input: R,
    sinks: Sinks<'_>,
    opts: &Options,
) -> io::Result<Summary> {
    let max_line = engine.limits().max_record_bytes;
    let mut lines = LineReader::new(input, max_line, opts.batch_lines, 4 * 1024 * 1024);
    let mut total = Summary {
        fired: vec![0; engine.rule_count()],
        ..Summary::default()
    };
    let Sinks {
        output,
        errors,
        explain,
        progress,
    } = sinks;
    let mut write = |done: Done, total: &mut Summary| -> io::Result<()> {
        output.write_all(&done.output)?;
        errors.write_all(&done.errors)?;
        explain.write_all(&done.explain)?;
        total.add(&done.summary);
        progress(total);
        Ok(())
    };

    if opts.threads <= 1 {
        let mut trace = new_trace(opts);
        while let Some(batch) = lines.next_batch()? {
            write(process(engine, &batch, opts, &mut trace), &mut total)?;
        }
        return Ok(total);
    }

    let (jobs_tx, jobs_rx) = bounded::<(Batch, crossbeam_channel::Sender<Done>)>(opts.threads * 2);
    let (order_tx, order_rx) = bounded::<Receiver<Done>>(opts.threads * 4);
    thread::scope(|s| {
        let reader = s.spawn(move || -> io::Result<()> {
            while let Some(batch) = lines.next_batch()? {
                let (tx, rx) = bounded(1);
                // A closed channel means the writer stopped on an error; it reports it.
                if order_tx.send(rx).is_err() || jobs_tx.send((batch, tx)).is_err() {
                    break;
                }
            }
            Ok(())
        });
        for _ in 0..opts.threads {
            let jobs_rx = jobs_rx.clone();
            s.spawn(move || {
                let mut trace = new_trace(opts);
                for (batch, tx) in jobs_rx {
                    let _ = tx.send(process(engine, &batch, opts, &mut trace));
                }
            });
        }
        drop(jobs_rx);
        let mut written = Ok(());
        for rx in &order_rx {
            // A worker that died (it cannot panic on input, but still) drops
            // its sender; stop rather than skip records.
            let Ok(done) = rx.recv() else {
                written = Err(io::Error::other("a worker thread stopped"));
                break;
            };
            if let Err(e) = write(done, &mut total) {
                written = Err(e);
                break;
            }
        }
        drop(order_rx);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the reader thread stopped")));
        written.and(read)
    })?;
    Ok(total)
}

fn new_trace(opts: &Options) -> Trace {
    if opts.explain {
        Trace::explaining()
    } else {
        Trace::default()
    }
}

#[derive(Serialize)]
struct ErrorLine {
    line: u64,
    kind: &'static str,
    reason: String,
}

fn process(engine: &Engine, batch: &Batch, opts: &Options, trace: &mut Trace) -> Done {
    let mut done = Done {
        output: Vec::with_capacity(batch.data.len()),
        summary: Summary {
            fired: vec![0; engine.rule_count()],
            ..Summary::default()
        },
        ..Done::default()
    };
    for line in &batch.lines {
        done.summary.records += 1;
        let result = match line.oversized {
            Some(size) => Err(Reject::TooLarge {
                size,
                limit: engine.limits().max_record_bytes,
            }),
            None => engine.apply(batch.bytes(line), opts.now, trace),
        };
        match result {
            Ok(applied) => {
                write_line(&applied.outcome, &mut done.output);
                done.output.push(b'\n');
                if applied.outcome.is_tombstone() {
                    done.summary.tombstones += 1;
                } else {
                    done.summary.upserts += 1;
                }
                // One engine for the whole run: these indices are `engine`'s.
                for r in applied.fired() {
                    done.summary.fired[usize::from(*r)] += 1;
                }
                if opts.explain {
                    // Writing to a Vec cannot fail.
                    let _ = write_explain(line.number, batch.bytes(line), &applied, &mut done.explain);
                }
            }
            Err(reject) => {
                done.summary.rejected += 1;
                let _ = serde_json::to_writer(
                    &mut done.errors,
                    &ErrorLine {
                        line: line.number,
                        kind: reject.kind(),
                        reason: reject.to_string(),
                    },
                );
                done.errors.push(b'\n');
            }
        }
    }
    done
}
