#!/usr/bin/env bash
# make demo: synthesise the demo council once, then run the main job on it end to end:
# validate -> measures -> forecast -> gap -> match -> the sufficiency statement.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DEMO=demo
OUT=demo-output

if [ ! -f "$DEMO/la.toml" ]; then
  echo "== Synthesising the demo council into $DEMO/ (seed 2026, Herefordshire geography)"
  "$BIN/sufficiency" synth "$DEMO" --seed 2026
fi
LAST=$(ls "$DEMO/ssda903" | sort -n | tail -1)
AT="$LAST-03-31"
mkdir -p "$OUT"

echo "== Validating $DEMO/"
"$BIN/sufficiency" validate "$DEMO"

echo "== Headline measures at $AT (all measures: sufficiency measures $DEMO --at $AT)"
"$BIN/sufficiency" measures "$DEMO" --at "$AT" --measure cla_count --measure cla_rate_per_10k \
  --measure starts --measure ceased --measure cla_by_placement_type --measure placed_over_20_miles \
  --measure stability_three_plus --measure stability_long_term --measure uasc_count

echo "== Forecast, 36 months"
"$BIN/sufficiency" forecast "$DEMO" --horizon-months 36

echo "== Sufficiency gap (baseline)"
"$BIN/sufficiency" gap "$DEMO"

echo "== Home finding: one referral against the vacancies register"
cat > "$OUT/referral.json" <<'JSON'
{"id": "DEMO-1", "child": {"age": 13, "sex": "F", "home_postcode": "HR1 2HX", "school_postcode": "HR1 1LH",
 "uasc": false, "disability": false}, "needed_by": "LASTYEAR-04-15", "urgency": "under_5_days", "siblings": 0,
 "requested_type": "in_house_fostering",
 "suitability": {"foster": "preferred", "residential": "suitable", "supported": "unsuitable"},
 "needs": [], "avoid_areas": [], "budget_weekly": 1200}
JSON
sed -i "s/LASTYEAR/$LAST/" "$OUT/referral.json"
"$BIN/sufficiency" match "$DEMO" "$OUT/referral.json" --top 5

echo "== The sufficiency statement for the year ending $AT"
"$BIN/sufficiency" statement "$DEMO" --year "$LAST" --out "$OUT/statement"
echo
echo "Statement written to $OUT/statement/ (statement.html, statement.pdf, statement.xlsx, statement.json)"
echo "Web workspace on this council: make serve"
