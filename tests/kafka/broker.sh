#!/usr/bin/env bash
# A real Apache Kafka broker for the tests: one KRaft process that is broker
# and controller at once, on free loopback ports, with its log directory and
# logs in a state directory.
#
#   tests/kafka/broker.sh fetch       download the jars (once per version; cached)
#   tests/kafka/broker.sh start       format the log dir (first time), start, wait until ready
#   tests/kafka/broker.sh stop        SIGTERM, wait (bounded; SIGKILL and exit 1 past the bound)
#   tests/kafka/broker.sh kill        SIGKILL, wait until gone
#   tests/kafka/broker.sh restart     stop if running, start again: same log dir, same ports
#   tests/kafka/broker.sh status      running or not (exit 0 / 3), pid, address
#   tests/kafka/broker.sh bootstrap   print the bootstrap address (127.0.0.1:PORT)
#   tests/kafka/broker.sh wipe        stop (kill past the bound) and remove the state dir
#   tests/kafka/broker.sh tool CLASS ARGS...
#                                     run a Kafka tool class from the same jars, e.g.
#     tests/kafka/broker.sh tool org.apache.kafka.tools.TopicCommand --bootstrap-server B --list
#     tests/kafka/broker.sh tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server B \
#       --topic T --from-beginning --isolation-level read_committed --property print.key=true
#     tests/kafka/broker.sh tool org.apache.kafka.tools.ConsoleProducer ...
#     tests/kafka/broker.sh tool org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ...
#   (tests/kafka/topics.sh, console-consumer.sh and console-producer.sh are
#   short wrappers around `tool`.)
#
# Environment:
#   KAFKA_VERSION        Apache Kafka version from Maven Central (default 4.1.1)
#   KAFKA_CACHE_DIR      where the jars are kept between runs
#                        (default $HOME/.cache/anoniem/kafka-$KAFKA_VERSION)
#   KAFKA_STATE_DIR      log dir, config, logs, pid, ports, bootstrap address
#                        (default ${TMPDIR:-/tmp}/anoniem-kafka)
#   KAFKA_HEAP_OPTS      broker heap (default -Xmx512m -Xms256m)
#   KAFKA_TOOL_HEAP_OPTS heap of the tools (default -Xmx256m)
#   KAFKA_START_TIMEOUT  seconds to wait until ready (default 60)
#   KAFKA_STOP_TIMEOUT   seconds to wait after SIGTERM (default 60)
#   KAFKA_BROKER_CONFIG  extra server.properties lines appended at the first start
#
# Needs: java 17+, python3 (free ports), maven 3 (first fetch only).
#
# The broker process is started in the background and outlives this script;
# whoever starts it stops it (tests do so in their exit trap).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
KAFKA_VERSION=${KAFKA_VERSION:-4.1.1}
CACHE=${KAFKA_CACHE_DIR:-${HOME:-/tmp}/.cache/anoniem/kafka-$KAFKA_VERSION}
STATE=$(realpath -m "${KAFKA_STATE_DIR:-${TMPDIR:-/tmp}/anoniem-kafka}")
START_TIMEOUT=${KAFKA_START_TIMEOUT:-60}
STOP_TIMEOUT=${KAFKA_STOP_TIMEOUT:-60}

say() { echo "broker: $*" >&2; }
die() { say "$*"; exit 1; }

# ------------------------------------------------------------------ the jars

# The jars, downloaded by Maven once per version into $CACHE/libs. A
# complete download is marked by $CACHE/complete; until then nothing in the
# cache is used. Concurrent first fetches are serialised with flock.
fetch() {
  [[ -f $CACHE/complete ]] && return 0
  command -v mvn >/dev/null || die "maven (mvn) is needed once to fetch Kafka $KAFKA_VERSION (apt-get install maven)"
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock -w 600 9 || die "another fetch holds $CACHE/.lock for over 600 s"
  if [[ ! -f $CACHE/complete ]]; then
    say "fetching Apache Kafka $KAFKA_VERSION from Maven Central into $CACHE"
    rm -rf "$CACHE/libs.tmp" "$CACHE/libs"
    if ! timeout 900 mvn -B -q -f "$HERE/pom.xml" dependency:copy-dependencies \
      -Dkafka.version="$KAFKA_VERSION" -DoutputDirectory="$CACHE/libs.tmp" >"$CACHE/fetch.log" 2>&1; then
      sed 's/\x1b\[[0-9;]*m//g' "$CACHE/fetch.log" | tail -n 40 >&2
      die "maven could not fetch Kafka $KAFKA_VERSION (log: $CACHE/fetch.log)"
    fi
    [[ -f $CACHE/libs.tmp/kafka_2.13-$KAFKA_VERSION.jar && -f $CACHE/libs.tmp/kafka-tools-$KAFKA_VERSION.jar ]] \
      || die "the fetched jars lack kafka_2.13 or kafka-tools $KAFKA_VERSION"
    mv "$CACHE/libs.tmp" "$CACHE/libs"
    echo "$KAFKA_VERSION" >"$CACHE/complete"
    say "$(ls "$CACHE/libs" | wc -l) jars ($(du -sh "$CACHE/libs" | cut -f1)) in $CACHE/libs"
  fi
  exec 9>&-
}

