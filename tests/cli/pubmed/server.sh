# Helpers for the winnow-fetch pubmed scenarios: start the stand-in E-utilities server
# (tests/http/eutils_server.py) on a free port of 127.0.0.1 and point winnow-fetch at it.
# Source after ../lib.sh. Every test starts its own server and stops it on exit.
SERVER_PY="$WINNOW_SRC/tests/http/eutils_server.py"
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=""; fi
}
trap 'stop_server; if [ $FAILED = 0 ]; then rm -rf "$T"; else echo "kept scratch dir: $T"; fi' EXIT
# start_server [server options...]: sets URL, SLOG (the server's request log)
start_server() {
  stop_server
  SLOG="$T/server.log"; : > "$SLOG"
  rm -f "$T/port"
  python3 "$SERVER_PY" --port-file "$T/port" --log "$SLOG" "$@" 2>"$T/server.err" &
  SERVER_PID=$!
  local i=0
  while [ ! -s "$T/port" ]; do
    i=$((i+1)); [ $i -gt 200 ] && { fail "stand-in server did not start"; cat "$T/server.err" >&2; exit 1; }
    sleep 0.05
  done
  URL="http://127.0.0.1:$(cat "$T/port")/entrez/eutils/"
  export WINNOW_EUTILS_URL="$URL"
}
# the PMIDs the server holds for a term (what a complete fetch delivers), sorted
server_pmids() { python3 "$SERVER_PY" "${@:2}" --list-pmids "$1" | sort -n; }
# the PMIDs in a record stream, sorted (duplicates kept, so a repeat shows)
out_pmids() { jq -r '.pmid' "$1" | sort -n; }
# count the server log lines matching a jq condition
slog_count() { jq -c "select($1)" "$SLOG" | wc -l | tr -d ' '; }
export NCBI_EMAIL=tests@example.org
unset NCBI_API_KEY WINNOW_EUTILS_NO_DELAY WINNOW_EUTILS_SLICE
export WINNOW_TIME=1795000000
