#!/usr/bin/env bash
# Build and run the shape calculator example:
#   scripts/demo.sh [shape_calc arguments...]
# Installs missing dependencies (scripts/deps.sh), configures build/ with the
# examples only (no tests, no benchmarks) in build-demo/, builds `shape_calc`,
# runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh >&2
cmake -S . -B build-demo -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DFAKETENSOR_BUILD_EXAMPLES=ON -DFAKETENSOR_BUILD_TESTS=OFF -DFAKETENSOR_BUILD_BENCH=OFF \
  >/dev/null
cmake --build build-demo -j2 --target shape_calc >&2
exec ./build-demo/examples/shape_calc "$@"
