//! The `anoniem` binary: parse the command line, set up logging, run the
//! command. `anyhow` lives here only.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;

use anoniem::cli::{
    AnonymiseArgs, CheckArgs, Cli, Command, DemoArgs, DiffArgs, ListsAction, ListsArgs, LoadArgs, LogFormat,
    RunArgs, SweepArgs,
};
use anoniem::config::Config;
use anoniem::engine::{Engine, Limits};
use anoniem::file::{self, Sinks, Summary};
use anoniem::{check, demo, key, load, metrics, rules, stream};
use tokio_util::sync::CancellationToken;

/// Exit status when some input lines were rejected (all others were written).
const EXIT_REJECTED: u8 = 3;
/// Exit status of `run` when shutdown ran out of time: records still in
/// flight were not committed and will be redone by the next run.
const EXIT_UNFINISHED: u8 = 75;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(cli.log_format);
    let result = match cli.command {
        Command::Anonymise(args) => anonymise(args),
        Command::Check(args) => check_rules(args),
        Command::Run(args) => run_stage(args),
        Command::Demo(args) => run_demo(args),
        Command::Load(args) => run_load(args),
        Command::Diff(args) => diff(args),
        Command::Sweep(args) => run_sweep(args),
        Command::Lists(args) => write_list_entry(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("anoniem: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr: levels from RUST_LOG (or ANONIEM_LOG), default
/// `info`; colour only on a terminal; JSON lines on request.
fn init_logs(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("RUST_LOG")
        .or_else(|_| EnvFilter::try_from_env("ANONIEM_LOG"))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_writer(io::stderr)
        .with_env_filter(filter);
    match format {
        LogFormat::Json => builder.json().with_ansi(false).init(),
        LogFormat::Human => builder.with_ansi(io::stderr().is_terminal()).init(),
    }
}

fn anonymise(args: AnonymiseArgs) -> Result<ExitCode> {
    let rules = rules::load(&args.rules.rules)?;
    let key = key::load(args.key.key_file.as_deref())?;
    let limits = Limits {
        max_record_bytes: args.max_record_bytes,
        max_depth: args.max_depth,
    };
    let engine = Engine::new(rules, key, limits)?;
    let now = match &args.now {
        Some(now) => now
            .parse()
            .with_context(|| format!("--now {now:?} is not an RFC 3339 timestamp"))?,
        None => jiff::Timestamp::now(),
    };
    let opts = file::Options {
        threads: args
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        now,
        explain: args.explain,
        batch_lines: 512,
    };

    let input: Box<dyn io::BufRead + Send> = match args.file.as_deref().filter(|p| *p != Path::new("-")) {
        Some(path) => Box::new(BufReader::with_capacity(
            256 * 1024,
            File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
        )),
        None => Box::new(BufReader::with_capacity(256 * 1024, io::stdin())),
    };
    let mut output = BufWriter::with_capacity(256 * 1024, io::stdout().lock());
    let mut errors: Box<dyn Write> = match &args.errors {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(io::stderr()),
    };
    let mut explain = io::stderr();
    let started = Instant::now();
    let mut last_progress = started;
    let show_progress = !args.quiet && io::stderr().is_terminal();
    let mut progress = |s: &Summary| {
        if show_progress && last_progress.elapsed() >= Duration::from_secs(2) {
            last_progress = Instant::now();
            let rate = s.records as f64 / started.elapsed().as_secs_f64();
            eprint!("\ranoniem: {} records, {:.0}/s   ", s.records, rate);
        }
    };
    let summary = file::run(
        &engine,
        input,
        Sinks {
            output: &mut output,
            errors: &mut errors,
            explain: &mut explain,
            progress: &mut progress,
        },
        &opts,
    )
    .context("file mode stopped")?;
    output.flush().context("cannot write the output")?;
    errors.flush().context("cannot write the errors")?;
    if !args.quiet {
        print_summary(&engine, &summary, started.elapsed());
    }
    Ok(if summary.rejected > 0 {
        ExitCode::from(EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    })
}

/// Exit status of `diff` when the two rule sets differ on the sample (as
/// diff(1): 0 the same, 1 different; any error is 2).
const EXIT_DIFFERENT: u8 = 1;
const EXIT_DIFF_TROUBLE: u8 = 2;

fn diff(args: DiffArgs) -> Result<ExitCode> {
    match diff_inner(&args) {
        Ok(code) => Ok(code),
        Err(e) => {
            eprintln!("anoniem diff: error: {e:#}");
            Ok(ExitCode::from(EXIT_DIFF_TROUBLE))
        }
    }
}

fn diff_inner(args: &DiffArgs) -> Result<ExitCode> {
    let old = rules::load(&args.rules).with_context(|| format!("rule set {}", args.rules.display()))?;
    let new =
        rules::load(&args.rules_new).with_context(|| format!("rule set {}", args.rules_new.display()))?;
    // Both sets pseudonymise with the same key; without one, the public
    // test key of `anoniem check` (a preview writes nothing anywhere).
    let key = key::load(args.key.key_file.as_deref())?.or_else(|| Some(check::test_key()));
    let limits = Limits::default();
    let (old, new) = (
        Engine::new(old, key.clone(), limits)?,
        Engine::new(new, key, limits)?,
    );
    let now = match &args.now {
        Some(now) => now
            .parse()
            .with_context(|| format!("--now {now:?} is not an RFC 3339 timestamp"))?,
        None => jiff::Timestamp::now(),
    };
    let input: Box<dyn io::BufRead> = match args.file.as_deref().filter(|p| *p != Path::new("-")) {
        Some(path) => Box::new(BufReader::new(
            File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
        )),
        None => Box::new(BufReader::new(io::stdin())),
    };
    let opts = file::diff::DiffOptions {
        now,
        values: args.values,
        max_record_bytes: limits.max_record_bytes,
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let summary = file::diff::run(&old, &new, input, &mut out, &opts).context("reading the sample")?;
    out.flush().context("cannot write the output")?;
    if !args.quiet {
        let mut err = io::stderr().lock();
        let _ = writeln!(
            err,
            "anoniem diff: {} records, {} changed: {} become tombstones, {} stop being tombstones, {} become rejected, {} stop being rejected; rule sets {} -> {}",
            summary.records,
            summary.changed,
            summary.became_tombstone,
            summary.stopped_being_tombstone,
            summary.became_rejected,
            summary.stopped_being_rejected,
            &old.rules_hash()[..12],
            &new.rules_hash()[..12],
        );
        for (field, n) in &summary.fields {
            let _ = writeln!(err, "  field {field}: {n} records");
        }
        let names: std::collections::BTreeSet<&String> = summary
            .hits_before
            .keys()
            .chain(summary.hits_after.keys())
            .collect();
        for name in names {
            let (b, a) = (
                summary.hits_before.get(name).copied().unwrap_or(0),
                summary.hits_after.get(name).copied().unwrap_or(0),
            );
            let mark = if a == b { "" } else { "  *" };
            let _ = writeln!(err, "  rule {name}: {b} -> {a}{mark}");
        }
    }
    Ok(if summary.any_change() {
        ExitCode::from(EXIT_DIFFERENT)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_summary(engine: &Engine, s: &Summary, took: Duration) {
    let mut err = io::stderr().lock();
    let _ = writeln!(
        err,
        "\ranoniem: {} records in, {} out ({} upserts, {} tombstones), {} rejected, in {:.2}s; rule set {}",
        s.records,
        s.upserts + s.tombstones,
        s.upserts,
        s.tombstones,
        s.rejected,
        took.as_secs_f64(),
        &engine.rules_hash()[..12],
    );
    for (i, n) in s.fired.iter().enumerate() {
        if *n > 0 {
            let _ = writeln!(err, "  {n:>10}  {}", engine.rule_name(i as u16));
        }
    }
}

fn check_rules(args: CheckArgs) -> Result<ExitCode> {
    let dir = &args.rules.rules;
    let rules = match rules::load(dir) {
        Ok(rules) => rules,
        Err(e) => {
            eprintln!("anoniem check: {:#}", anyhow::Error::from(e));
            return Ok(ExitCode::FAILURE);
        }
    };
    let count = rules.rules.len();
    let hash = rules.hash.clone();
    let engine = Engine::new(rules, Some(check::test_key()), Limits::default())?;
    let report = match check::run_tests(&engine, dir) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("anoniem check: {:#}", anyhow::Error::from(e));
            return Ok(ExitCode::FAILURE);
        }
    };
    for f in &report.failures {
        println!(
            "FAIL {}:{}: {}\n    {}",
            f.file.display(),
            f.line,
            f.name,
            f.message
        );
    }
    println!(
        "rule set {} ({} rules, hash {}): {} tests passed, {} failed",
        dir.display(),
        count,
        &hash[..12],
        report.passed,
        report.failures.len()
    );
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn run_stage(args: RunArgs) -> Result<ExitCode> {
    let config = Config::from_env(args.config.as_deref())?;
    let rules = rules::load(&config.rules_dir)?;
    let key = key::load(config.pseudonym_key_file.as_deref())?;
    let limits = Limits {
        max_record_bytes: config.max_record_bytes,
        max_depth: config.max_depth,
    };
    let engine = std::sync::Arc::new(Engine::new(rules, key, limits)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        if let Some(addr) = config.metrics_listen {
            metrics::serve_endpoints(addr)
                .await
                .map_err(|e| anyhow::anyhow!("cannot serve metrics on {addr}: {e}"))?;
        }
        let shutdown = CancellationToken::new();
        tokio::spawn(on_signal(shutdown.clone(), config.shutdown_timeout_ms));
        metrics::rules_in_force(engine.rules_hash(), None);
        let slot = stream::EngineSlot::new(engine);
        tokio::spawn(reload_on_hangup(slot.clone(), config.rules_dir.clone()));
        let _watcher = config
            .watch_rules
            .then(|| watch_rules(slot.clone(), config.rules_dir.clone()))
            .flatten();
        let report = stream::run(&config, slot, shutdown).await?;
        tracing::info!(
            received = report.received,
            delivered = report.delivered,
            clean = report.clean,
            "stage stopped"
        );
        Ok(if report.clean {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(EXIT_UNFINISHED)
        })
    })
}

/// Cancels on SIGTERM or SIGINT. Should the drain hang anyway (a broker
/// gone for good), a watchdog ends the process a little after the
/// shutdown timeout: nothing uncommitted is lost, the next run redoes it.
async fn on_signal(shutdown: CancellationToken, timeout_ms: u64) {
    wait_for_signal().await;
    tracing::info!("signal received: draining in-flight records");
    shutdown.cancel();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(timeout_ms) + Duration::from_secs(10));
        eprintln!("anoniem: shutdown took too long; exiting");
        std::process::exit(i32::from(EXIT_UNFINISHED));
    });
}

/// SIGHUP reloads the rule set: checked and tested first, swapped only if
/// it passes; otherwise the running set stays and the problems are logged.
async fn reload_on_hangup(slot: stream::EngineSlot, dir: std::path::PathBuf) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut hangup) = signal(SignalKind::hangup()) else {
        tracing::warn!("cannot listen for SIGHUP; rule reloads need a restart");
        return;
    };
    while hangup.recv().await.is_some() {
        reload_now(&slot, &dir).await;
    }
}

/// Watches the rules directory (lists too): a change reloads the rules as
/// SIGHUP does, once the files have been quiet for a moment (an editor
/// writes a file in several steps). The returned watcher must be kept.
fn watch_rules(slot: stream::EngineSlot, dir: std::path::PathBuf) -> Option<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    const QUIET: Duration = Duration::from_millis(500);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            let _ = tx.send(());
        }
    });
    let mut watcher = match watcher {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!(error = %e, "cannot watch the rules directory; reload with SIGHUP");
            return None;
        }
    };
    if let Err(e) = watcher.watch(&dir, RecursiveMode::Recursive) {
        tracing::warn!(error = %e, "cannot watch the rules directory; reload with SIGHUP");
        return None;
    }
    tokio::spawn(async move {
        while rx.recv().await.is_some() {
            while let Ok(Some(())) = tokio::time::timeout(QUIET, rx.recv()).await {}
            reload_now(&slot, &dir).await;
        }
    });
    tracing::info!("watching the rules directory for changes");
    Some(watcher)
}

