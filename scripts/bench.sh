#!/usr/bin/env bash
# Issue 8 benchmark: casefile against decompression, tar extraction and omg on a generated case.
#
#   scripts/bench.sh                 # RUNS=3, case in /tmp/casefile-bench
#   RUNS=1 BENCH_DIR=/data/bench scripts/bench.sh
#   SCALING=1 scripts/bench.sh       # also peak RSS of cold diagnose at 0.25, 1 and 2 GiB
#
# Builds the release binaries, generates the scale case once (1 GiB must-gather .tar.gz and three
# 200 MiB node sosreports .tar.xz; regenerated when the generator or the sizes change), installs
# o-must-gather (omg) from PyPI into a venv under BENCH_DIR, runs every command RUNS times (round
# robin; omg last, on a tree extracted for it) under /usr/bin/time, and prints medians (wall and
# CPU seconds, max RSS) and the issue's targets with PASS/FAIL. Extracted trees and cache
# directories are removed on exit, also on Ctrl-C. See docs/benchmarks.md.
# Knobs: BENCH_DIR RUNS SCALING MG_SIZE SOS_COUNT SOS_SIZE OMG_VERSION, and EXTRACT_DIR (where
# tar -xzf and omg's tree go; default BENCH_DIR, the same disk as the case).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/casefile-bench}
RUNS=${RUNS:-3}
SCALING=${SCALING:-0}
MG_SIZE=${MG_SIZE:-1GiB}
SOS_COUNT=${SOS_COUNT:-3}
SOS_SIZE=${SOS_SIZE:-200MiB}
OMG_VERSION=${OMG_VERSION:-1.2.6}
EXTRACT_DIR=${EXTRACT_DIR:-}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
CASEFILE=$TARGET_DIR/release/casefile
GENERATOR=$TARGET_DIR/release/casefile-scenario
TUI_LOAD=$TARGET_DIR/release/examples/load_case

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"
(( BASH_VERSINFO[0] >= 5 )) || die "needs bash >= 5 (for EPOCHREALTIME)"
for tool in cargo python3 gzip xz tar awk sort df; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is missing"
done
if ! { [[ -x /usr/bin/time ]] && /usr/bin/time -f %e true 2>/dev/null; }; then
  die "GNU time is missing at /usr/bin/time (Debian/Ubuntu: apt-get install time)"
fi

mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
EXTRACT_DIR=${EXTRACT_DIR:-$BENCH_DIR}
mkdir -p "$EXTRACT_DIR"
EXTRACT_DIR=$(cd "$EXTRACT_DIR" && pwd)
exec 9>"$BENCH_DIR/.lock"
if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
  die "another bench.sh is running with BENCH_DIR=$BENCH_DIR"
fi
LOG=$BENCH_DIR/bench.log
: > "$LOG"
SCRATCH=()
cleanup() {
  local d
  for d in "${SCRATCH[@]+"${SCRATCH[@]}"}"; do rm -rf "$d"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# scratch VAR NAME [PARENT]: a fresh directory (default under BENCH_DIR) in VAR, removed on exit.
# Not a $(...) helper: the EXIT trap must see what was made.
x="" c="" WARM="" OMG_TREE=""
scratch() {
  local d
  d=$(mktemp -d "${3:-$BENCH_DIR}/$2.XXXXXX")
  SCRATCH+=("$d")
  printf -v "$1" '%s' "$d"
}

to_mib() { # 1GiB, 0.25GiB, 200MiB, 512KiB -> MiB
  awk -v x="$1" 'BEGIN { n = x + 0; if (x ~ /G(iB)?$/) n *= 1024; else if (x ~ /K(iB)?$/) n /= 1024;
    else if (x !~ /M(iB)?$/) n /= 1048576; printf "%d", n }'
}
free_mib() { df -Pk "${1:-$BENCH_DIR}" | awk 'NR==2 { printf "%d", $4 / 1024 }'; }
need_free() { # need_free MIB WHAT: stop early, with a clear message, when the disk is too full
  (( $(free_mib) >= $1 )) ||
    die "$2 needs about $1 MiB free in $BENCH_DIR, only $(free_mib) MiB are (set BENCH_DIR to a roomier disk)"
}

