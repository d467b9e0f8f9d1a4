#!/usr/bin/env bash
# Creates the job's seven topics as `inctrl topics create` lays them out for the job's defaults
# and the official model (docs/launcher.md, "Topics"): PARTITIONS partitions, REPLICATION_FACTOR
# replicas, min.insync.replicas MIN_INSYNC_REPLICAS, max.message.bytes from the job's frame (8 MiB),
# command (64 MiB) and line-state (48 MiB: a line's bank, 16 official shots in FP32 about 38.8 MB,
# and its shot images) limits plus 64 KiB, control and its events kept forever, the line-state
# topic compacted. Existing topics are left as they are; check them with `inctrl topics check`.
#
#   BOOTSTRAP_SERVER=kafka:9092 COMMAND_CONFIG=admin.properties deploy/kafka/topics.sh
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
PARTITIONS=${PARTITIONS:-6}
REPLICATION_FACTOR=${REPLICATION_FACTOR:-3}
MIN_INSYNC_REPLICAS=${MIN_INSYNC_REPLICAS:-2}
FRAMES_RETENTION_MS=${FRAMES_RETENTION_MS:-86400000}
OUTPUTS_RETENTION_MS=${OUTPUTS_RETENTION_MS:-604800000}

topic() {
  local name=$1 cleanup=$2 max_message_bytes=$3 retention_ms=$4
  local configs=(--config "cleanup.policy=$cleanup"
    --config "min.insync.replicas=$MIN_INSYNC_REPLICAS"
    --config "max.message.bytes=$max_message_bytes")
  if [ -n "$retention_ms" ]; then
    configs+=(--config "retention.ms=$retention_ms")
  fi
  run_tool kafka-topics.sh --create --if-not-exists --topic "$name" \
    --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR" "${configs[@]}"
}

topic "$FRAMES_TOPIC" delete 8454144 "$FRAMES_RETENTION_MS"
topic "$CONTROL_TOPIC" delete 67174400 -1
topic "$SCORES_TOPIC" delete 1048588 "$OUTPUTS_RETENTION_MS"
topic "$ALERTS_TOPIC" delete 1048588 "$OUTPUTS_RETENTION_MS"
topic "$CONTROL_EVENTS_TOPIC" delete 1048588 -1
topic "$DEAD_LETTERS_TOPIC" delete 1048588 "$OUTPUTS_RETENTION_MS"
topic "$LINE_STATE_TOPIC" compact 50397184 ""
