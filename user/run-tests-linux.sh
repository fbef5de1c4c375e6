#!/bin/sh
# run-tests-linux.sh USER_BUILD NAME... - run the ring-3 tests natively on Linux.
#
# Each test is $USER_BUILD/tests/NAME, a static program whose exit status
# is its verdict: 0 pass, 77 skip, anything else (or a signal) fail - the
# protocol the kernel's runner uses too. Its output is shown as "# " lines,
# then "ok N NAME" / "not ok N NAME", KTAP style, and a summary at the end.
# UTEST_ROOT tells the tests where the initramfs tree (bin/echo, ...) is.
# Exits 1 if any test failed.

build=$1
shift
root=$(cd "$build" && pwd) || exit 1
export UTEST_ROOT="$root"
timeout_s=${UTEST_LINUX_TIMEOUT:-60}

echo "KTAP version 1"
echo "1..$#"
n=0 pass=0 fail=0 skip=0
for name in "$@"; do
	n=$((n + 1))
	out=$(mktemp)
	# cd /: the tests must not depend on the directory they start in.
	(cd / && exec timeout -s KILL "$timeout_s" "$root/tests/$name") >"$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
	rm -f "$out"
	if [ $rc -eq 0 ]; then
		echo "ok $n $name"
		pass=$((pass + 1))
	elif [ $rc -eq 77 ]; then
		echo "ok $n $name # SKIP"
		skip=$((skip + 1))
	else
		if [ $rc -gt 128 ]; then
			echo "# $name: killed by signal $((rc - 128))"
		else
			echo "# $name: exit status $rc"
		fi
		echo "not ok $n $name"
		fail=$((fail + 1))
	fi
done
echo "# user tests on Linux: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
