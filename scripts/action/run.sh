#!/usr/bin/env bash
# The GitHub Action's work (action.yml calls this file; test/github/action-run.test.ts runs the same file).
#
# Inputs arrive as environment variables, never pasted into the script, so a path or a gate is data, not code:
#   LM_ACTION_PATH  the action's own checkout (github.action_path)
#   LM_VERSION      empty: run the action's own code, built there; else an exact published version to install
#   LM_SCAN         'true' to scan LM_PATH; 'false' to use an existing LM_RESULT (the comment job)
#   LM_PATH LM_LOGS LM_BASE LM_RESULT LM_FORMAT LM_FAIL_ON LM_COMMENT LM_CACHE (a fact cache directory; empty for none)
#   GITHUB_OUTPUT GITHUB_STEP_SUMMARY RUNNER_TEMP, and for LM_COMMENT=true: LM_GITHUB_TOKEN and the usual GITHUB_* vars
#   (the token is handed to the comment command only, not to the scan)
#
# Order: scan, diff, report, gates evaluated, comment posted, outputs written; the step fails (exit 1) only at the
# end, so the report, the comment and the outputs exist when a gate is crossed. Exit 2 is a run that could not finish.
set -euo pipefail
# The scan never sees a token: it is kept in a shell variable (not exported) for the comment command alone.
token="${LM_GITHUB_TOKEN:-}"
unset GITHUB_TOKEN LM_GITHUB_TOKEN

die() {
  echo "::error::lambda-migrate: $1"
  exit 2
}

: "${LM_ACTION_PATH:?LM_ACTION_PATH is not set}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set (run by GitHub Actions or a test that sets it)}"
LM_PATH="${LM_PATH:-.}"
LM_LOGS="${LM_LOGS:-}"
LM_BASE="${LM_BASE:-}"
LM_RESULT="${LM_RESULT:-result.json}"
LM_CACHE="${LM_CACHE:-}"
LM_FORMAT="${LM_FORMAT:-markdown}"
LM_FAIL_ON="${LM_FAIL_ON:-none}"
LM_VERSION="${LM_VERSION:-}"
LM_SCAN="${LM_SCAN:-true}"
LM_COMMENT="${LM_COMMENT:-false}"

case "$LM_SCAN" in true | false) ;; *) die "input scan must be true or false, not '$LM_SCAN'" ;; esac
case "$LM_COMMENT" in true | false) ;; *) die "input comment must be true or false, not '$LM_COMMENT'" ;; esac
case "$LM_FORMAT" in
  text) ext=txt ;;
  markdown | pr-comment) ext=md ;;
  html | csv | sarif | json) ext="$LM_FORMAT" ;;
  *) die "unknown format '$LM_FORMAT' (text, markdown, html, csv, sarif, json, pr-comment)" ;;
esac

# Which lambda-migrate runs: never a bare package name, which would fetch whatever the registry has under it.
if [ -n "$LM_VERSION" ]; then
  # An exact version the user pinned (1.2.3 or 1.2.3-rc.1): installed into a private prefix, not the workspace.
  [[ "$LM_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || die "version must be an exact version such as 0.1.0, not '$LM_VERSION'"
  prefix="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/lambda-migrate-$LM_VERSION"
  if [ ! -f "$prefix/node_modules/lambda-migrate/bin/lambda-migrate.js" ]; then
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --ignore-scripts "lambda-migrate@$LM_VERSION" >&2
  fi
  cli=(node "$prefix/node_modules/lambda-migrate/bin/lambda-migrate.js")
else
  # The action's own checkout at the ref the workflow named: installed and built there once (npm ci runs the build).
  if [ ! -f "$LM_ACTION_PATH/dist/src/cli/main.js" ]; then
    (cd "$LM_ACTION_PATH" && npm ci --no-audit --no-fund) >&2
  fi
  cli=(node "$LM_ACTION_PATH/bin/lambda-migrate.js")
fi

if [ "$LM_SCAN" = true ]; then
  args=(scan "$LM_PATH" -f json -o "$LM_RESULT")
  if [ -n "$LM_LOGS" ]; then args+=(--logs "$LM_LOGS"); fi
  if [ -n "$LM_CACHE" ]; then args+=(--cache "$LM_CACHE"); fi
  "${cli[@]}" "${args[@]}"
  if [ -n "$LM_BASE" ]; then
    # The head result with what changed since the base attached (same file: both are read before writing).
    "${cli[@]}" diff "$LM_BASE" "$LM_RESULT" -f json -o "$LM_RESULT"
  fi
elif [ ! -f "$LM_RESULT" ]; then
  die "scan is false and there is no result at '$LM_RESULT'"
fi

report="lambda-migrate-report.$ext"
gate_log="$(mktemp)"
status=0
# stderr is kept, then shown in the log: its `fail-on SPEC: ...` lines say which gates were crossed.
"${cli[@]}" report "$LM_RESULT" -f "$LM_FORMAT" -o "$report" --fail-on "$LM_FAIL_ON" 2>"$gate_log" || status=$?
cat "$gate_log" >&2
if [ "$status" -gt 1 ]; then exit "$status"; fi
if [ -f "$report" ] && [ "$ext" = md ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$report" >> "$GITHUB_STEP_SUMMARY"; fi

if [ "$LM_COMMENT" = true ]; then
  # Posted before the step fails on a gate, so the reviewer sees why.
  [ -n "$token" ] || die "comment is true but there is no github-token"
  GITHUB_TOKEN="$token" "${cli[@]}" comment --github "$LM_RESULT"
fi

{
  echo "result=$LM_RESULT"
  echo "report=$report"
  node "$LM_ACTION_PATH/scripts/action/outputs.mjs" "$LM_RESULT" "$gate_log"
} >> "$GITHUB_OUTPUT"
rm -f "$gate_log"
exit "$status"
