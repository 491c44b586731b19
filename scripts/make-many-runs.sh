#!/usr/bin/env bash
# The scale check of `experiments serve`: writes 10,000 small real run files with RunStore
# (once, into EXPERIMENTS_SCALE_DIR, default /tmp/experiments-scale-runs), then times the
# index built cold and a page of the runs table warm, and names the CPU they ran on.
#
#   scripts/make-many-runs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
lscpu | grep 'Model name' || true
EXPERIMENTS_SCALE_TEST=1 swift test --filter ServeTests.ScaleTests 2>&1 | grep -E "^scale:|error|passed|failed"
