//! The command line (clap derive). Parsing only; `main.rs` runs the commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "anoniem",
    version,
    about = "Anonymises collected public social-media posts"
)]
pub struct Cli {
    /// Log format on stderr: `human` (default) or `json` (one object per
    /// line). Levels come from RUST_LOG (or ANONIEM_LOG), default `info`.
    #[arg(long, global = true, env = "ANONIEM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sanitise NDJSON records from a file or stdin to stdout.
    Anonymise(AnonymiseArgs),
    /// Validate a rule set and run its rule tests.
    Check(CheckArgs),
    /// Run the Kafka stage: consume, sanitise, produce, commit.
    Run(RunArgs),
    /// Run the stage on an in-process broker with the sample posts.
    Demo(DemoArgs),
    /// Load-test a running stage: produce generated posts, time them through.
    Load(LoadArgs),
    /// Preview a rule change: run two rule sets over the same NDJSON and
    /// show record by record what changes (exit 0: nothing, 1: changes).
    Diff(DiffArgs),
    /// Retention and erasure for what was already published: track the
    /// output topic and produce tombstones for items whose retention ran
    /// out or whose author is on the erasure list.
    Sweep(SweepArgs),
    /// Put an entry on a list fed from a compacted topic (`list_topics`),
    /// or remove it; every running stage applies it within seconds.
    Lists(ListsArgs),
}

#[derive(Debug, Args)]
pub struct ListsArgs {
    #[command(subcommand)]
    pub action: ListsAction,
}

#[derive(Debug, Subcommand)]
pub enum ListsAction {
    /// Put `source:id` on the list (a record with a value); waits for the
    /// broker's acknowledgement.
    Put(ListEntryArgs),
    /// Remove `source:id` from the list's topic (a tombstone); an entry in
    /// the list's file stays on the list.
    Remove(ListEntryArgs),
}

