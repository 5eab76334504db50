#!/usr/bin/env bash
# make demo: synthesise the demo council once, validate it, show what the stages produce.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DEMO=demo

if [ ! -d "$DEMO" ]; then
  echo "== Synthesising the demo council into $DEMO/ (seed 2026, Herefordshire geography)"
  "$BIN/sufficiency" synth "$DEMO" --seed 2026
fi

echo "== Validating $DEMO/"
"$BIN/sufficiency" validate "$DEMO"

LAST=$(ls "$DEMO/ssda903" | sort -n | tail -1)
AT="$LAST-03-31"
echo "== Measures at $AT"
if ! "$BIN/sufficiency" measures "$DEMO" --at "$AT"; then
  echo "(measures not available yet: children looked after by placement type on $AT)"
  "$BIN/python" - "$DEMO" "$AT" <<'PY'
import datetime as dt, sys
from pathlib import Path
import polars as pl
from sufficiency.ingest import load_data
res = load_data(Path(sys.argv[1]))
at = dt.date.fromisoformat(sys.argv[2])
eps = res.dataset.episodes_typed
open_ = eps.filter((pl.col("DECOM") <= at) & (pl.col("DEC").is_null() | (pl.col("DEC") > at)) & ~pl.col("short_break"))
print(open_.group_by("placement_type").len().sort("len", descending=True))
print("children looked after:", open_.select("CHILD").n_unique())
PY
fi
