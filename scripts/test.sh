#!/usr/bin/env bash
# The one test command (`npm test`): lint, types, generated-file freshness, then every vitest project
# (unit and integration). Stops at the first failing step with its exit code.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

T0=$(date +%s)
step() { printf '\n== %s\n' "$*"; }

# Integration tests need the testbed and fail (never skip) without it. Locally `up` runs every time:
# it is idempotent (about a second when all is up) and also restarts what a previous session left
# dead behind a stale .testbed/env.json. CI brings it up in .ci/run before calling this.
if [ "${CI:-}" != "true" ]; then
  step "testbed"
  bash scripts/testbed.sh up
fi

step "biome check"
npx biome check .

step "tsc --noEmit"
npx tsc --noEmit

step "schema freshness"
if [ -f scripts/gen-schema.ts ]; then
  npm run --silent schema -- --check
else
  echo "skipped: scripts/gen-schema.ts does not exist yet"
fi

step "README action tables freshness"
npm run --silent docs -- --check

# dist/ is committed (the action runs it): CI fails when it was not rebuilt after a source change.
if [ "${CI:-}" = "true" ]; then
  step "dist freshness"
  if [ -f scripts/build.mjs ]; then
    npm run --silent build
    untracked="$(git ls-files --others --exclude-standard -- dist/)"
    if ! git diff --exit-code --stat -- dist/ || [ -n "$untracked" ]; then
      [ -z "$untracked" ] || printf 'untracked in dist/:\n%s\n' "$untracked"
      echo "dist/ is stale: run npm run build and commit dist/" >&2
      exit 1
    fi
  else
    echo "skipped: scripts/build.mjs does not exist yet"
  fi
fi

step "vitest (unit + integration)"
npx vitest run

printf '\n== all checks passed in %ss\n' "$(($(date +%s) - T0))"
