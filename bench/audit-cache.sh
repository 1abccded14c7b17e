#!/usr/bin/env bash
# The audit cache benchmark (issue 4): 50 concurrent viewers of one Audit page permalink while a
# WireMock Log Analytics answers every query after 2 s; prints the upstream query count and the
# p50/p99 page latency, cold and warm, and PASS/FAIL against the targets.
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./mvnw -B -q -Pbench test-compile exec:exec@audit-cache-benchmark "$@"