#[derive(Debug, Args)]
pub struct ListEntryArgs {
    /// The list, by its name in the rule set's [lists] (`erased_authors`).
    #[arg(long)]
    pub list: String,
    /// The list's topic; default: the list's topic in ANONIEM_LIST_TOPICS.
    #[arg(long)]
    pub topic: Option<String>,
    /// Bootstrap servers.
    #[arg(long, env = "ANONIEM_BROKERS")]
    pub brokers: String,
    /// How long to wait for the broker's acknowledgement.
    #[arg(long, default_value_t = 30_000, value_name = "MS")]
    pub timeout_ms: u64,
    /// The entry, `source:id`, as a line of the list file.
    pub entry: String,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Bootstrap servers.
    #[arg(long, env = "ANONIEM_BROKERS")]
    pub brokers: String,
    /// The stage's output topic (compacted).
    #[arg(long, env = "ANONIEM_OUTPUT_TOPIC")]
    pub output_topic: String,
    /// The sweeper's consumer group (its own, not the stage's).
    #[arg(long, env = "ANONIEM_SWEEP_GROUP_ID", default_value = "anoniem-sweep")]
    pub group_id: String,
    #[command(flatten)]
    pub rules: RulesArgs,
    #[command(flatten)]
    pub key: KeyArgs,
    /// The directory of this instance's state store (created if missing).
    #[arg(long, env = "ANONIEM_SWEEP_STORE", value_name = "DIR")]
    pub store: PathBuf,
    /// The erasure list's name in the rule set's [lists].
    #[arg(long, env = "ANONIEM_SWEEP_ERASURE_LIST", default_value = "erased_authors")]
    pub erasure_list: String,
    /// The erasure list's compacted topic (the stage's `list_topics` entry
    /// for it): its entries join the list file's, and a `lists put` is
    /// swept within seconds.
    #[arg(long, env = "ANONIEM_SWEEP_ERASURE_TOPIC", value_name = "TOPIC")]
    pub erasure_topic: Option<String>,
    /// How often the clock is read and due items are looked for (and the
    /// erasure list file looked at).
    #[arg(long, env = "ANONIEM_SWEEP_CHECK_INTERVAL_MS", default_value_t = 60_000)]
    pub check_interval_ms: u64,
    /// A fixed clock (RFC 3339), for tests and replays; default: the wall clock.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Forget the store and rebuild it from the beginning of the topic.
    #[arg(long)]
    pub rebuild: bool,
    /// Tombstones produced and not yet read back from the topic, at most.
    #[arg(long, env = "ANONIEM_SWEEP_MAX_IN_FLIGHT", default_value_t = 10_000)]
    pub max_in_flight: usize,
    /// The store's page cache in MiB (the store itself is on disk).
    #[arg(long, env = "ANONIEM_SWEEP_CACHE_MB", default_value_t = 64)]
    pub cache_mb: usize,
    /// Serve Prometheus metrics at http://ADDR/metrics.
    #[arg(long, env = "ANONIEM_SWEEP_METRICS_LISTEN", value_name = "ADDR")]
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// How long SIGTERM/SIGINT may take to flush the tombstones and commit.
    #[arg(long, env = "ANONIEM_SWEEP_SHUTDOWN_TIMEOUT_MS", default_value_t = 30_000)]
    pub shutdown_timeout_ms: u64,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The rule set in force.
    #[arg(long, value_name = "DIR")]
    pub rules: PathBuf,
    /// The changed rule set.
    #[arg(long, value_name = "DIR")]
    pub rules_new: PathBuf,
    #[command(flatten)]
    pub key: KeyArgs,
    /// The clock for retention rules (RFC 3339); default: now.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Also show the changed fields' values, before and after.
    #[arg(long)]
    pub values: bool,
    /// No summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// The NDJSON sample; default (or `-`): stdin.
    pub file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LoadArgs {
    #[arg(long, env = "ANONIEM_BROKERS")]
    pub brokers: String,
    #[arg(long, env = "ANONIEM_INPUT_TOPIC")]
    pub input_topic: String,
    #[arg(long, env = "ANONIEM_OUTPUT_TOPIC")]
    pub output_topic: String,
    /// How many generated posts to send.
    #[arg(long, default_value_t = 100_000)]
    pub records: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Records per second; 0 = as fast as the broker takes them.
    #[arg(long, default_value_t = 0)]
    pub rate: u64,
    /// Give up when the records are not through within this many seconds.
    #[arg(long, default_value_t = 600)]
    pub timeout_s: u64,
    /// The load producer's linger.ms.
    #[arg(long, default_value_t = 20)]
    pub linger_ms: u64,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The stage config (TOML); every key can also come from ANONIEM_<KEY>.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep running after the sample is through, to watch and produce more (Ctrl-C stops).
    #[arg(long)]
    pub follow: bool,
    /// Use this rule set instead of the built-in default one.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// The rule set directory.
    #[arg(long, env = "ANONIEM_RULES_DIR", default_value = "rules", value_name = "DIR")]
    pub rules: PathBuf,
}

#[derive(Debug, Args)]
pub struct KeyArgs {
    /// A file holding the pseudonym key (instead of ANONIEM_PSEUDONYM_KEY).
    #[arg(long, env = "ANONIEM_PSEUDONYM_KEY_FILE", value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AnonymiseArgs {
    #[command(flatten)]
    pub rules: RulesArgs,
    #[command(flatten)]
    pub key: KeyArgs,
    /// The clock for retention rules (RFC 3339), for tests and replays; default: now.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Say per record which rules changed which fields (JSON lines on stderr).
    #[arg(long)]
    pub explain: bool,
    /// Where rejected lines go (JSON lines with line number and reason); default: stderr.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// Worker threads; default: one per core.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Records larger than this are rejected unread.
    #[arg(long, default_value_t = 1024 * 1024, value_name = "BYTES")]
    pub max_record_bytes: usize,
    /// Records nested deeper than this (objects and arrays) are rejected.
    #[arg(long, default_value_t = 32, value_name = "LEVELS")]
    pub max_depth: usize,
    /// No progress or summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// The NDJSON input; default (or `-`): stdin.
    pub file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub rules: RulesArgs,
}
