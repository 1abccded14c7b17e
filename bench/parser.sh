#!/usr/bin/env bash
# The parser benchmark (issue 3): builds target/bench/metrics-30mb.prom from the real v1.34 scrape
# in ../shared and prints the parser's MB/s next to grep's, and its allocation per parse.
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./mvnw -B -q -Pbench verify -DskipTests "$@"
