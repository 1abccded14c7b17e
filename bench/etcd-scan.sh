#!/usr/bin/env bash
# The etcd keyspace scan benchmark (issue 7): starts Debian's etcd on 127.0.0.1, loads 1,000,000
# /registry-shaped keys (unless KEYS says otherwise, e.g. 200000), scans them through the dashboard's
# KeyspaceScanner in a 256 MB heap, and in the same run times `etcdctl get / --prefix --keys-only | wc -l`
# and `etcdctl get / --prefix | wc -c`; prints keys/s, MB/s, peak heap and RSS, and PASS/FAIL.
#   bench/etcd-scan.sh [KEYS] [maven args]
set -euo pipefail
cd "$(dirname "$0")/.."
keys=()
if [[ $# -gt 0 && $1 != -* ]]; then
  keys=("-Dbench.etcdKeys=$1")
  shift
fi
exec ./mvnw -B -q -Pbench test-compile exec:exec@etcd-scan-benchmark "${keys[@]}" "$@"
