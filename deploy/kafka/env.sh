# Settings shared by users.sh, topics.sh and acls.sh; override any of them in the environment.
# Sourced, not run.

# Kafka's command-line tools (kafka-topics.sh, kafka-acls.sh, kafka-configs.sh).
KAFKA_BIN=${KAFKA_BIN:-/opt/kafka/bin}
# The brokers, and the admin client's settings file (security.protocol, sasl.mechanism and the
# admin's sasl.jaas.config): the tools read the admin's credentials from it, never from arguments.
BOOTSTRAP_SERVER=${BOOTSTRAP_SERVER:?set BOOTSTRAP_SERVER to the brokers, host:port}
COMMAND_CONFIG=${COMMAND_CONFIG:?set COMMAND_CONFIG to the admin client properties file}

# The job's topics: the job's defaults (inctrl.topics.*), with an optional common prefix.
TOPIC_PREFIX=${TOPIC_PREFIX:-}
FRAMES_TOPIC=${TOPIC_PREFIX}frames
CONTROL_TOPIC=${TOPIC_PREFIX}control
SCORES_TOPIC=${TOPIC_PREFIX}scores
ALERTS_TOPIC=${TOPIC_PREFIX}alerts
CONTROL_EVENTS_TOPIC=${TOPIC_PREFIX}control-events
DEAD_LETTERS_TOPIC=${TOPIC_PREFIX}dead-letters
LINE_STATE_TOPIC=${TOPIC_PREFIX}line-state

# The three principals (SCRAM user names).
JOB_USER=${JOB_USER:-inctrl-job}
CAMERA_USER=${CAMERA_USER:-inctrl-camera}
CONTROL_USER=${CONTROL_USER:-inctrl-control-plane}
# The job's consumer group and transactional ids start with these (inctrl.kafka.group-id and
# inctrl.sink.transactional-id-prefix; the job's defaults).
JOB_GROUP=${JOB_GROUP:-inctrl-inspection}
JOB_TRANSACTIONAL_ID=${JOB_TRANSACTIONAL_ID:-inctrl-inspection}

run_tool() {
  local tool=$1
  shift
  "$KAFKA_BIN/$tool" --bootstrap-server "$BOOTSTRAP_SERVER" --command-config "$COMMAND_CONFIG" "$@"
}
