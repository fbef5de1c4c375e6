#!/bin/sh
# iso/mkiso.sh KERNEL.elf "COMMAND LINE" OUT.iso [MODULE...]
#
# Builds a bootable ISO: GRUB 2 (BIOS, i386-pc) loads KERNEL with the given
# kernel command line through multiboot2. Each MODULE file is added as a
# multiboot2 module (its file name is the module's name). Used by the
# Makefile and by tests/run_tests.py, so every boot goes through one recipe.
set -eu
kernel=$1 cmdline=$2 out=$3
shift 3
here=$(dirname "$0")
stage=$(mktemp -d "${TMPDIR:-/tmp}/mmkern-iso.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/kernel.elf"
# Escape characters that sed's replacement would interpret.
esc=$(printf '%s' "$cmdline" | sed -e 's/[\\&|]/\\&/g')
sed "s|@CMDLINE@|$esc|" "$here/grub.cfg.in" > "$stage/boot/grub/grub.cfg"
for m in "$@"; do
    name=$(basename "$m")
    cp "$m" "$stage/boot/$name"
    sed -i "s|^\(    multiboot2 .*\)$|\1\n    module2 /boot/$name $name|" "$stage/boot/grub/grub.cfg"
done
grub-mkrescue -o "$out" "$stage" >"$stage.log" 2>&1 || { cat "$stage.log" >&2; rm -f "$stage.log"; exit 1; }
rm -f "$stage.log"
