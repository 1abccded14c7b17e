#!/usr/bin/env bash
# The audit ingest benchmark (issue 5): generates a JSON-lines audit log (1 GiB unless SIZE says
# otherwise, e.g. 200m), ingests it and answers the three Audit questions with ours, DuckDB and jq in
# one run, and prints times, events/s, our peak heap and PASS/FAIL against the targets.
#   bench/audit-ingest.sh [SIZE] [maven args, e.g. -Dbench.auditLog=target/bench/audit-1g.log to keep and reuse the log]
set -euo pipefail
cd "$(dirname "$0")/.."
size=()
if [[ $# -gt 0 && $1 != -* ]]; then
  size=("-Dbench.auditSize=$1")
  shift
fi
exec ./mvnw -B -q -Pbench test-compile exec:exec@audit-ingest-benchmark "${size[@]}" "$@"
