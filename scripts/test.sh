#!/usr/bin/env bash
# `npm test`: system dependencies, typecheck, lint, then every suite (unit, integration, browser).
# One command, non-zero on any failure. The last line is a plain "N passed, N failed" summary.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$1"; }

step "system dependencies"
bash scripts/check-system-deps.sh
step "typecheck (each layer)"
node scripts/typecheck.mjs
step "lint (eslint, including the layer rules)"
npx eslint --max-warnings 0 .
step "build the renderer (the browser suite drives the built UI)"
npx vite build --config renderer/vite.config.ts --logLevel warn
step "tests (vitest: unit, integration, browser)"
mkdir -p test-output
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json "$@" || status=$?
node scripts/summarise-tests.mjs test-output/vitest.json || status=1
exit $status
