#!/usr/bin/env bash
# `make run`: a local snellerd over the bundled sample data.
#
# Creates a local root under run/ (ignored by git), ingests testdata/sample with sdb
# (tutorial.table1: the guide's three files of {"value": N} rows; tutorial.events: 3,000
# rows of the benchmark generator), starts snellerd on 127.0.0.1:8000 with a freshly generated
# token, and prints the token and a working curl. Ctrl-C stops it cleanly.
#
# Environment: ADDR (listen address, default 127.0.0.1:8000), RUN_DIR (default run),
# BIN (directory of sdb and snellerd, default bin; built if missing).
# `scripts/run.sh --check` starts the daemon in the background, runs the printed curl and the
# checks of the README's tour, stops it, and exits non-zero on a failure (used by the tests).
set -euo pipefail
cd "$(dirname "$0")/.."

ADDR=${ADDR:-127.0.0.1:8000}
RUN_DIR=${RUN_DIR:-run}
BIN=${BIN:-bin}
CHECK=0
[[ ${1:-} == --check ]] && CHECK=1

for b in sdb snellerd; do
	if [[ ! -x $BIN/$b ]]; then
		mkdir -p "$BIN"
		CGO_ENABLED=0 ${GO:-go} build -trimpath -o "$BIN/$b" "./cmd/$b"
	fi
done

ROOT=$RUN_DIR/root
# A fresh root each time (only our own run directory is removed).
rm -rf "$ROOT" "$RUN_DIR/cache"
mkdir -p "$ROOT/sample" "$RUN_DIR/cache"
cp -R testdata/sample/tutorial testdata/sample/events "$ROOT/sample/"

# The index key is kept across runs in run/index-key; the token is new every time.
if [[ ! -s $RUN_DIR/index-key ]]; then
	head -c 32 /dev/urandom | base64 >"$RUN_DIR/index-key"
	chmod 600 "$RUN_DIR/index-key"
fi
SNELLER_INDEX_KEY=$(cat "$RUN_DIR/index-key")
SNELLER_TOKEN=$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')
export SNELLER_INDEX_KEY SNELLER_TOKEN
export CACHEDIR=$RUN_DIR/cache
unset SNELLER_BUCKET SNELLER_PEERS S3_ENDPOINT

cat >"$RUN_DIR/table1.json" <<'JSON'
{"input": [{"pattern": "file://sample/tutorial/*.ndjson", "format": "json"}]}
JSON
cat >"$RUN_DIR/events.json" <<'JSON'
{"input": [{"pattern": "file://sample/events/*.ndjson", "format": "json"}]}
JSON

"$BIN/sdb" -root "$ROOT" create tutorial table1 "$RUN_DIR/table1.json"
"$BIN/sdb" -root "$ROOT" sync tutorial table1
"$BIN/sdb" -root "$ROOT" create tutorial events "$RUN_DIR/events.json"
"$BIN/sdb" -root "$ROOT" sync tutorial events

URL=http://$ADDR
cat <<MSG

snellerd on $URL, root $ROOT

  token: $SNELLER_TOKEN

  curl -s -H "Authorization: Bearer $SNELLER_TOKEN" -H 'Accept: application/json' \\
    --data-binary 'SELECT COUNT(*) FROM table1' '$URL/query?database=tutorial'

MSG

if [[ $CHECK == 0 ]]; then
	echo "Ctrl-C stops it."
	exec "$BIN/snellerd" daemon -e "$ADDR" -root "$ROOT" -log-format text
fi

# --check: run the daemon, try the README's tour, stop it.
"$BIN/snellerd" daemon -e "$ADDR" -root "$ROOT" -log-format text 2>"$RUN_DIR/snellerd.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
	curl -sf "$URL/ping" >/dev/null 2>&1 && break
	sleep 0.1
done
fail=0
check() { # name, expected substring, curl args...
	local name=$1 want=$2
	shift 2
	local got
	got=$(curl -s "$@" 2>&1 || true)
	if [[ $got == *"$want"* ]]; then
		echo "ok   $name"
	else
		echo "FAIL $name: got ${got:0:300}"
		fail=1
	fi
}
auth=(-H "Authorization: Bearer $SNELLER_TOKEN")
check "GET /" "Sneller daemon" "$URL/"
check "GET /ping" "pong" "$URL/ping"
check "401 without token" "authorization required" "$URL/databases"
check "the printed curl" '[{"count": 6}]' "${auth[@]}" -H 'Accept: application/json' \
	--data-binary 'SELECT COUNT(*) FROM table1' "$URL/query?database=tutorial"
check "ND-JSON with stats" '$sneller_final_status$' "${auth[@]}" -H 'Accept: application/x-ndjson' \
	--data-binary 'SELECT type, COUNT(*) AS n FROM events GROUP BY type ORDER BY n DESC LIMIT 3' "$URL/query?database=tutorial&stats"
check "/tables" '"events"' "${auth[@]}" "$URL/tables?database=tutorial"
check "unknown table" "does not exist" "${auth[@]}" -H 'Accept: application/json' \
	--data-binary 'SELECT COUNT(*) FROM nope' "$URL/query?database=tutorial"
kill -TERM $pid
wait $pid || { echo "FAIL snellerd exited with status $?"; fail=1; }
trap - EXIT
exit $fail