/// Compiles and tests the rule set in `dir` and swaps it in if it passes;
/// otherwise the running set stays. Either way it is logged and counted.
async fn reload_now(slot: &stream::EngineSlot, dir: &std::path::Path) {
    let before = slot.get().rules_hash().to_owned();
    let (slot, dir) = (slot.clone(), dir.to_path_buf());
    // Compiling a rule set with large lists takes a while: off the async workers.
    let result = tokio::task::spawn_blocking(move || stream::reload::reload(&slot, &dir)).await;
    match result {
        Ok(Ok(hash)) => {
            metrics::rules_reloaded(true);
            metrics::rules_in_force(&hash, Some(before.as_str()).filter(|b| *b != hash));
            tracing::info!(rules = %&hash[..12], "rule set reloaded");
        }
        Ok(Err(e)) => {
            metrics::rules_reloaded(false);
            tracing::error!(error = %format!("{:#}", anyhow::Error::from(e)), "rule reload refused; the running rule set stays");
        }
        Err(e) => tracing::error!(error = %e, "rule reload failed"),
    }
}

async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        _ => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

fn run_demo(args: DemoArgs) -> Result<ExitCode> {
    let stop = CancellationToken::new();
    if args.follow {
        let stop = stop.clone();
        // Its own small runtime: the demo's runtime lives inside `demo::run`.
        std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
                rt.block_on(wait_for_signal());
            }
            stop.cancel();
        });
    }
    demo::run(args.rules.as_deref(), args.follow, stop)?;
    Ok(ExitCode::SUCCESS)
}

