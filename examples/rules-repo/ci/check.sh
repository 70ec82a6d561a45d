#!/bin/sh
# What CI runs on every pull request (.github/workflows/trailwarden.yml), and what to run before pushing:
# the rules as the image will hold them (trailwarden's bundled pack + ours) are validated, their tests run, and the
# change is backtested against the sample archive (rules before the change → after).
#
#   TRAILWARDEN  how to run the CLI            (in trailwarden's image: "node /app/dist/cli.js")
#   BUNDLED      trailwarden's bundled rules    (in trailwarden's image: /app/rules)
#   BASE         a checkout of the base branch  (optional; without it the change is compared to the bundled pack alone)
#   FAIL_ON_INCREASE  alerts the change may add over the sample before the check fails (default 50)
set -eu
: "${TRAILWARDEN:?set TRAILWARDEN, e.g. node /app/dist/cli.js}"
: "${BUNDLED:?set BUNDLED to trailwarden's rules folder, e.g. /app/rules}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The image's /app/rules: the bundled pack, then this repository's rules/ over it (Dockerfile: COPY rules/ /app/rules/).
assemble() {
  mkdir -p "$2"
  cp -R "$BUNDLED"/. "$2"/
  if [ -d "$1" ]; then cp -R "$1"/. "$2"/; fi
}
assemble rules "$work/head"
assemble "${BASE:-/nonexistent}/rules" "$work/base"

$TRAILWARDEN validate --rules "$work/head" --config trailwarden.yaml
$TRAILWARDEN test --rules "$work/head" --config trailwarden.yaml
$TRAILWARDEN backtest --base "$work/base" --head "$work/head" --config trailwarden.yaml \
  --format markdown --fail-on-increase "${FAIL_ON_INCREASE:-50}" samples/cloudtrail > backtest.md
cat backtest.md
