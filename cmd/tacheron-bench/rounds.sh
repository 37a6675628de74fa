#!/bin/sh
# rounds.sh: search on a snapshot built by many incremental rounds against
# a full build of the same corpus (issue 15).
#
#   cmd/tacheron-bench/rounds.sh WORK CORPUS INDEX EXTRA
#
# WORK     a new work folder
# CORPUS   a corpus of JSON Lines files (part-NNN.jsonl, 1% of it each, as
#          "tacheron-bench gen" output is laid out by "tacheron-bench run")
# INDEX    a store holding a snapshot of CORPUS (copied, never changed)
# EXTRA    JSON Lines of documents not in CORPUS, 1,000 per round
#
# It copies CORPUS and INDEX into WORK, then runs $ROUNDS rounds (default
# 20); each removes one file (1% deleted), rewrites another (1% changed:
# each document's last paragraph gains a sentence), adds 1,000 documents of
# EXTRA in a new file (1% added), and publishes with an incremental
# "tacheron index", timed (/usr/bin/time -v: WORK/round-N.time). Then it
# builds the final corpus in full into another store (WORK/full), serves
# both snapshots (127.0.0.1:$PORT and $PORT+1) and runs "tacheron-bench
# load" against each in turn, $RUNS times (default 3): WORK/load-inc-N.txt
# and WORK/load-full-N.txt.
#
# FULL, when set, is a store already holding a full build of the final
# corpus (of an earlier run), served instead of building one.
#
# TACHERON and BENCH name the binaries (default: tacheron and
# tacheron-bench on the PATH); LOAD holds extra flags of the load command
# (default: --clients 1,4 --duration 3s); DOCS is the size of the generated
# corpus the rare words are chosen for (default 100000, seed 1).
set -eu
work=${1:?usage: rounds.sh WORK CORPUS INDEX EXTRA}
src=${2:?corpus}
index=${3:?index}
extra=${4:?extra documents}
tacheron=${TACHERON:-tacheron}
bench=${BENCH:-tacheron-bench}
rounds=${ROUNDS:-20}
runs=${RUNS:-3}
port=${PORT:-18481}
load=${LOAD:---clients 1,4 --duration 3s}

mkdir "$work"
cp -a "$src" "$work/corpus"
cp -a "$index" "$work/inc"
c="$work/corpus"

# change rewrites a JSON Lines file, each document's text gaining a
# sentence.
change() {
	python3 -c '
import json, sys
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    rec = json.loads(line)
    s = " Mise à jour : révision de l’article, corrections et précisions."
    if rec.get("paragraphs"):
        rec["paragraphs"][-1]["text"] += s
    else:
        rec["body"] = rec.get("body", "") + s
    out.append(json.dumps(rec, ensure_ascii=False))
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(out) + "\n")
' "$1"
}

# Warm up the stat shortcut: the copies have new inodes.
"$tacheron" index --corpus "$c" --index "$work/inc" >"$work/round-0.log" 2>&1
r=1
while [ "$r" -le "$rounds" ]; do
	rm "$c/$(printf 'part-%03d.jsonl' $((r - 1)))"
	change "$c/$(printf 'part-%03d.jsonl' $((r - 1 + rounds)))"
	sed -n "$(((r - 1) * 1000 + 1)),$((r * 1000))p" "$extra" >"$c/$(printf 'added-%03d.jsonl' "$r")"
	/usr/bin/time -v -o "$work/round-$r.time" "$tacheron" index --corpus "$c" --index "$work/inc" >"$work/round-$r.log" 2>&1
	r=$((r + 1))
done
full=${FULL:-$work/full}
if [ -z "${FULL:-}" ]; then
	/usr/bin/time -v -o "$work/full.time" "$tacheron" index --full --corpus "$c" --index "$full" >"$work/full.log" 2>&1
fi

"$tacheron" serve --index "$work/inc" --corpus "$c" --addr "127.0.0.1:$port" --watch-interval 0 >"$work/serve-inc.log" 2>&1 &
inc=$!
"$tacheron" serve --index "$full" --corpus "$c" --addr "127.0.0.1:$((port + 1))" --watch-interval 0 >"$work/serve-full.log" 2>&1 &
fullpid=$!
trap 'kill $inc $fullpid' EXIT
for p in "$port" $((port + 1)); do
	# Ready once the snapshot is open (healthz answers before).
	until curl -s "http://127.0.0.1:$p/readyz" | grep -q '"ready"'; do sleep 1; done
done
n=1
while [ "$n" -le "$runs" ]; do
	# shellcheck disable=SC2086 # LOAD is a list of flags
	"$bench" load --url "http://127.0.0.1:$port" --docs "${DOCS:-100000}" $load >"$work/load-inc-$n.txt" 2>&1
	# shellcheck disable=SC2086
	"$bench" load --url "http://127.0.0.1:$((port + 1))" --docs "${DOCS:-100000}" $load >"$work/load-full-$n.txt" 2>&1
	n=$((n + 1))
done
