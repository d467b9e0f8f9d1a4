#!/usr/bin/env bash
# Creates (or updates) the SCRAM-SHA-512 credentials of the job, camera and control-plane users.
# Each password is read from a file, SECRETS_DIR/<user>.password (one line, mode 0600), and given
# to kafka-configs.sh in a temporary properties file: never on a command line.
#
#   BOOTSTRAP_SERVER=kafka:9092 COMMAND_CONFIG=admin.properties SECRETS_DIR=/etc/inctrl/kafka \
#       deploy/kafka/users.sh
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
SECRETS_DIR=${SECRETS_DIR:?set SECRETS_DIR to the folder with <user>.password files}

scram=$(mktemp)
trap 'rm -f "$scram"' EXIT
chmod 600 "$scram"
for user in "$JOB_USER" "$CAMERA_USER" "$CONTROL_USER"; do
  file="$SECRETS_DIR/$user.password"
  if [ ! -s "$file" ]; then
    echo "users.sh: expected the password of $user in $file, found none" >&2
    exit 1
  fi
  printf 'SCRAM-SHA-512=iterations=8192,password=%s\n' "$(head -n 1 "$file")" > "$scram"
  run_tool kafka-configs.sh --alter --entity-type users --entity-name "$user" \
    --add-config-file "$scram"
done
