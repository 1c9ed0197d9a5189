#!/usr/bin/env bash
# Kafka's own ConsoleProducer from the jars of tests/kafka/broker.sh, against the
# broker of KAFKA_STATE_DIR unless the arguments name one:
#   tests/kafka/console-producer.sh ARGS...   (--bootstrap-server added when absent)
set -euo pipefail
here=$(dirname "$0")
args=("$@")
if [[ " $* " != *" --bootstrap-server "* ]]; then
  args=(--bootstrap-server "$("$here/broker.sh" bootstrap)" "${args[@]}")
fi
exec "$here/broker.sh" tool org.apache.kafka.tools.ConsoleProducer "${args[@]}"
