#!/usr/bin/env bash
# Smoke test of the image and the compose stack, where a Docker engine runs:
#   bash docker/smoke.sh
# Builds the image, checks it runs as a non-root user, starts PostgreSQL, the one-shot migration,
# the API (several uvicorn workers) and the job worker, waits for their health checks, then
# creates a key, ingests an article, reads its claims back and tears everything down (volumes too).
set -euo pipefail
cd "$(dirname "$0")"

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose -f compose.yaml -p provenance-smoke)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose -f compose.yaml -p provenance-smoke)
else
  echo "smoke: no docker compose here" >&2; exit 2
fi
if ! docker info >/dev/null 2>&1; then
  echo "smoke: no Docker engine answers; nothing was run" >&2; exit 2
fi

port="${PROVENANCE_PORT:-18000}"
export PROVENANCE_PORT="$port"
base="http://127.0.0.1:$port"
cleanup() { "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true; }
trap cleanup EXIT

"${compose[@]}" build
user="$(docker run --rm --entrypoint id provenance:local -u)"
[ "$user" != "0" ] || { echo "smoke: the image runs as root" >&2; exit 1; }

"${compose[@]}" up -d --wait --wait-timeout 180
[ "$("${compose[@]}" ps -a --format '{{.Service}} {{.State}} {{.ExitCode}}' migrate)" = "migrate exited 0" ] \
  || { echo "smoke: the migration did not complete" >&2; "${compose[@]}" logs migrate >&2; exit 1; }
for service in api worker; do
  state="$("${compose[@]}" ps --format '{{.Health}}' "$service")"
  [ "$state" = "healthy" ] || { echo "smoke: $service is $state" >&2; "${compose[@]}" logs "$service" >&2; exit 1; }
done
workers="$("${compose[@]}" exec -T api sh -c 'ls /proc | grep -c "^[0-9]"')"
echo "smoke: api container runs $workers processes"

curl -fsS "$base/health"; echo
token="$("${compose[@]}" exec -T api provenance keys create --name smoke --scope write | tail -n 1)"
curl -fsS -X POST "$base/v1/articles" -H "X-API-Key: $token" -H 'content-type: application/json' \
  -d '{"text": "“We will keep the clinics open all winter,” the mayor said on Monday.", "url": "https://smoke.example/1"}' \
  | grep -q '"outcome"'
curl -fsS "$base/v1/claims?text=clinics" | grep -q 'keep the clinics open'
status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/v1/articles" -H 'content-type: application/json' -d '{"text": "x"}')"
[ "$status" = "401" ] || { echo "smoke: a write without a key answered $status" >&2; exit 1; }
echo "smoke: ok (image, migration, api, worker, key, ingest, read)"
