#!/usr/bin/env bash
# The whole test suite: lint and formatting (ESLint, Prettier), unit and integration tests (vitest,
# real SQLite files), then a production build and the end-to-end tests (Playwright driving Debian's
# Chromium against the real server).
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the end-to-end tests (apt-get install -y chromium)…"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The end-to-end tests need Chromium at $CHROMIUM: run 'sudo apt-get install -y chromium' (or set CHROMIUM_PATH), then npm test again." >&2
    exit 1
  fi
fi

# Reports go under .cache/ (Playwright empties its own test-results/ folder when it starts).
REPORTS=.cache/test-reports
mkdir -p "$REPORTS"
npm run lint
npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest.json"
npm run build
PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/e2e.json" npx playwright test --reporter=list,json

# One summary of both runs at the end, so the log's last lines say what was tested.
node scripts/test-summary.mjs "$REPORTS/vitest.json" "$REPORTS/e2e.json"
