#!/bin/sh
# reindexmem.sh: what an admin reindex adds to a serving process (issue 15).
#
#   cmd/tacheron-bench/reindexmem.sh INDEX CORPUS
#
# INDEX    a store holding a snapshot (served, then reindexed: it gains a
#          generation)
# CORPUS   the corpus the reindex reads; one that shares no file with the
#          served snapshot's corpus makes the reindex read every document
#          again, as a full rebuild does
#
# It serves INDEX (127.0.0.1:$PORT, default 18600) with --corpus CORPUS,
# waits until it is ready, runs a few searches, reads the process's
# resident memory, starts a reindex through the admin endpoint, waits for
# it to finish, and prints the resident memory before, the peak (VmHWM)
# and their difference, and the reindex's duration. TACHERON names the
# binary (default: tacheron on the PATH); FLAGS holds extra flags of
# "tacheron serve" (like --reindex-max-memory 512MiB).
set -eu
index=${1:?usage: reindexmem.sh INDEX CORPUS}
src=${2:?corpus}
tacheron=${TACHERON:-tacheron}
port=${PORT:-18600}
base=http://127.0.0.1:$port
export TACHERON_ADMIN_TOKEN=reindexmem
# shellcheck disable=SC2086
"$tacheron" serve --addr 127.0.0.1:"$port" --index "$index" --corpus "$src" ${FLAGS:-} >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
i=0
until curl -sf "$base/readyz" >/dev/null; do
	i=$((i + 1))
	[ $i -lt 600 ] || { echo "reindexmem: the server is not ready" >&2; exit 1; }
	sleep 0.2
done
for q in données travail plateforme "micro travail" uber syndicat algorithme "intelligence artificielle"; do
	curl -s -o /dev/null -G --data-urlencode "q=$q" "$base/api/v1/search"
done
kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/$pid/status; }
before=$(kb VmRSS)
auth="Authorization: Bearer $TACHERON_ADMIN_TOKEN"
curl -sf -X POST -H "$auth" "$base/api/v1/admin/reindex" >/dev/null
until curl -s -H "$auth" "$base/api/v1/admin/reindex" | grep -q '"state":"idle"'; do sleep 1; done
status=$(curl -s -H "$auth" "$base/api/v1/admin/reindex")
peak=$(kb VmHWM)
echo "$status"
echo "serving RSS before: $((before / 1024)) MiB; peak: $((peak / 1024)) MiB; growth: $(((peak - before) / 1024)) MiB"
