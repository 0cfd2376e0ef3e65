#!/usr/bin/env bash
# Build and run all of faketensor's tests:
#   scripts/test.sh              build/       RelWithDebInfo (examples too; no benchmarks)
#   scripts/test.sh --with-bench build/       the same, and the benchmarks compiled (not run:
#                                             bench/README.md runs them in a Release build)
#   scripts/test.sh --sanitize   build-asan/  Debug, ASan + UBSan: the tests that run code
#                                (runtime, libtorch, xref; no benchmarks or examples)
# CI runs the first and the last: compiling the benchmarks (~2.5 minutes on
# two cores) would take CI past its 25-minute budget.
# Installs missing dependencies first (libtorch included, for the oracle
# tests). Extra arguments after `--` go to ctest (e.g. -- -R compile_fail).
# Exits non-zero on any configure, build or test failure.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
# Debug info is line tables only (-g1): stack traces keep file:line, and the
# template-heavy tests compile about a quarter faster than with -g (CI's
# 25-minute budget; bench/README.md, "Build time").
config=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" -DFAKETENSOR_SANITIZE=OFF -DFAKETENSOR_BUILD_EXAMPLES=ON -DFAKETENSOR_BUILD_BENCH=OFF)
targets=()     # all
labels=()      # all
ctest_args=()
while (($#)); do
  case "$1" in
    --with-bench)
      config+=(-DFAKETENSOR_BUILD_BENCH=ON)
      ;;
    --sanitize)
      build=build-asan
      config=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DFAKETENSOR_SANITIZE=ON -DFAKETENSOR_BUILD_BENCH=OFF -DFAKETENSOR_BUILD_EXAMPLES=OFF)
      # the tests that run our code; compile-only checks (static, compile_fail,
      # headers, packaging, asm) are the normal run's
      targets=(--target faketensor_tests fake-xref)
      labels=(-L 'runtime|libtorch|xref')
      export ASAN_OPTIONS=detect_leaks=1
      export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
      ;;
    --) shift; ctest_args=("$@"); break ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

bash scripts/deps.sh --with-libtorch
cmake -S . -B "$build" -G Ninja "${config[@]}" \
  -DFAKETENSOR_BUILD_TESTS=ON
# the libtorch oracle tests exist only where libtorch was found
if ((${#targets[@]})) && cmake --build "$build" --target help 2>/dev/null | grep -q '^faketensor_libtorch_tests:'; then
  targets+=(faketensor_libtorch_tests)
fi
cmake --build "$build" -j2 "${targets[@]}"
ctest --test-dir "$build" --output-on-failure -j2 "${labels[@]}" "${ctest_args[@]}"