# ---------------------------------------------------------------------------------------------
say "building release binaries (cargo build --release -p casefile-cli -p casefile-scenario)"
(cd "$ROOT" && cargo build --release -p casefile-cli -p casefile-scenario) >>"$LOG" 2>&1 ||
  { tail -n 30 "$LOG" >&2; die "cargo build failed (log: $LOG)"; }
# what `casefile open` loads and holds, without a terminal (crates/casefile-tui/examples)
(cd "$ROOT" && cargo build --release -p casefile-tui --example load_case) >>"$LOG" 2>&1 ||
  { tail -n 30 "$LOG" >&2; die "cargo build failed (log: $LOG)"; }
[[ -x $CASEFILE && -x $GENERATOR && -x $TUI_LOAD ]] || die "binaries not found under $TARGET_DIR/release"

gen_stamp() { # what a generated case depends on
  local tree
  tree=$(git -C "$ROOT" rev-parse HEAD:crates/casefile-scenario 2>/dev/null || echo unknown)
  echo "generator=$tree $*"
}

# generate DIR STAMP ARGS...: the scale scenario into DIR unless DIR/.stamp matches
generate() {
  local dir=$1 stamp=$2
  shift 2
  if [[ -f $dir/.stamp && $(cat "$dir/.stamp") == "$stamp" && -f $dir/truth.json ]]; then
    say "case present: $dir"
    return
  fi
  need_free 1024 "generating the case"
  say "generating $dir (scale $*); takes minutes, once"
  rm -rf "$dir"
  local t0=$EPOCHREALTIME
  "$GENERATOR" scenario scale --out "$dir" "$@" 2>&1 | tee -a "$LOG" >&2 ||
    die "generation failed (log: $LOG)"
  awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "== generated in %.0f s\n", b - a }' >&2
  echo "$stamp" > "$dir/.stamp"
}

CASE=$BENCH_DIR/case-$MG_SIZE-${SOS_COUNT}x$SOS_SIZE
generate "$CASE" "$(gen_stamp "size=$MG_SIZE sos=${SOS_COUNT}x$SOS_SIZE")" \
  --size "$MG_SIZE" --sos-count "$SOS_COUNT" --sos-size "$SOS_SIZE"
