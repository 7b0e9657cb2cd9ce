#!/usr/bin/env bash
# run.sh SECONDS [TARGET...]: builds the fuzz targets once (no sanitizer: stable Rust), then runs
# each target in turn for SECONDS, one process (no -jobs/-workers), on fuzz/corpus/<target>
# (fuzz/seed.sh fills it). Logs go to fuzz/logs/<target>.log; the last lines of each log are
# libFuzzer's final statistics. Crashes, timeouts and OOMs land in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:?usage: run.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(archive yaml pem logs timefmt)
cargo fuzz build --sanitizer none >/dev/null
bin=target/$(rustc -vV | sed -n 's/^host: //p')/release
mkdir -p logs
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  before=$(ls "corpus/$t" | wc -l)
  echo "== $t: $secs s, corpus $before files, started $(date -u +%H:%M:%S)"
  # index::build uses rayon: one thread keeps the run on one core.
  RAYON_NUM_THREADS=1 "$bin/$t" "corpus/$t" -artifact_prefix="artifacts/$t/" \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -print_final_stats=1 >"logs/$t.log" 2>&1 || echo "   $t stopped early (see logs/$t.log)"
  after=$(ls "corpus/$t" | wc -l)
  last=$(grep -E '^#[0-9]+' "logs/$t.log" | tail -1)
  echo "   corpus $before -> $after files; last status: $last"
  grep -E 'stat::|SUMMARY' "logs/$t.log" | sed 's/^/   /'
  ls "artifacts/$t" | sed 's/^/   artifact: /'
done