JAVA=${JAVA:-java}
if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA=$JAVA_HOME/bin/java; fi

# Log4j 2 for the tools: warnings only, on stderr (stdout carries the data).
tool_log_config() {
  local f=$CACHE/tools-log4j2.properties
  if [[ ! -f $f ]]; then
    cat >"$f.tmp" <<'EOF'
status = error
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.err.ref = STDERR
EOF
    mv "$f.tmp" "$f"
  fi
  echo "$f"
}

# Runs a Kafka tool class (exec: the caller gets its exit status and signals).
tool() {
  [[ $# -ge 1 ]] || die "usage: broker.sh tool CLASS [ARGS...]"
  fetch
  local class=$1
  shift
  # shellcheck disable=SC2086
  exec "$JAVA" ${KAFKA_TOOL_HEAP_OPTS:--Xmx256m} -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$(tool_log_config)" \
    -cp "$CACHE/libs/*" "$class" "$@"
}

# ------------------------------------------------------------------ state

pid_alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

# The pid of the running broker of this state dir, or nothing. A stale pid
# file (the process gone, or the pid reused by something else) says nothing.
broker_pid() {
  local pid
  [[ -f $STATE/pid ]] || return 0
  pid=$(cat "$STATE/pid")
  pid_alive "$pid" || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $STATE/server.properties" || return 0
  echo "$pid"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# First start: ports, config, cluster id, formatted log dir. Later starts
# reuse all of it, so clients find the broker at the same address.
prepare() {
  mkdir -p "$STATE"
  [[ -f $STATE/data/meta.properties ]] && return 0
  local bport cport cluster
  bport=$(free_port)
  cport=$(free_port)
  while [[ $cport == "$bport" ]]; do cport=$(free_port); done
  echo "$bport $cport" >"$STATE/ports"
  cat >"$STATE/server.properties" <<EOF
# Written by tests/kafka/broker.sh: a single-node KRaft broker for tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$bport,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$bport
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$STATE/data
# One node: every replication factor 1.
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
# Tests create their topics with the partitions they need; a typo in a
# topic name fails instead of creating a topic nobody reads.
auto.create.topics.enable=false
num.partitions=1
# A transaction whose producer died is aborted soon after its timeout (the
# default check runs every 10 s).
transaction.abort.timed.out.transaction.cleanup.interval.ms=1000
# Groups form at once; a killed member is expired after its session timeout
# (clients may ask for as little as 6 s).
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=6000
# Small segments and a small cleaner: it is a test machine with 2 cores.
log.segment.bytes=16777216
log.retention.check.interval.ms=60000
log.cleaner.dedupe.buffer.size=16777216
log.cleaner.threads=1
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=2
background.threads=4
# After a SIGKILL the controller (the same process, restarted) keeps the
# dead broker's registration until its session expires; a short session
# lets the restarted broker register sooner.
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=3000
EOF
  if [[ -n ${KAFKA_BROKER_CONFIG:-} ]]; then
    printf '%s\n' "# KAFKA_BROKER_CONFIG" "$KAFKA_BROKER_CONFIG" >>"$STATE/server.properties"
  fi
  cat >"$STATE/log4j2.properties" <<'EOF'
status = error
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = STDOUT
logger.statechange.name = state.change.logger
logger.statechange.level = warn
logger.request.name = kafka.request.logger
logger.request.level = warn
logger.cleaner.name = kafka.log.LogCleaner
logger.cleaner.level = warn
EOF
  # A Kafka cluster id: 16 random bytes, URL-safe base64 without padding,
  # not starting with `-` (as Kafka's own Uuid.randomUuid avoids): the
  # storage tool would read `--cluster-id -x...` as a missing argument and
  # an option, one start in 64.
  cluster=$(python3 -c '
import base64, uuid
while True:
    c = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    if not c.startswith("-"):
        print(c)
        break
')
  echo "$cluster" >"$STATE/cluster-id"
  echo "127.0.0.1:$bport" >"$STATE/bootstrap"
  # shellcheck disable=SC2086
  if ! timeout 120 "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$(tool_log_config)" -cp "$CACHE/libs/*" \
    kafka.tools.StorageTool format --config "$STATE/server.properties" --cluster-id "$cluster" \
    >"$STATE/format.log" 2>&1; then
    cat "$STATE/format.log" >&2
    die "cannot format the log dir $STATE/data"
  fi
}

bootstrap() {
  [[ -f $STATE/bootstrap ]] || die "no broker state in $STATE (broker.sh start first)"
  cat "$STATE/bootstrap"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A client call the broker must answer: list the topics (the admin client
# needs metadata from the broker, so a bound port alone does not pass).
answers() {
  local addr=$1 budget=$2
  timeout "$budget" "$0" tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$addr" --list \
    --command-config <(printf '%s\n' default.api.timeout.ms=$((budget * 1000)) request.timeout.ms=5000) \
    >/dev/null 2>>"$STATE/ready-check.log"
}

start() {
  fetch
  local pid
  pid=$(broker_pid)
  if [[ -n $pid ]]; then
    say "already running (pid $pid) at $(bootstrap)"
    bootstrap
    return 0
  fi
  prepare
  local addr bport started
  addr=$(bootstrap)
  bport=${addr##*:}
  port_open "$bport" && die "port $bport is taken by another process; cannot start on $addr"
  # Mark where this start begins in the log, to look for its own ready line.
  echo "==== broker.sh start $(date -u +%FT%TZ)" >>"$STATE/broker.log"
  local mark
  mark=$(wc -l <"$STATE/broker.log")
  # shellcheck disable=SC2086
  "$JAVA" ${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:ParallelGCThreads=2 -XX:ConcGCThreads=1 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$STATE/log4j2.properties" ${KAFKA_JVM_OPTS:-} \
    -cp "$CACHE/libs/*" kafka.Kafka "$STATE/server.properties" \
    </dev/null >>"$STATE/broker.log" 2>&1 &
  pid=$!
  echo "$pid" >"$STATE/pid"
  started=$SECONDS
  local deadline=$((SECONDS + START_TIMEOUT))
  # The process logs that it started (after log recovery and joining the
  # quorum), then a client call must succeed.
  while :; do
    pid_alive "$pid" || { tail -n 40 "$STATE/broker.log" >&2; die "the broker exited during start (log: $STATE/broker.log)"; }
    if tail -n +"$mark" "$STATE/broker.log" | grep -q 'Kafka Server started' && port_open "$bport"; then
      break
    fi
    ((SECONDS < deadline)) || { tail -n 40 "$STATE/broker.log" >&2; die "the broker did not start within ${START_TIMEOUT}s (log: $STATE/broker.log)"; }
    sleep 0.2
  done
  while ! answers "$addr" $((deadline - SECONDS > 5 ? deadline - SECONDS : 5)); do
    pid_alive "$pid" || die "the broker exited during start (log: $STATE/broker.log)"
    ((SECONDS < deadline)) || die "the broker at $addr did not answer a topic listing within ${START_TIMEOUT}s (see $STATE/ready-check.log)"
    sleep 0.5
  done
  say "Apache Kafka $KAFKA_VERSION ready at $addr (pid $pid, $((SECONDS - started)) s; state $STATE)"
  echo "$addr"
}

wait_gone() {
  local pid=$1 budget=$2
  local deadline=$((SECONDS + budget))
  while pid_alive "$pid"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

stop() {
  local pid
  pid=$(broker_pid)
  if [[ -z $pid ]]; then
    say "not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if wait_gone "$pid" "$STOP_TIMEOUT"; then
    rm -f "$STATE/pid"
    say "stopped (pid $pid)"
    return 0
  fi
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 10 || true
  rm -f "$STATE/pid"
  die "the broker did not stop within ${STOP_TIMEOUT}s of SIGTERM; killed it"
}

kill_broker() {
  local pid
  pid=$(broker_pid)
  if [[ -z $pid ]]; then
    say "not running"
    return 0
  fi
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 10 || die "pid $pid still there 10 s after SIGKILL"
  rm -f "$STATE/pid"
  say "killed (pid $pid)"
}

status() {
  local pid
  pid=$(broker_pid)
  if [[ -n $pid ]]; then
    echo "running pid=$pid bootstrap=$(cat "$STATE/bootstrap") state=$STATE"
    return 0
  fi
  if [[ -f $STATE/bootstrap ]]; then
    echo "stopped bootstrap=$(cat "$STATE/bootstrap") state=$STATE"
  else
    echo "absent state=$STATE"
  fi
  return 3
}

wipe() {
  if [[ -n $(broker_pid) ]]; then
    STOP_TIMEOUT=${KAFKA_STOP_TIMEOUT:-20} stop || true
  fi
  # Only a directory that holds broker state.
  if [[ -d $STATE && (-f $STATE/server.properties || -z $(ls -A "$STATE")) ]]; then
    rm -rf "$STATE"
  fi
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
  fetch) fetch; echo "$CACHE/libs" ;;
  start) start ;;
  stop) stop ;;
  kill) kill_broker ;;
  restart)
    [[ -n $(broker_pid) ]] && stop
    start
    ;;
  status) status ;;
  bootstrap) bootstrap ;;
  wipe) wipe ;;
  tool) tool "$@" ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