MG=$CASE/must-gather.tar.gz
SOS=()
for f in "$CASE"/sosreport-*.tar.xz; do [[ -e $f ]] && SOS+=("$f"); done
(( ${#SOS[@]} == SOS_COUNT )) || die "expected $SOS_COUNT sosreports in $CASE, found ${#SOS[@]}"

# ---------------------------------------------------------------------------------------------
OMG=$BENCH_DIR/venv/bin/omg
omg_installed() { # reads all of pip's output: no SIGPIPE under pipefail
  [[ -x $OMG ]] && [[ $("$BENCH_DIR/venv/bin/pip" show o-must-gather 2>/dev/null |
    awk '/^Version:/ { print $2 }') == "$OMG_VERSION" ]]
}
if ! omg_installed; then
  say "installing o-must-gather $OMG_VERSION into $BENCH_DIR/venv"
  rm -rf "$BENCH_DIR/venv"
  python3 -m venv "$BENCH_DIR/venv" >>"$LOG" 2>&1 ||
    die "python3 -m venv failed (Debian/Ubuntu: apt-get install python3-venv; log: $LOG)"
  "$BENCH_DIR/venv/bin/pip" install --quiet "o-must-gather==$OMG_VERSION" >>"$LOG" 2>&1 ||
    die "pip install o-must-gather failed (log: $LOG)"
fi
OMG_HOME=$BENCH_DIR/omg-home # omg keeps its current must-gather in $HOME/.omgconfig
mkdir -p "$OMG_HOME"

# ---------------------------------------------------------------------------------------------
# measurements: WALL/CPU/RSS[key] hold space-separated samples; FAILED[key] the last exit status
declare -A WALL=() CPU=() RSS=() FAILED=()
run() { # run KEY COMMAND...: one timed run, stdout discarded, stderr to the log
  local key=$1 tf rc=0 t0 t1
  shift
  tf=$(mktemp)
  echo "-- $key: $*" >>"$LOG"
  t0=$EPOCHREALTIME
  /usr/bin/time -f "%U %S %M" -o "$tf" "$@" >/dev/null 2>>"$LOG" || rc=$?
  t1=$EPOCHREALTIME
  if (( rc != 0 )); then
    FAILED[$key]=$rc
    echo "bench: '$key' exited with status $rc (log: $LOG)" >&2
  else
    WALL[$key]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') "
    CPU[$key]+="$(tail -n 1 "$tf" | awk '{ printf "%.2f", $1 + $2 }') "
    RSS[$key]+="$(tail -n 1 "$tf" | awk '{ print $3 }') "
    # every run's figures, for the spread behind a median
    echo "   $key: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') s wall, $(tail -n 1 "$tf" | awk '{ printf "%s user + %s sys s, %d KB", $1, $2, $3 }')" >>"$LOG"
  fi
  rm -f "$tf"
}
median() { # median of the samples in $1 (empty: nothing)
  tr ' ' '\n' <<<"$1" | awk 'NF' | sort -g |
    awk '{ v[NR] = $1 } END { if (NR) printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
med() { # med WALL|CPU|RSS KEY
  local -n arr=$1
  median "${arr[$2]-}"
}

cold_diagnose() { # cold_diagnose KEY ARCHIVE...: a fresh, empty cache directory for every run
  local key=$1 c
  shift
  scratch c cache
  run "$key" "$CASEFILE" diagnose --cache-dir "$c" "$@"
  rm -rf "$c"
}

# an extracted tree takes about the uncompressed size plus a block per file; one at a time.
# Without room for one, tar -xzf and omg are skipped (and said so) and the rest still runs.
MG_RAW_MIB=$(gzip -l "$MG" | awk 'NR==2 { printf "%d", $2 / 1048576 }')
TREE_MIB=$((MG_RAW_MIB * 11 / 10 + 128))
EXTRACT_FS=$(stat -f -c %T "$EXTRACT_DIR" 2>/dev/null || echo "?")
SKIPPED=""
if (( $(free_mib "$EXTRACT_DIR") < TREE_MIB )); then
  SKIPPED="an extracted tree needs about $TREE_MIB MiB in $EXTRACT_DIR, $(free_mib "$EXTRACT_DIR") MiB are free"
  echo "bench: skipping tar -xzf and omg: $SKIPPED (set EXTRACT_DIR or BENCH_DIR to a roomier disk)" >&2
fi

say "priming the persistent index for the warm runs"
scratch WARM warm-cache
"$CASEFILE" get pods -A --cache-dir "$WARM" --archive "$MG" >/dev/null 2>>"$LOG" ||
  echo "bench: priming 'get pods -A' failed (log: $LOG)" >&2
"$CASEFILE" diagnose --cache-dir "$WARM" "$MG" "${SOS[@]}" >/dev/null 2>>"$LOG" ||
  echo "bench: priming 'diagnose' failed (log: $LOG)" >&2
# a cold run writes an index as big as this one next to it: make sure it fits, or numbers lie
INDEX_MIB=$(du -sm "$WARM" | awk '{ print $1 }')
need_free $((INDEX_MIB + 256)) "a cold run's persistent index (the warm one is $INDEX_MIB MiB)"

for ((r = 1; r <= RUNS; r++)); do
  say "run $r of $RUNS"
  run gzip gzip -dc "$MG"
  for k in "${!SOS[@]}"; do run "xz$k" xz -dc "${SOS[$k]}"; done
  if [[ -z $SKIPPED ]]; then
    scratch x extract "$EXTRACT_DIR"
    run tar tar -xzf "$MG" -C "$x"
    rm -rf "$x"
  fi
  cold_diagnose diag_mg "$MG"
  cold_diagnose diag_all "$MG" "${SOS[@]}"
  scratch c cache
  run get_cold "$CASEFILE" get pods -A --cache-dir "$c" --archive "$MG"
  rm -rf "$c"
  run get_warm "$CASEFILE" get pods -A --cache-dir "$WARM" --archive "$MG"
  run diag_warm "$CASEFILE" diagnose --cache-dir "$WARM" "$MG" "${SOS[@]}"
  # the whole case's timeline, exported: the largest output, and the peak RSS to watch
  run timeline_warm "$CASEFILE" --quiet timeline --format jsonl --cache-dir "$WARM" "$MG" "${SOS[@]}"
  # what the TUI holds: the case, its analysis and timeline rows, and a text filter over them
  run tui_warm "$TUI_LOAD" --cache-dir "$WARM" "$MG" "${SOS[@]}"
done

if [[ -z $SKIPPED ]]; then
  say "extracting the must-gather for omg (omg reads an extracted tree: omg use DIR)"
  scratch OMG_TREE omg-tree "$EXTRACT_DIR"
  tar -xzf "$MG" -C "$OMG_TREE"
  MG_TOP=""
  for d in "$OMG_TREE"/*/; do MG_TOP=${d%/}; break; done
  [[ -d $MG_TOP ]] || die "empty must-gather?"
  HOME=$OMG_HOME "$OMG" use "$MG_TOP" >>"$LOG" 2>&1 || die "omg use failed (log: $LOG)"
  for ((r = 1; r <= RUNS; r++)); do
    say "omg run $r of $RUNS"
    run omg env HOME="$OMG_HOME" "$OMG" get pods -A
  done
  rm -rf "$OMG_TREE"
fi
rm -rf "$WARM" # the warm index is done with; the scaling runs need the room

# ---------------------------------------------------------------------------------------------
SCALE_KEYS=()
if [[ $SCALING == 1 ]]; then
  for size in 0.25GiB 1GiB 2GiB; do
    dir=$BENCH_DIR/scaling-$size
    if [[ $size == "$MG_SIZE" ]]; then
      mg=$MG
    else
      generate "$dir" "$(gen_stamp "size=$size sos=none")" --size "$size"
      mg=$dir/must-gather.tar.gz
    fi
    # a cold index grows with the case: about INDEX_MIB per GiB of must-gather
    need_free "$(awk -v i="$INDEX_MIB" -v s="$(to_mib "$size")" -v m="$(to_mib "$MG_SIZE")" \
      'BEGIN { printf "%d", i * s / (m > 0 ? m : 1) * 1.2 + 256 }')" "a cold index of the $size case"
    for ((r = 1; r <= RUNS; r++)); do
      say "scaling $size: run $r of $RUNS"
      cold_diagnose "scale_$size" "$mg"
    done
    SCALE_KEYS+=("$size")
  done
fi

# ---------------------------------------------------------------------------------------------
mib() { awk -v k="$1" 'BEGIN { if (k == "") print "-"; else printf "%.0f", k / 1024 }'; }
row() { # row LABEL KEY
  local w c m
  if [[ -n $SKIPPED && ( $2 == tar || $2 == omg ) ]]; then
    printf '%-44s %10s\n' "$1" "skipped (disk)"
    return
  fi
  if [[ -n ${FAILED[$2]-} && -z ${WALL[$2]-} ]]; then
    printf '%-44s %10s\n' "$1" "failed (exit ${FAILED[$2]})"
    return
  fi
  w=$(med WALL "$2")
  c=$(med CPU "$2")
  m=$(mib "$(med RSS "$2")")
  printf '%-44s %10s %10s %12s\n' "$1" "$w" "$c" "$m"
}
sum_xz() { # sum of the per-file medians of WALL or CPU
  local k total=0 v
  for k in "${!SOS[@]}"; do
    v=$(med "$1" "xz$k")
    [[ -n $v ]] || { echo ""; return; }
    total=$(awk -v a="$total" -v b="$v" 'BEGIN { printf "%.3f", a + b }')
  done
  echo "$total"
}
commit=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
cpu_model=$(awk -F: '/model name/ { sub(/^ +/, "", $2); print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
mg_bytes=$(stat -c %s "$MG")
sos_bytes=$(cat "${SOS[@]}" | wc -c)
payload=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); s=t.get("scale",{}); print("%d namespaces, %d pods, %d objects, %d log files" % (s.get("namespaces",0), s.get("pods",0), s.get("objects",0), s.get("log_files",0)))' "$CASE/truth.json" 2>/dev/null || echo "?")

echo
echo "casefile benchmark (issue 8) - $(date -u +%Y-%m-%dT%H:%MZ), commit $commit, RUNS=$RUNS (medians)"
echo "machine: $(nproc) CPUs ${cpu_model:+($cpu_model)}, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "case: $CASE"
echo "  must-gather.tar.gz: $MG_SIZE uncompressed, $((mg_bytes >> 20)) MiB compressed ($payload)"
echo "  ${#SOS[@]} sosreports .tar.xz: $SOS_SIZE uncompressed each, $((sos_bytes >> 20)) MiB compressed in all"
echo "persistent index of the case (warm cache dir): $INDEX_MIB MiB"
echo "extracted trees (tar -xzf, omg) in: $EXTRACT_DIR ($EXTRACT_FS$([[ $EXTRACT_DIR == "$BENCH_DIR" ]] && echo ", same disk as the case"))"
echo
printf '%-44s %10s %10s %12s\n' "command" "wall s" "cpu s" "max RSS MiB"
row "gzip -dc must-gather.tar.gz" gzip
for k in "${!SOS[@]}"; do row "xz -dc $(basename "${SOS[$k]}" | cut -c1-30)..." "xz$k"; done
printf '%-44s %10s %10s\n' "xz -dc, sum of the ${#SOS[@]} sosreports" "$(sum_xz WALL)" "$(sum_xz CPU)"
row "tar -xzf must-gather.tar.gz" tar
row "casefile diagnose mg (cold)" diag_mg
row "casefile diagnose mg + sos (cold)" diag_all
row "casefile get pods -A (cold)" get_cold
row "casefile get pods -A (warm)" get_warm
row "casefile diagnose mg + sos (warm)" diag_warm
row "casefile timeline mg + sos (warm, jsonl)" timeline_warm
row "casefile open: load + text filter (warm)" tui_warm
row "omg get pods -A (extracted tree)" omg

# targets
echo
printf '%-52s %-30s %s\n' "target" "measured" "result"
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { if (v == "" || l == "") print "n/a"; else print (v <= l) ? "PASS" : "FAIL" }'; }
num() { awk -v a="$1" 'BEGIN { if (a == "") print "-"; else printf "%.2f", a }'; }
gz=$(med WALL gzip)
xz=$(sum_xz WALL)
tr_=$(med WALL tar)
dm=$(med WALL diag_mg)
da=$(med WALL diag_all)
gw=$(med WALL get_warm)
dw=$(med WALL diag_warm)
om=$(med WALL omg)
lim1=$(awk -v g="$gz" 'BEGIN { if (g != "") printf "%.3f", 0.6 * g }')
lim2=$(awk -v g="$gz" -v x="$xz" 'BEGIN { if (g != "" && x != "") printf "%.3f", 0.6 * g + 0.9 * x }')
lim3=$(awk -v t="$tr_" 'BEGIN { if (t != "") printf "%.3f", 0.15 * t }')
printf '%-52s %-30s %s\n' "cold diagnose mg <= 0.6 x gzip -dc" \
  "$(num "$dm") s vs $(num "$lim1") s" "$(verdict "$dm" "$lim1")"
printf '%-52s %-30s %s\n' "cold diagnose mg+sos <= 0.6 x gzip + 0.9 x sum xz" \
  "$(num "$da") s vs $(num "$lim2") s" "$(verdict "$da" "$lim2")"
printf '%-52s %-30s %s\n' "cold diagnose mg <= 0.15 x tar -xzf" \
  "$(num "$dm") s vs $(num "$lim3") s" "$(verdict "$dm" "$lim3")"
printf '%-52s %-30s %s\n' "warm get pods -A < 300 ms" \
  "$(awk -v a="$gw" 'BEGIN { if (a == "") print "-"; else printf "%.0f ms", a * 1000 }')" "$(verdict "$gw" 0.299)"
printf '%-52s %-30s %s\n' "warm diagnose mg+sos < 300 ms" \
  "$(awk -v a="$dw" 'BEGIN { if (a == "") print "-"; else printf "%.0f ms", a * 1000 }')" "$(verdict "$dw" 0.299)"
peak=0 peak_key=""
for key in diag_mg diag_all get_cold get_warm diag_warm timeline_warm tui_warm; do
  for v in ${RSS[$key]-}; do
    if (( v > peak )); then peak=$v peak_key=$key; fi
  done
done
if [[ -n $peak_key ]]; then
  printf '%-52s %-30s %s\n' "peak RSS <= 512 MiB (any casefile run)" \
    "$(mib "$peak") MiB ($peak_key)" "$(verdict "$peak" $((512 * 1024)))"
else
  printf '%-52s %-30s %s\n' "peak RSS <= 512 MiB (any casefile run)" "-" "n/a"
fi
ratio=$(awk -v o="$om" -v g="$gw" 'BEGIN { if (o != "" && g != "" && g > 0) printf "%.1f", o / g }')
printf '%-52s %-30s %s\n' "get pods -A (warm) >= 10 x faster than omg" \
  "omg $(num "$om") s / $(num "$gw") s = ${ratio:--}x" \
  "$(awk -v r="$ratio" 'BEGIN { if (r == "") print "n/a"; else print (r >= 10) ? "PASS" : "FAIL" }')"

if (( ${#SCALE_KEYS[@]} )); then
  echo
  echo "scaling: cold casefile diagnose of the must-gather alone"
  printf '%-12s %10s %10s %12s\n' "size" "wall s" "cpu s" "max RSS MiB"
  prev_size="" prev_rss="" sublinear=PASS growth=""
  for size in "${SCALE_KEYS[@]}"; do
    row_label="$size"
    printf '%-12s %10s %10s %12s\n' "$row_label" "$(med WALL "scale_$size")" "$(med CPU "scale_$size")" \
      "$(mib "$(med RSS "scale_$size")")"
    rss=$(med RSS "scale_$size")
    gib=${size%GiB}
    if [[ -z $rss ]]; then
      sublinear=n/a
    elif [[ -n $prev_rss ]]; then
      # sub-linear: RSS grows by less than the size does
      ok=$(awk -v r0="$prev_rss" -v r1="$rss" -v s0="$prev_size" -v s1="$gib" 'BEGIN { print (r1 / r0 < s1 / s0) ? 1 : 0 }')
      [[ $ok == 1 ]] || sublinear=FAIL
      growth+=$(awk -v r0="$prev_rss" -v r1="$rss" -v s0="$prev_size" -v s1="$gib" -v g="$growth" \
        'BEGIN { printf "%sx%.1f for x%g", (g != "" ? ", " : ""), r1 / r0, s1 / s0 }')
    fi
    prev_rss=$rss prev_size=$gib
  done
  printf '%-52s %-30s %s\n' "peak RSS grows sub-linearly (0.25 -> 1 -> 2 GiB)" "RSS $growth" "$sublinear"
fi

[[ -z $SKIPPED ]] || { echo; echo "tar -xzf and omg were skipped: $SKIPPED"; }
warnings=$(grep -c '^warning' "$LOG" || true)
(( warnings == 0 )) || { echo; echo "casefile printed $warnings warning lines: see $LOG"; }
(( ${#FAILED[@]} == 0 )) || { echo; echo "some commands failed: see $LOG"; exit 1; }
