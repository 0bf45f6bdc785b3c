#!/bin/sh
# Developer tool: tests/new-case.sh NAME 'ARGS' writes tests/cases/NAME from
# the current plugin's behaviour. Review expected.out before committing it.
# Needs PLUGIN and FIXTURES (the build tree's) in the environment.
set -eu
name=$1 args=$2
d=$(dirname "$0")/cases/$name
mkdir -p "$d"
printf '%s\n' "$args" >"$d/cmd"
set +e
out=$(cd "$FIXTURES/core" && eval "\"\$PLUGIN\" $args" 2>/dev/null)
rc=$?
set -e
printf '%s\n' "$out" >"$d/expected.out"
echo "$rc" >"$d/expected.rc"
echo "== $name (rc=$rc)"; cat "$d/expected.out"
