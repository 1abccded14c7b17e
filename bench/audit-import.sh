#!/usr/bin/env bash
# The audit import benchmark (issue 14): generates a JSON-lines audit log (1 GiB unless SIZE says
# otherwise, e.g. 200m) and its gzip under target/bench (kept and reused), starts the dashboard as its own
# process with -Xmx512m, POSTs each file to /api/v1/clusters/{name}/audit/import while the demo's Audit page
# and /actuator/health are asked for every 250 ms, then the plain file again; DuckDB reads the same files
# in the same run. Prints events/s and MB/s beside DuckDB's, page p50/p99 during each import, the
# dashboard's heap, whether the top 10 user agents agree, and PASS/FAIL.
#   bench/audit-import.sh [SIZE] [maven args, e.g. -Dbench.auditLog=path to reuse or keep another log]
set -euo pipefail
cd "$(dirname "$0")/.."
size=()
if [[ $# -gt 0 && $1 != -* ]]; then
  size=("-Dbench.auditSize=$1")
  shift
fi
exec ./mvnw -B -q -Pbench test-compile dependency:build-classpath@bench-runtime-classpath \
  exec:exec@audit-import-benchmark "${size[@]}" "$@"
