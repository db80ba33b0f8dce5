#!/bin/sh
# run-norebuild: every run-<prog> target boots the same kernel image, so right
# after `make run-dumbfork-nox`, `make run-hello-nox` compiles and links
# nothing. Runs both with QEMU=true (the QEMU command line is run by `true`) and
# fails if the second prints any build step ("+ ..." lines). Exit 0 = pass.
MAKE="make --no-print-directory QEMU=true"
$MAKE run-dumbfork-nox >/dev/null 2>&1 ||
	{ echo "run-norebuild: FAIL: make run-dumbfork-nox failed"; exit 1; }
out=$($MAKE run-hello-nox 2>&1) ||
	{ printf '%s\n' "$out" | tail -5; echo "run-norebuild: FAIL: make run-hello-nox failed"; exit 1; }
built=$(printf '%s\n' "$out" | grep -E '^\+ |^deps:')
if [ -n "$built" ]; then
	printf '%s\n' "$built" | head -5
	echo "run-norebuild: FAIL: make run-hello-nox rebuilt after run-dumbfork-nox"
	exit 1
fi
printf '%s\n' "$out" | grep -q "^true .*string=hello'" ||
	{ printf '%s\n' "$out"; echo "run-norebuild: FAIL: no QEMU command for hello"; exit 1; }
echo "run-norebuild: PASS: run-hello-nox after run-dumbfork-nox only starts QEMU"
