#!/usr/bin/env bash
# Grants the job, the cameras and the control plane what each needs on the job's topics, and
# nothing more (the brokers run an authorizer with allow.everyone.if.no.acl.found=false):
#   job            reads frames and control, reads and writes line-state, writes scores, alerts,
#                  control-events and dead-letters; its consumer group and transactional ids
#                  (prefixes JOB_GROUP, JOB_TRANSACTIONAL_ID); idempotent and transactional writes
#   cameras        write frames only
#   control plane  the only principal that writes control; reads control-events (the outcome of
#                  its commands)
# The same ACLs as deploy/kubernetes/kafka-users.yaml (Strimzi).
#
#   BOOTSTRAP_SERVER=kafka:9092 COMMAND_CONFIG=admin.properties deploy/kafka/acls.sh
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
job="User:$JOB_USER"
camera="User:$CAMERA_USER"
control="User:$CONTROL_USER"

acl() {
  run_tool kafka-acls.sh --add --force "$@"
}

acl --allow-principal "$job" --operation Describe --operation Read \
  --topic "$FRAMES_TOPIC" --topic "$CONTROL_TOPIC" --topic "$LINE_STATE_TOPIC"
acl --allow-principal "$job" --operation Describe --operation Write \
  --topic "$LINE_STATE_TOPIC" --topic "$SCORES_TOPIC" --topic "$ALERTS_TOPIC" \
  --topic "$CONTROL_EVENTS_TOPIC" --topic "$DEAD_LETTERS_TOPIC"
# The start-up check reads the line-state topic's settings (compaction, record size).
acl --allow-principal "$job" --operation DescribeConfigs --topic "$LINE_STATE_TOPIC"
acl --allow-principal "$job" --operation Describe --operation Read \
  --group "$JOB_GROUP" --resource-pattern-type prefixed
acl --allow-principal "$job" --operation Describe --operation Write \
  --transactional-id "$JOB_TRANSACTIONAL_ID" --resource-pattern-type prefixed
acl --allow-principal "$job" --operation Describe --operation IdempotentWrite --cluster

acl --allow-principal "$camera" --operation Describe --operation Write --topic "$FRAMES_TOPIC"

acl --allow-principal "$control" --operation Describe --operation Write --topic "$CONTROL_TOPIC"
acl --allow-principal "$control" --operation Describe --operation Read \
  --topic "$CONTROL_EVENTS_TOPIC"