fn run_load(args: LoadArgs) -> Result<ExitCode> {
    let opts = load::LoadOptions {
        brokers: args.brokers,
        input_topic: args.input_topic,
        output_topic: args.output_topic,
        records: args.records,
        seed: args.seed,
        rate: args.rate,
        timeout: Duration::from_secs(args.timeout_s),
        linger_ms: args.linger_ms,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let r = runtime.block_on(load::run(&opts))?;
    let mb = r.bytes as f64 / 1e6;
    println!(
        "anoniem load: {} records, {:.1} MB, seed {}",
        r.records, mb, opts.seed
    );
    println!(
        "  produce to the input:      {:>10.0} records/s",
        r.rate(r.produce)
    );
    println!(
        "  through the stage:         {:>10.0} records/s  ({} repeats)",
        r.rate(r.through_stage),
        r.repeats
    );
    println!(
        "  read the input back alone: {:>10.0} records/s",
        r.rate(r.read_input)
    );
    println!(
        "  stage / produce: {:.2}   stage / plain read: {:.2}",
        r.produce.as_secs_f64() / r.through_stage.as_secs_f64(),
        r.read_input.as_secs_f64() / r.through_stage.as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `anoniem lists put|remove`: one entry to a list topic, acknowledged by
/// the broker, or exit 1. The entry is not echoed: it is personal data.
fn write_list_entry(args: ListsArgs) -> Result<ExitCode> {
    let (present, args) = match args.action {
        ListsAction::Put(a) => (true, a),
        ListsAction::Remove(a) => (false, a),
    };
    let topic = match args.topic {
        Some(topic) => topic,
        None => std::env::var("ANONIEM_LIST_TOPICS")
            .ok()
            .and_then(|raw| anoniem::config::parse_map(&raw))
            .and_then(|mut topics| topics.remove(&args.list))
            .with_context(|| {
                format!(
                    "no topic for list `{}`: pass --topic or set it in ANONIEM_LIST_TOPICS",
                    args.list
                )
            })?,
    };
    // The same ANONIEM_KAFKA_* passthrough (TLS, SASL) as the stage and the sweeper.
    let pass = anoniem::sweep::Passthrough::from_env(std::env::vars())?;
    let write = stream::lists::EntryWrite {
        brokers: args.brokers,
        topic,
        present,
        timeout: Duration::from_millis(args.timeout_ms.max(1)),
        properties: pass.common.into_iter().chain(pass.producer).collect(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let written = runtime
        .block_on(stream::lists::write_entry(&write, &args.entry))
        .with_context(|| format!("list `{}`", args.list))?;
    println!(
        "anoniem lists: {} list `{}` (topic {}, partition {}, offset {})",
        if present {
            "entry put on"
        } else {
            "entry removed from"
        },
        args.list,
        write.topic,
        written.partition,
        written.offset
    );
    Ok(ExitCode::SUCCESS)
}

fn run_sweep(args: SweepArgs) -> Result<ExitCode> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let mut opts = anoniem::sweep::SweepOptions::new(
        &args.brokers,
        &args.output_topic,
        args.rules.rules.clone(),
        args.store.clone(),
    );
    opts.group_id = args.group_id;
    opts.key = key::load(args.key.key_file.as_deref())?;
    opts.erasure_list = args.erasure_list;
    opts.erasure_topic = args.erasure_topic;
    opts.check_interval = Duration::from_millis(args.check_interval_ms.max(1));
    opts.now = match &args.now {
        Some(now) => Some(
            now.parse()
                .with_context(|| format!("--now {now:?} is not an RFC 3339 timestamp"))?,
        ),
        None => None,
    };
    opts.rebuild = args.rebuild;
    opts.max_in_flight = args.max_in_flight;
    opts.cache_bytes = args.cache_mb.max(1) << 20;
    opts.shutdown_timeout = Duration::from_millis(args.shutdown_timeout_ms);
    opts.kafka = anoniem::sweep::Passthrough::from_env(std::env::vars())?;

    let stop = CancellationToken::new();
    let reload = Arc::new(AtomicBool::new(false));
    // Signals and the metrics endpoint on a small runtime of their own; the
    // sweeper's loop is synchronous on this thread.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let _guard = runtime.enter();
    if let Some(addr) = args.metrics_listen {
        metrics::install_prometheus(addr)
            .map_err(|e| anyhow::anyhow!("cannot serve metrics on {addr}: {e}"))?;
    }
    {
        let (stop, reload) = (stop.clone(), reload.clone());
        let timeout_ms = args.shutdown_timeout_ms;
        std::thread::spawn(move || {
            use tokio::signal::unix::{SignalKind, signal};
            runtime.block_on(async move {
                let mut hangup = signal(SignalKind::hangup()).ok();
                let stopped = async {
                    wait_for_signal().await;
                };
                tokio::pin!(stopped);
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        Some(_) = async { match hangup.as_mut() { Some(h) => h.recv().await, None => std::future::pending().await } } => {
                            reload.store(true, Ordering::SeqCst);
                        }
                    }
                }
                tracing::info!("signal received: flushing tombstones and committing");
                stop.cancel();
                // As for `run`: should the flush hang anyway, end the process;
                // the store keeps every due item, the next start produces it.
                std::thread::sleep(Duration::from_millis(timeout_ms) + Duration::from_secs(10));
                eprintln!("anoniem sweep: shutdown took too long; exiting");
                std::process::exit(i32::from(EXIT_UNFINISHED));
            });
        });
    }
    let report = anoniem::sweep::run(&opts, stop, reload)?;
    Ok(if report.clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_UNFINISHED)
    })
}
