#!/bin/sh
# The transport bench: the server in its own process, each contender in a fresh process, alternating, $ROUNDS rounds
# (default 3). Each contender prints one JSON line (see client.ts).
cd "$(dirname "$0")"
NODE=../../../node_modules/node/bin/node
$NODE server.ts > /tmp/transport-bench-port &
SERVER=$!
trap 'kill $SERVER' EXIT
sleep 1
PORT=$(cat /tmp/transport-bench-port)
for round in $(seq 1 "${ROUNDS:-3}"); do
  for contender in ${CONTENDERS:-raw lean stock stock+span}; do
    $NODE --import tsx client.ts "$contender" "$PORT"
  done
done
