#!/usr/bin/env bash
# Generates each adversarial input into a temporary directory and runs the release
# `casefile index` on it under /usr/bin/time, printing one row per case: wall seconds, CPU
# seconds (user + system), peak RSS in MiB, the exit status and the first warning printed.
# Every input is a small must-gather plus the hostile member, so "the rest still loads" shows
# as the object count. Usage: scripts/hostile.sh [--keep]   (needs python3, gzip, xz, tar)
# The measured table is in docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
keep=${1:-}
cargo build --release --locked -q -p casefile-cli
bin=$PWD/target/release/casefile
work=$(mktemp -d)
[ "$keep" = --keep ] && echo "inputs kept in $work" >&2 || trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import gzip, io, lzma, os, struct, sys, tarfile, zlib

out = sys.argv[1]
IMG = "mg/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-0000"
CM = ("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm-a\n"
      "    namespace: ns1\n    uid: 11111111-0000-0000-0000-00000000000a\nkind: ConfigMapList\n"
      "metadata:\n  resourceVersion: \"\"\n")
NODE = ("apiVersion: v1\nkind: Node\nmetadata:\n  name: ip-10-0-1-2.ec2.internal\n"
        "  uid: 22222222-0000-0000-0000-000000000001\n")
GOOD = [
    ("mg/timestamp", b"2021-08-03 12:11:56.91501602 +0200 CEST m=+1.651641915\n"),
    (f"{IMG}/version", b"openshift/must-gather\n4.0-art-dev\n"),
    (f"{IMG}/timestamp", b"2021-08-03 10:12:00.016988581 +0000 UTC m=+0.380233555\n"),
    (f"{IMG}/namespaces/ns1/core/configmaps.yaml", CM.encode()),
    (f"{IMG}/cluster-scoped-resources/core/nodes/ip-10-0-1-2.ec2.internal.yaml", NODE.encode()),
    (f"{IMG}/host_service_logs/masters/kubelet_service.log",
     b"Aug 03 09:17:42.077259 ip-10-0-1-2 systemd[1]: Starting Kubernetes Kubelet...\n"),
]

