#!/bin/sh
# smoke-linux.sh STAGE - run /sbin/init of the initramfs tree natively.
#
# STAGE is the staged initramfs tree (build/user/initrd-root). init runs
# in a chroot of it (as root, or as "root" of a user namespace), exactly
# as the kernel would start it: fds 0-2 open, no arguments. Its stdin is a
# script for the shell; the output is checked for the expected lines and
# init's exit status must be the shell's, set by the final "exit 3".
# Then every /tests program runs in the chroot the way the kernel's runner
# starts it (argv[0] "/tests/NAME", the kernel's environment).

stage=$(cd "$1" && pwd) || exit 1
if [ "$(id -u)" = 0 ]; then
	run="chroot"
elif unshare -r true 2>/dev/null; then
	run="unshare -r chroot"
else
	echo "# SKIP: needs root or user namespaces for chroot"
	exit 0
fi

out=$(mktemp)
cat <<'SCRIPT' | (cd / && timeout -s KILL 30 $run "$stage" /sbin/init) >"$out" 2>&1
echo hello world
echo "two  spaces" and "" an empty word
# a comment line
ls /bin
ls -l /tests
echo piped through | cat | cat
echo to a file > /tmp/f
echo more >> /tmp/f
cat < /tmp/f
cat /no/such/file
nosuchprogram
segv
segv ro
echo status $?
sleep 0.1
cd /tmp
pwd
ls
cd /no/such/dir
echo "unclosed
help
cowdemo
exit 3
SCRIPT
rc=$?
sed 's/^/# /' "$out"

fails=0
expect() {
	if grep -qF -- "$1" "$out"; then
		echo "ok - $2"
	else
		echo "not ok - $2 (missing: $1)"
		fails=$((fails + 1))
	fi
}
expect "mmkern init: hello from user space" "init greets"
expect "hello world" "echo"
expect "two  spaces and  an empty word" "double quotes and an empty word"
expect "cowdemo" "ls /bin"
expect "-rwxr-xr-x" "ls -l"
expect "fork_cow" "ls -l /tests"
expect "piped through" "a pipeline of three"
expect "to a file" "> redirection"
expect "more" ">> redirection"
expect "cat: /no/such/file: No such file or directory" "cat error"
expect "exit status 1" "non-zero exit status reported"
expect "sh: nosuchprogram: command not found" "unknown command"
expect "Killed by signal 11" "death by signal reported"
expect "status 139" "\$? after a signal"
expect "/tmp" "cd and pwd"
expect "sh: cd: /no/such/dir" "cd error"
expect "sh: unclosed" "unclosed quote"
expect "builtins: cd" "help"
expect "Step 4." "cowdemo runs to the end"
expect "mmkern init: the shell exited (status 3)" "init reports the shell's status"
if [ $rc -eq 3 ]; then
	echo "ok - init exits with the shell's status (3)"
else
	echo "not ok - init exit status $rc, want 3"
	fails=$((fails + 1))
fi

# Each test as the kernel's runner starts it: argv[0] "/tests/NAME", the
# kernel's environment, "/" as the root and the working directory.
for name in $(cat "$stage/tests/index"); do
	(cd / && env -i HOME=/ PATH=/bin:/sbin TERM=vt100 \
	   timeout -s KILL 60 $run "$stage" "/tests/$name") </dev/null >"$out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then
		echo "ok - /tests/$name in the chroot"
	else
		sed 's/^/# /' "$out"
		echo "not ok - /tests/$name in the chroot (status $rc)"
		fails=$((fails + 1))
	fi
done
rm -f "$out"
echo "# smoke: $fails failed"
[ $fails -eq 0 ]
