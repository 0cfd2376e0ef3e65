#!/usr/bin/env bash
# Install faketensor's build and test dependencies on Debian 12 (as root, with
# apt-get; no sudo). Idempotent: installs only what is missing, and runs
# `apt-get update` only when something is.
#
#   scripts/deps.sh                  compiler, CMake, Ninja, header-only deps,
#                                    Catch2, Google Benchmark
#   scripts/deps.sh --with-libtorch  + libtorch-dev (the optional live oracle;
#                                    on Debian 12 with the rest present: 157
#                                    packages, ~125 MB download, ~500 MB installed)
set -euo pipefail

packages=(g++ cmake ninja-build libboost-dev librange-v3-dev catch2
          libdlpack-dev nlohmann-json3-dev libbenchmark-dev)
for arg in "$@"; do
  case "$arg" in
    --with-libtorch) packages+=(libtorch-dev) ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "deps.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "deps: all present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "deps: missing ${missing[*]}; run scripts/deps.sh as root to install them" >&2
  exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
install() { apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
# Update the package lists only if the missing packages are unknown to apt
# (a fresh container whose lists were cleaned) or the lists are stale (the
# install fails to download): then retry once.
if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -qq
  install
elif ! install; then
  apt-get update -qq
  install
fi
echo "deps: installed ${missing[*]}"
