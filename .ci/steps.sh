# The steps of .ci/run and its summary. Sourced, not run:
#
#   source .ci/steps.sh
#   step NAME COMMAND [ARGS...]   # once per step, in order
#   finish                        # prints the summary and exits
#
# Every step runs, even after one failed, and reports its counts through the file named by
# CI_COUNTS_FILE: one "<passed> <failed> <name>" line per test run (the pytest runs, through
# tests/conftest.py; schemathesis, one per pass; the HTML check). A step that reports nothing
# counts as one test, passed or failed by its exit status; a step that failed without counting
# a failure (a lint error, a server that did not start) counts one more. `finish` prints each
# step's counts, then, as the very last line, the totals: "N passed, N failed"; it exits with
# the status of the first step that failed (0 when none did).
# shellcheck shell=bash

CI_COUNTS_FILE=$(mktemp "${TMPDIR:-/tmp}/mbc-ci-counts.XXXXXXXX")
export CI_COUNTS_FILE
trap 'rm -f -- "$CI_COUNTS_FILE"' EXIT

TOTAL_PASSED=0
TOTAL_FAILED=0
FIRST_FAILURE=0
SUMMARY=()

step() {
    local name=$1
    shift
    printf '\n== %s ==\n' "$name"
    local before status=0 passed failed
    before=$(wc -l <"$CI_COUNTS_FILE")
    "$@" || status=$?
    read -r passed failed < <(tail -n "+$((before + 1))" "$CI_COUNTS_FILE" |
        awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ {p += $1; f += $2; n++}
             END {if (n) print p + 0, f + 0; else print "-", "-"}')
    if [[ $passed == - ]]; then
        passed=$((status == 0 ? 1 : 0))
        failed=$((status == 0 ? 0 : 1))
    elif [[ $status -ne 0 && $failed -eq 0 ]]; then
        failed=1
    fi
    if [[ $status -ne 0 && $FIRST_FAILURE -eq 0 ]]; then
        FIRST_FAILURE=$status
    fi
    TOTAL_PASSED=$((TOTAL_PASSED + passed))
    TOTAL_FAILED=$((TOTAL_FAILED + failed))
    SUMMARY+=("$(printf '%-34s %6d passed, %d failed%s' "$name:" "$passed" "$failed" \
        "$([[ $status -eq 0 ]] || echo " (exit status $status)")")")
}

finish() {
    printf '\n== summary ==\n'
    if [[ ${#SUMMARY[@]} -gt 0 ]]; then
        printf '%s\n' "${SUMMARY[@]}"
    fi
    echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
    exit "$FIRST_FAILURE"
}
