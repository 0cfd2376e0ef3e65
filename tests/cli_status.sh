#!/usr/bin/env bash
# Runs a command, prints its output (stdout and stderr) and then
# "status <exit code> lines <number of output lines>", for CTest regexes that
# check a command-line tool's error path (tests/CMakeLists.txt, estimate.*).
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
printf 'status %d lines %d\n' "$rc" "$(printf '%s\n' "$out" | wc -l)"
