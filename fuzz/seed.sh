#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets under fuzz/corpus/<target>/ (not committed) from
# the real samples in ../shared/realdata/ (see its SOURCES.md) and the scenarios in testdata/.
# Seeds are small: libFuzzer mutates small inputs faster, and the targets run with small caps.
# Usage: fuzz/seed.sh [REALDATA_DIR]   (default: ../shared/realdata next to the repository)
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
real=${1:-$root/../shared/realdata}
testdata=$root/testdata
out=corpus
max=65536 # bytes per seed (the documented -max_len)

for t in archive yaml pem logs timefmt; do mkdir -p "$out/$t"; done
seed() { # seed TARGET FILE: copies FILE (its first $max bytes) under a content-hashed name
  local h
  h=$(head -c "$max" "$2" | sha1sum | cut -c1-16)
  head -c "$max" "$2" >"$out/$1/$h"
}
files() { find "$@" -type f 2>/dev/null | LC_ALL=C sort; }
srcs=()
[ -d "$real" ] && srcs+=("$real") || echo "seed.sh: $real not found; testdata only" >&2
srcs+=("$testdata")

# --- archive: small real archives as they are, plus small generated ones of every kind.
for f in $(files "${srcs[@]}" -size -65537c \( -name '*.tgz' -o -name '*.tar.*' -o -name '*.gz' -o -name '*.xz' -o -name '*.zip' \)); do
  seed archive "$f"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mg=$tmp/mg/quay-io-image
mkdir -p "$mg/namespaces/ns1/core" "$mg/cluster-scoped-resources/core/nodes" "$mg/host_service_logs/masters"
printf '2021-08-03 12:11:56.91501602 +0200 CEST m=+1.651641915\n' >"$tmp/mg/timestamp"
printf 'openshift/must-gather\n4.0\n' >"$mg/version"
n=0
for f in $(files "${srcs[@]}" -size -4k -name '*.yaml'); do
  n=$((n + 1)); [ $n -gt 6 ] && break
  cp "$f" "$mg/namespaces/ns1/core/f$n.yaml"
done
for f in $(files "${srcs[@]}" -size -4k -name '*.log'); do
  head -c 2048 "$f" >"$mg/host_service_logs/masters/kubelet_service.log"; break
done
ln -s ../version "$mg/namespaces/link" 2>/dev/null || true
( cd "$tmp" && tar cf mg.tar mg && gzip -kn mg.tar && xz -k mg.tar && zip -qry mg.zip mg \
  && { command -v zstd >/dev/null && zstd -q mg.tar -o mg.tar.zst || true; } \
  && gzip -c mg.tar.gz >nested.tar.gz.gz && tar cf outer.tar mg.tar.gz mg.zip )
for f in "$tmp"/mg.tar "$tmp"/mg.tar.gz "$tmp"/mg.tar.xz "$tmp"/mg.zip "$tmp"/mg.tar.zst "$tmp"/outer.tar; do
  if [ -f "$f" ]; then seed archive "$f"; fi
done

# --- yaml: resource files (YAML and JSON) that fit in a seed.
for f in $(files "${srcs[@]}" -size -65537c \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \)); do
  seed yaml "$f"
done

# --- pem: anything with a PEM block or a kubeconfig certificate field.
for f in $(files "${srcs[@]}" -size -65537c -type f); do
  if grep -qE 'BEGIN CERTIFICATE|certificate-authority-data|client-certificate-data' "$f" 2>/dev/null; then
    seed pem "$f"
  fi
done
for f in $(files "${srcs[@]}" -name '*.crt'); do seed pem "$f"; done

# --- logs: the first 16 KiB of every log, journal and command output.
for f in $(files "${srcs[@]}" \( -name '*.log' -o -name '*_service*' -o -path '*journal*' -o -path '*sos_commands*' \)); do
  h=$(head -c 16384 "$f" | sha1sum | cut -c1-16)
  head -c 16384 "$f" >"$out/logs/$h"
done
for f in $(files "${srcs[@]}" -name '*_logs_kubelet.gz'); do
  { gzip -dc "$f" || true; } | head -c 16384 >"$tmp/unzipped"
  seed logs "$tmp/unzipped"
done

# --- timefmt: the first 64 bytes of distinct log lines (up to 40 per file), timestamp files, date output.
for f in $(files "${srcs[@]}" \( -name '*.log' -o -name timestamp -o -name date -o -name '*_service*' \)); do
  { head -n 40 "$f" || true; } | cut -c1-64 | sort -u | while IFS= read -r line; do
    h=$(printf '%s' "$line" | sha1sum | cut -c1-16)
    printf '%s' "$line" >"$out/timefmt/$h"
  done
done

for t in archive yaml pem logs timefmt; do
  printf '%-8s %5d seeds %8s\n' "$t" "$(ls "$out/$t" | wc -l)" "$(du -sh "$out/$t" | cut -f1)"
done
