#!/usr/bin/env bash
# End-to-end smoke test of `casefile open` in a real terminal: tmux runs the UI on the sample
# case, send-keys navigates from the first finding's cascade to the kubelet evidence line,
# capture-pane checks the screen, and the terminal must be back to normal after `q`.
# Skipped (exit 0) when tmux is not installed. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v tmux >/dev/null 2>&1; then
  echo "tui-smoke: tmux not found, skipped"
  exit 0
fi

cargo build -q -p casefile-cli
bin="$PWD/target/debug/casefile"
session="casefile-smoke-$$"
cache="$(mktemp -d)"
cleanup() {
  tmux kill-session -t "$session" 2>/dev/null || true
  rm -rf "$cache"
}
trap cleanup EXIT

tmux new-session -d -s "$session" -x 120 -y 40 \
  "CASEFILE_CACHE_DIR='$cache' '$bin' open testdata/okd-415-ca-rotation; echo casefile-exited; sleep 30"

screen() { tmux capture-pane -p -t "$session"; }
wait_for() {
  for _ in $(seq 1 300); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "tui-smoke: timed out waiting for: $1" >&2
  screen >&2
  exit 1
}

wait_for "ca-trust-propagation"            # the findings list
tmux send-keys -t "$session" Enter
wait_for "kubelet-tls-failure"             # the cascade
tmux send-keys -t "$session" j j j j j j # ca-rotated, serving-cert, trust, then the first node: multus, sandbox, not-ready, kubelet
wait_for "kubelet-tls-failure ip-10-0-22-198"
tmux send-keys -t "$session" Enter
wait_for "evidence 362:"                   # the kubelet journal at the evidence line
screen | grep -qF "x509: certificate" || { echo "tui-smoke: no x509 line" >&2; screen >&2; exit 1; }
tmux send-keys -t "$session" Escape
wait_for "▾ cluster"
tmux send-keys -t "$session" q
wait_for "casefile-exited"
if [ "$(tmux display-message -p -t "$session" '#{alternate_on}')" != "0" ]; then
  echo "tui-smoke: the terminal was left on the alternate screen" >&2
  exit 1
fi
echo "tui-smoke: ok"
