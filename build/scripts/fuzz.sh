#!/usr/bin/env bash
# Runs one Go fuzzer for a short time: fuzz.sh PACKAGE TARGET FUZZTIME.
#
# A failure with a reproducer (written under the package's testdata/fuzz/)
# fails. Go's fuzzing engine also exits non-zero without one when -fuzztime
# runs out while a worker is mid-run ("context deadline exceeded", golang/go
# issue 51484): that run is said so and retried once, and fails only if the
# retry fails too. Any other failure fails at once. The whole output is shown
# on a failure (a fresh-clone run here once failed with no reproducer and its
# reason cut off by the `tail -n 3` this replaces).
set -uo pipefail
pkg=$1 target=$2 fuzztime=$3

run() {
	out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" 2>&1)
}

echo "fuzz $target ($pkg, $fuzztime)"
for attempt in 1 2; do
	if run; then
		tail -n 3 <<<"$out"
		exit 0
	fi
	echo "$out"
	if grep -q 'Failing input written to' <<<"$out" || ! grep -q 'context deadline exceeded' <<<"$out"; then
		echo "fuzz $target: FAILED" >&2
		exit 1
	fi
	[ "$attempt" = 1 ] && echo "fuzz $target: -fuzztime ran out mid-run without a failing input (golang/go#51484); once more"
done
echo "fuzz $target: FAILED twice" >&2
exit 1
