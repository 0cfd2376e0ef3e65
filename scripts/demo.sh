#!/usr/bin/env bash
# The main job: build and run the model estimator on a built-in model:
#   scripts/demo.sh [fake-estimate arguments...]
# With no arguments: GPT-2 small, batch 8, sequence 1024, bf16 on cuda:0
# (fake: no GPU is needed). Installs missing dependencies (scripts/deps.sh),
# configures build-demo/ with the tools only (no tests, benchmarks or
# examples), builds `fake-estimate`, runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh >&2
cmake -S . -B build-demo -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DFAKETENSOR_BUILD_TOOLS=ON -DFAKETENSOR_BUILD_EXAMPLES=OFF -DFAKETENSOR_BUILD_TESTS=OFF -DFAKETENSOR_BUILD_BENCH=OFF \
  >/dev/null
cmake --build build-demo -j2 --target fake-estimate >&2
exec ./build-demo/tools/fake-estimate "$@"
