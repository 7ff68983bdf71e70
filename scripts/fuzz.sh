#!/usr/bin/env bash
# Runs every fuzz target of the module for $FUZZTIME each (default 3s): `make fuzz-smoke` in
# CI, `make fuzz` (LONGFUZZ, default 5m) for long runs.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-3s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# one `go test -list` over the whole module: lines "FuzzX" followed by "ok <pkg> ..."
targets=$(go test -list '^Fuzz' ./... 2>/dev/null | awk '
	/^Fuzz/ { pending = pending " " $1; next }
	/^ok / { n = split(pending, t, " "); for (i = 1; i <= n; i++) print $2, t[i]; pending = "" }
')
n=0
while read -r pkg t; do
	[ -n "$t" ] || continue
	echo "fuzz $pkg $t ($FUZZTIME)"
	if ! go test -run='^$' -fuzz="^${t}\$" -fuzztime="$FUZZTIME" "$pkg" >"$log" 2>&1; then
		# The fuzzing engine occasionally loses a worker on a starved machine. A real crash is
		# saved under testdata/fuzz and fails again at once on the retry, so retry once.
		echo "fuzz $pkg $t failed; output:"; grep -v '^fuzz: elapsed' "$log" | tail -40
		if ! go test -run='^$' -fuzz="^${t}\$" -fuzztime="$FUZZTIME" "$pkg" >"$log" 2>&1; then
			cat "$log"
			exit 1
		fi
		echo "fuzz $pkg $t passed on retry"
	fi
	n=$((n+1))
done <<< "$targets"
echo "fuzz: $n targets passed"
