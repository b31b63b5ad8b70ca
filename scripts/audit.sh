#!/usr/bin/env bash
# `npm audit --omit=dev --audit-level=high`: fails on any high or critical advisory in what ships.
# Where the registry refuses the advisory endpoint (this workplace's mirror answers POST with 405),
# it says so loudly and exits 0: no finding is reported as "clean" that was never checked.
set -uo pipefail
out=$(npm audit --omit=dev --audit-level=high 2>&1)
status=$?
echo "$out" | grep -v 'Unknown user config'
if [ $status -ne 0 ] && echo "$out" | grep -q 'audit endpoint returned an error'; then
  echo "::warning:: npm audit NOT CHECKED: the registry refused the advisory endpoint (see above)." >&2
  exit 0
fi
exit $status
