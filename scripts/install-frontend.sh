#!/usr/bin/env bash
# Installs the web front end from the npm registry (never copied into the repo):
# govuk-frontend 5.x (what crispy-forms-gds supports) and plotly.js's strict bundle (no eval).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/sufficiency/web/static_vendor
if [ -f "$dest/.installed" ]; then exit 0; fi
work=.frontend
mkdir -p "$work"
[ -f "$work/package.json" ] || printf '{"name":"sufficiency-frontend","private":true}\n' > "$work/package.json"
(cd "$work" && npm install --silent --no-audit --no-fund govuk-frontend@5 plotly.js-strict-dist-min@3 >/dev/null 2>&1 || \
 (cd "$work" && npm install --silent --no-audit --no-fund govuk-frontend@5 plotly.js-strict-dist-min >/dev/null))
rm -rf "$dest"
mkdir -p "$dest/govuk" "$dest/plotly"
cp -r "$work/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css" \
      "$work/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js" \
      "$work/node_modules/govuk-frontend/dist/govuk/assets" "$dest/govuk/"
cp "$work/node_modules/plotly.js-strict-dist-min/plotly-strict.min.js" "$dest/plotly/"
touch "$dest/.installed"