def tar_bytes(members, extra=()):
    """members: (name, bytes); extra: callables(tarfile) adding special entries."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, data in members:
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 1627985533
            t.addfile(ti, io.BytesIO(data))
        for f in extra:
            f(t)
    return buf.getvalue()

def link(name, target, kind):
    def add(t):
        ti = tarfile.TarInfo(name); ti.type = kind; ti.linkname = target; ti.mtime = 1627985533
        t.addfile(ti)
    return add

def gz(b):
    return gzip.compress(b, compresslevel=6, mtime=0)

def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

# 1. Concatenated gzip members: the outer stream split in two members mid-header, and a
#    rotated log that is itself two members.
logs = GOOD + [("mg/rotated.log.gz", gz(b"first part\n") + gz(b"second part\n"))]
t = tar_bytes(logs)
write("01-concatenated-gzip.tar.gz", gz(t[:1636]) + gz(t[1636:]))

# 2. Hard-link loop (a -> b -> a, and a self-link) inside a tar.
write("02-hardlink-loop.tar", tar_bytes(GOOD, [
    link("mg/loop-a", "mg/loop-b", tarfile.LNKTYPE),
    link("mg/loop-b", "mg/loop-a", tarfile.LNKTYPE),
    link("mg/self", "mg/self", tarfile.LNKTYPE)]))

# 3. YAML nested 100k deep (flow), and a JSON file nested 100k deep.
deep = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n  namespace: ns1\ndata:\n  a: "
        + "[" * 100_000 + "\n").encode()
write("03-yaml-100k-deep.tar.gz", gz(tar_bytes(GOOD + [(f"{IMG}/namespaces/ns1/core/configmaps/deep.yaml", deep)])))
write("04-json-100k-deep.tar.gz", gz(tar_bytes(GOOD + [(f"{IMG}/namespaces/ns1/core/configmaps/deep.json",
                                                      b"{\"kind\": \"ConfigMap\", \"data\": " + b"[" * 100_000)])))

# 4. 100 MB single lines, in a pod log and in a YAML resource file (default caps: loaded whole).
line = (b"2024-02-10T08:00:00.000000000Z " + b"abcdefghijklmnopqrstuvwxyz0123456789 " * (100 * 2**20 // 37))
write("05-100mb-line-log.tar.gz", gz(tar_bytes(GOOD + [(f"{IMG}/namespaces/ns1/pods/p/c/c/logs/current.log", line)])))
yaml = (b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge-line\n  namespace: ns1\ndata:\n  blob: "
        + b"abcdefghijklmnopqrstuvwxyz0123456789 " * (100 * 2**20 // 37) + b"x\n")
write("06-100mb-line-yaml.tar.gz", gz(tar_bytes(GOOD + [(f"{IMG}/namespaces/ns1/core/configmaps/huge-line.yaml", yaml)])))
del line, yaml

# 5. Archives nested 5 deep (the default cap expands 3 levels).
inner = tar_bytes([("note-5.txt", b"level 5\n")])
for level in range(4, 0, -1):
    inner = tar_bytes([(f"note-{level}.txt", b"level\n"), (f"l{level + 1}.tgz", gz(inner))])
write("07-nested-5-deep.tar.gz", gz(tar_bytes(GOOD + [("mg/l1.tgz", gz(inner))])))

# 6. A gzip bomb member: 1 GiB of zeros, about 1 MiB compressed.
z = zlib.compressobj(9, zlib.DEFLATED, 31)
chunk = bytes(1 << 20)
bomb = b"".join(z.compress(chunk) for _ in range(1024)) + z.flush()
write("08-gzip-bomb-member.tar", tar_bytes(GOOD + [("mg/bomb.log.gz", bomb)]))

# 7. An xz archive whose block header asks for a 1.5 GiB dictionary (over the 256 MiB decoder
#    memory cap): made with a small dictionary, then the LZMA2 property byte is patched and the
#    block header CRC recomputed, so a decoder without a memory cap would try to allocate it.
x = bytearray(lzma.compress(tar_bytes(GOOD), format=lzma.FORMAT_XZ,
                            filters=[{"id": lzma.FILTER_LZMA2, "dict_size": 1 << 20}]))
hsize = (x[12] + 1) * 4
hdr = x[12:12 + hsize]
i = hdr.index(b"\x21\x01")  # filter id LZMA2, 1 property byte
hdr[i + 2] = 37             # 3 << 29 = 1.5 GiB
hdr[-4:] = struct.pack("<I", zlib.crc32(bytes(hdr[:-4])))
x[12:12 + hsize] = hdr
write("09-xz-1.5gib-dictionary.tar.xz", bytes(x))
PY

# 8. A directory input with a symlink loop, and a hard link loop is not possible on disk.
mkdir -p "$work/10-directory-symlink-loop/mg"
printf '2021-08-03 12:11:56.91501602 +0200 CEST m=+1.651641915\n' >"$work/10-directory-symlink-loop/mg/timestamp"
ln -s loop-b "$work/10-directory-symlink-loop/mg/loop-a"
ln -s loop-a "$work/10-directory-symlink-loop/mg/loop-b"

printf '| case | input | wall s | CPU s | peak RSS MiB | exit | objects | warnings | first warning (or the error) |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for input in "$work"/*; do
  name=$(basename "$input")
  size=$(du -sh "$input" | cut -f1)
  set +e
  /usr/bin/time -f '%e %U %S %M' -o "$work/.time" \
    "$bin" --no-cache index "$input" >"$work/.out" 2>"$work/.err"
  status=$?
  set -e
  # (time prints "Command exited with non-zero status N" first when the command fails)
  read -r wall user sys rss < <(tail -1 "$work/.time")
  cpu=$(printf '%.2f' "$(echo "$user + $sys" | bc)")
  objects=$(grep -oiE '[0-9]+ objects?' "$work/.out" | head -1 | cut -d' ' -f1 || true)
  warnings=$(grep -c '^warning:' "$work/.err" || true)
  # Shorten the message: no temporary directory, no long must-gather image directory name.
  warn=$( (grep -h -m1 -E '^(warning|error|casefile:)' "$work/.err" || true) | head -1 \
    | sed -e "s|$work/||g" -e 's|quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-0000|IMG|g' -e 's/|/\\|/g' | cut -c1-220)
  printf '| %s | %s | %s | %s | %d | %s | %s | %s | %s |\n' "$name" "$size" "$wall" "$cpu" $((rss / 1024)) "$status" \
    "${objects:--}" "$warnings" "${warn:-(none)}"
done
