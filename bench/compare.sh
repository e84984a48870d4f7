#!/usr/bin/env bash
# bench/compare.sh: compare the micro-benchmarks (canonical strings,
# envelopes, signing, verifying, the in-process query and purchase: every
# product package's Benchmark functions, or PKGS) of two
# git revisions with benchstat, each run COUNT times interleaved so a
# shared machine's noise falls on both alike.
#   bench/compare.sh [OLD [NEW]]   default OLD=main, NEW=the working tree
# Needs benchstat: go install golang.org/x/perf/cmd/benchstat@latest
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:-main}
new=${2:-}
count=${COUNT:-6}
# Every product package with a benchmark (compat/ holds other modules).
pkgs=${PKGS:-$(grep -rl --include='*_test.go' '^func Benchmark' . | grep -v '^./compat/' | xargs -n1 dirname | sort -u | sed 's|$|/|')}
bench=${BENCH:-.}
benchstat=$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")
[ -x "$benchstat" ] || { echo "compare.sh needs benchstat: go install golang.org/x/perf/cmd/benchstat@latest" >&2; exit 2; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Plain exports (git archive), not worktrees: nothing of the repository changes.
export_rev() { mkdir -p "$2" && git archive "$1" | tar -x -C "$2"; }
export_rev "$old" "$out/old"
newdir=$PWD
if [ -n "$new" ]; then
  export_rev "$new" "$out/new"
  newdir=$out/new
fi
# Test binaries built once per side, then run alternately.
for side in old new; do
  dir=$out/old; [ $side = new ] && dir=$newdir
  for p in $pkgs; do
    name=$(echo "$p" | tr '/.' '__')
    (cd "$dir" && go test -c -o "$out/$side$name.test" "$p" >/dev/null 2>&1) || echo "skip $p on $side (does not build there)" >&2
  done
done
for i in $(seq "$count"); do
  for side in old new; do
    dir=$out/old; [ $side = new ] && dir=$newdir
    for p in $pkgs; do
      name=$(echo "$p" | tr '/.' '__')
      [ -x "$out/$side$name.test" ] || continue
      (cd "$dir/$p" && "$out/$side$name.test" -test.run '^$' -test.bench "$bench" -test.benchmem -test.count 1) >>"$out/$side.txt"
    done
  done
done
"$benchstat" old="$out/old.txt" new="$out/new.txt"
