#!/usr/bin/env bash
# Compile-time benchmark: wall seconds and peak compiler memory (max RSS) of
#   1. the umbrella header alone,
#   2. each static-heavy test file (tests/static/*.cpp; models_static.cpp is
#      the static-shape GPT-2 block of examples/models/typed.hpp),
# each compiled RUNS times (default 3) with the project's flags; prints the
# median of each. Compile time is a cost we track: see bench/README.md.
#
#   bash bench/compile_time.sh            # g++, -std=c++20 -O2, 3 runs
#   RUNS=5 CXX=clang++ bash bench/compile_time.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CXX=${CXX:-g++}
RUNS=${RUNS:-3}
FLAGS=(-std=c++20 -O2 -Iinclude -Iexamples -fsyntax-only)  # examples/: models/typed.hpp
command -v /usr/bin/time >/dev/null || { echo "compile_time.sh: needs GNU time (apt-get install time)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include <faketensor/faketensor.hpp>\nint main() {}\n' > "$tmp/umbrella.cpp"

measure() {  # name file -> prints "name median_s median_MiB"
  local name=$1 file=$2 secs=() mems=()
  for ((i = 0; i < RUNS; ++i)); do
    /usr/bin/time -f '%e %M' -o "$tmp/t" "$CXX" "${FLAGS[@]}" "$file"
    read -r s m < "$tmp/t"
    secs+=("$s"); mems+=("$m")
  done
  local ms mm
  ms=$(printf '%s\n' "${secs[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  mm=$(printf '%s\n' "${mems[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  awk -v n="$name" -v s="$ms" -v m="$mm" 'BEGIN { printf "%-32s %8.2f s %8.1f MiB\n", n, s, m / 1024 }'
}

echo "compiler: $("$CXX" --version | head -1); flags: ${FLAGS[*]}; median of $RUNS"
measure "umbrella header" "$tmp/umbrella.cpp"
for f in tests/static/*.cpp; do measure "$f" "$f"; done
