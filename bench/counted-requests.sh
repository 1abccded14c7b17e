#!/usr/bin/env bash
# The counted requests benchmark (issue 14): feeds analysis.audit.CountedRequests (live limits: 3 h window,
# 64 MiB of codes) requests at steady rates over 3 hours of event time, and prints per rate the codes' room,
# the live heap it holds, bytes per remembered request, minutes read back from the store and ns per
# state()+add(), beside a HashSet<Long> of the same codes; then the rate up to which all 3 hours stay in
# memory, and PASS/FAIL for a heap held within 64 MiB + 10 % at every rate.
#   bench/counted-requests.sh [RATES, e.g. 100,1000] [maven args]
set -euo pipefail
cd "$(dirname "$0")/.."
rates=()
if [[ $# -gt 0 && $1 != -* ]]; then
  rates=("-Dbench.rates=$1")
  shift
fi
exec ./mvnw -B -q -Pbench test-compile exec:exec@counted-requests-benchmark "${rates[@]}" "$@"
