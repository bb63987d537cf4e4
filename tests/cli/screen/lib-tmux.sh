# Helpers to drive winnow-screen's prompt through a real terminal (tmux), for the
# tests in this directory. Source after ../lib.sh. Every test uses its own tmux server
# (-L), so nothing touches a user's sessions; the server is killed on exit.
command -v tmux >/dev/null 2>&1 || { echo "skip: tmux is not installed (scripts/install-deps.sh --test)"; exit 0; }
# tmux's server daemonises and refuses to run when /dev/null is not a character device
[ -c /dev/null ] || { echo "FAIL: /dev/null is not a character device on this machine: tmux cannot start (.ci/run repairs it as root)" >&2; exit 1; }
TMUX_SOCK="winnow-test-$$"
unset TMUX
tm() { tmux -L "$TMUX_SOCK" "$@"; }
trap 'tm kill-server >/dev/null 2>&1; if [ $FAILED = 0 ]; then rm -rf "$T"; else echo "kept scratch dir: $T"; fi' EXIT
# a session that lives as long as the test, so that killing a test session never makes
# the server exit while the next one is being started
tm new-session -d -s keeper "sleep 3600"

# tm_start NAME COMMAND... : run COMMAND in a 100x40 terminal; when it ends, the pane
# shows "__EXIT=<status>__" and stays open.
tm_start() {
  local name=$1; shift
  tm new-session -d -s "$name" -x 100 -y 40 \
    "cd '$T' && env PATH='$PATH' LC_ALL=C.UTF-8 TERM=xterm-256color $*; echo __EXIT=\$?__; sleep 600"
}
# the visible screen only: what scrolled away must not satisfy a wait
tm_capture() { tm capture-pane -p -t "$1"; }
# tm_wait NAME TEXT [SECONDS]: wait until TEXT is on the screen (fails the test if not)
tm_wait() {
  local name=$1 text=$2 secs=${3:-30} i=0
  CHECKS=$((CHECKS+1))
  while [ $i -lt $((secs * 20)) ]; do
    tm_capture "$name" 2>/dev/null | grep -qF -- "$text" && return 0
    sleep 0.05; i=$((i+1))
  done
  fail "'$text' did not appear on the screen of $name"
  tm_capture "$name" | sed 's/^/  screen: /' | tail -25 >&2
  return 1
}
tm_keys() { local name=$1; shift; tm send-keys -t "$name" "$@"; }
# tm_pid NAME: pid of the winnow-screen process in the pane
tm_pid() {
  local shell
  shell=$(tm display -p -t "$1" '#{pane_pid}')
  pgrep -P "$shell" -f winnow-screen | head -1
}
# the prompt's records: the 50 PubMed records of the test data
RECORDS="$WINNOW_TESTDATA/screen/pubmed50.jsonl"
nth_id() { sed -n "${1}p" "$RECORDS" | jq -r .id; }
# (the first 40 characters: long titles wrap)
nth_title() { sed -n "${1}p" "$RECORDS" | jq -r .title | cut -c1-40; }
