# Makefile - build, boot, test and debug the kernel.
#
#   make            kernel.elf (+ kernel.sym, kernel.asm) and kernel.iso in build/
#   make run        boot in QEMU, console on this terminal (Ctrl-A X quits)
#   make test       the whole test suite: in-kernel selftests (KTAP), the gdb
#                   check and the harness's own checks; ends "N passed, M failed"
#   make debug      QEMU stopped at the first instruction, gdb attached with the
#                   kernel-aware commands (kps kpt kvma kpage kbt), breakpoint at kmain
#   make bench      the memory benchmarks (user/bin/bench as init) under QEMU
#                   -icount: guest instructions per operation, exactly repeatable
#   make bench-linux    the same binary as /init on Debian's own Linux kernel
#                   (apt-get download of the linux-image package; nothing installed)
#   make bench-compare  both side by side with ratios and targets, and the fork
#                   cost against resident size as build/bench/fork-cost.svg
#   make clean      remove build/
#
# Variables: CMDLINE="..." (kernel command line for run/debug),
# KTEST=GLOB (which selftests make test runs; default all; the slow_* suites
# boot separately with SLOW_MEM=2G), MEM=256M,
# INIT=/path (run that program as pid 1; make run then exits with its status),
# EXTRA=DIR (every file in DIR goes into the initramfs under /extra),
# BREAK=FUNC (make debug breaks there instead of kmain, e.g.
# make debug INIT=/bin/cowdemo BREAK=do_wp_page).
# Missing tools are installed first (Debian: apt-get, with sudo when not root).

BUILD   := build
OBJDIR  := $(BUILD)/obj
MEM     ?= 256M
SLOW_MEM ?= 2G
CMDLINE ?=
KTEST   ?= *

CC      := gcc
LD      := ld
NASM    := nasm
NM      := nm
OBJDUMP := objdump

CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	  -ffreestanding -fno-pic -fno-pie -mcmodel=kernel -mno-red-zone \
	  -mno-sse -mno-mmx -mno-sse2 -mgeneral-regs-only \
	  -fno-stack-protector -fno-asynchronous-unwind-tables \
	  -fno-omit-frame-pointer -fno-optimize-sibling-calls \
	  -fno-strict-aliasing -fno-common -nostdlib \
	  -I. -I$(BUILD)/include -MMD -MP
NASMFLAGS := -f elf64 -I.
LDFLAGS := -nostdlib -static -z max-page-size=0x1000 --no-warn-rwx-segments

C_SRCS   := $(sort $(wildcard arch/x86_64/*.c kernel/*.c mm/*.c tests/ktest/*.c))
ASM_SRCS := boot/boot.asm $(sort $(wildcard arch/x86_64/*.asm))
OBJS     := $(patsubst %.asm,$(OBJDIR)/%.o,$(ASM_SRCS)) $(patsubst %.c,$(OBJDIR)/%.o,$(C_SRCS))

KERNEL := $(BUILD)/kernel.elf
ISO    := $(BUILD)/kernel.iso
INITRD := $(BUILD)/initrd.cpio
EXTRA  ?=
INIT   ?=
BREAK  ?=
RUN_CMDLINE := $(strip $(CMDLINE) $(if $(INIT),init=$(INIT)))

QEMU := qemu-system-x86_64
QEMU_FLAGS := -m $(MEM) -cpu max -display none -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -global isa-fdc.fdtypeA=none

.PHONY: all run test debug clean deps bench bench-linux bench-compare deps-bench
all: $(ISO)

# User programs and the initramfs (build/initrd.cpio): user/user.mk.
include user/user.mk

# ---- build ---------------------------------------------------------------

# V=1 shows the full commands.
Q := $(if $(V),,@)

$(OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(OBJDIR)/%.o: %.asm
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NASM    $<")
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) $< -o $@

# The version string, rewritten only when it changes.
$(BUILD)/include/generated/version.h: FORCE
	@mkdir -p $(dir $@)
	@v=$$(git describe --always --dirty 2>/dev/null || echo unknown); \
	 printf '#define KERNEL_VERSION "%s"\n' "$$v" > $@.tmp; \
	 cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(OBJDIR)/kernel/main.o: $(BUILD)/include/generated/version.h
.PHONY: FORCE
FORCE:

# Two links: the first has an empty symbol table; its nm output becomes the
# real table (kernel/kallsyms.awk), which sits in .kallsyms after everything
# else, so the second link moves no symbol. We check that it did not.
$(KERNEL): $(OBJS) linker.ld kernel/kallsyms.awk
	@$(if $(Q),echo "  LD      $@ (two passes: kallsyms)")
	$(Q)awk -f kernel/kallsyms.awk </dev/null > $(BUILD)/kallsyms0.c
	$(Q)$(CC) $(CFLAGS) -c $(BUILD)/kallsyms0.c -o $(BUILD)/kallsyms0.o
	$(Q)$(LD) $(LDFLAGS) -T linker.ld -o $(BUILD)/kernel.pass1.elf $(OBJS) $(BUILD)/kallsyms0.o
	$(Q)$(NM) -n $(BUILD)/kernel.pass1.elf | awk -f kernel/kallsyms.awk > $(BUILD)/kallsyms.c
	$(Q)$(CC) $(CFLAGS) -c $(BUILD)/kallsyms.c -o $(BUILD)/kallsyms.o
	$(Q)$(LD) $(LDFLAGS) -T linker.ld -o $@ $(OBJS) $(BUILD)/kallsyms.o
	@$(NM) -n $(BUILD)/kernel.pass1.elf | grep -v -e kallsyms -e ' _end$$' -e __kernel_phys_end > $(BUILD)/pass1.sym
	@$(NM) -n $@ | grep -v -e kallsyms -e ' _end$$' -e __kernel_phys_end > $(BUILD)/pass2.sym
	@cmp -s $(BUILD)/pass1.sym $(BUILD)/pass2.sym || \
	  { echo "kallsyms: symbols moved between the two links"; exit 1; }
	$(Q)$(NM) -n $@ > $(BUILD)/kernel.sym
	$(Q)$(OBJDUMP) -d -S --no-show-raw-insn $@ > $(BUILD)/kernel.asm
	@grub-file --is-x86-multiboot2 $@ || { echo "$@: no multiboot2 header in the first 32 KiB"; exit 1; }

$(ISO): $(KERNEL) $(INITRD) iso/grub.cfg.in iso/mkiso.sh
	@$(if $(Q),echo "  ISO     $@")
	$(Q)sh iso/mkiso.sh $(KERNEL) "$(RUN_CMDLINE)" $@ $(INITRD)

-include $(OBJS:.o=.d)

# ---- use -------------------------------------------------------------------

# QEMU's exit status says how init ended (kernel/exit.c): 33 = status 0;
# 129 + 2*s = status s (mod 64); 35 = a kernel panic. make itself can only
# exit 0 or 2: it succeeds when init exits 0, and otherwise prints init's
# status and fails.
run: deps
	@$(MAKE) --no-print-directory $(KERNEL) $(INITRD)
	@sh iso/mkiso.sh $(KERNEL) "$(RUN_CMDLINE)" $(BUILD)/run.iso $(INITRD)
	@echo "Booting in QEMU. Quit with Ctrl-A X (Ctrl-A C: QEMU monitor)."
	@$(QEMU) $(QEMU_FLAGS) -cdrom $(BUILD)/run.iso -serial mon:stdio; \
	 s=$$?; case $$s in \
	   33|0) exit 0;; \
	   35) echo "make run: the kernel panicked"; exit 1;; \
	   *) if [ $$s -ge 129 ]; then echo "make run: init exited with status $$(( (s - 129) / 2 ))"; \
	      else echo "make run: QEMU exited with status $$s"; fi; exit 1;; \
	 esac

test: deps
	@$(MAKE) --no-print-directory $(KERNEL) $(INITRD)
	@python3 tests/run_tests.py --kernel $(KERNEL) --initrd $(INITRD) --filter='$(KTEST)' --mem $(MEM) --slow-mem $(SLOW_MEM)

debug: deps
	@$(MAKE) --no-print-directory $(KERNEL) $(INITRD)
	@sh iso/mkiso.sh $(KERNEL) "$(RUN_CMDLINE)" $(BUILD)/debug.iso $(INITRD)
	@port=$$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'); \
	 echo "QEMU waits for gdb on port $$port; the kernel's console goes to $(BUILD)/debug-serial.log"; \
	 echo "(watch it in another terminal: tail -f $(BUILD)/debug-serial.log)"; \
	 $(QEMU) $(QEMU_FLAGS) -cdrom $(BUILD)/debug.iso -serial file:$(BUILD)/debug-serial.log \
	   -S -gdb tcp:127.0.0.1:$$port & qpid=$$!; \
	 gdb -q -ex 'set pagination off' -ex 'file $(KERNEL)' \
	   -ex "target remote 127.0.0.1:$$port" -ex 'source tests/gdb/mmkern.py' \
	   $(if $(BREAK),-ex 'break $(BREAK)',-ex 'hbreak kmain') -ex 'continue'; \
	 kill $$qpid 2>/dev/null; wait $$qpid 2>/dev/null; true

# ---- benchmarks (tests/bench/bench.py) -------------------------------------

BENCH_DIR := $(BUILD)/bench

bench: deps
	@$(MAKE) --no-print-directory $(KERNEL) $(INITRD)
	@python3 tests/bench/bench.py mmkern --kernel $(KERNEL) --initrd $(INITRD) \
	  --out $(BENCH_DIR)/mmkern.txt
	@cat $(BENCH_DIR)/mmkern.txt

bench-linux: deps
	@$(MAKE) --no-print-directory $(USER_BUILD)/bin/bench
	@python3 tests/bench/bench.py linux --bench $(USER_BUILD)/bin/bench \
	  --out $(BENCH_DIR)/linux.txt
	@cat $(BENCH_DIR)/linux.txt

bench-compare: deps-bench
	@[ -f $(BENCH_DIR)/mmkern.txt ] || $(MAKE) --no-print-directory bench
	@[ -f $(BENCH_DIR)/linux.txt ] || $(MAKE) --no-print-directory bench-linux
	@python3 tests/bench/bench.py compare --mmkern $(BENCH_DIR)/mmkern.txt \
	  --linux $(BENCH_DIR)/linux.txt --svg $(BENCH_DIR)/fork-cost.svg

clean:
	rm -rf $(BUILD)

# ---- dependencies ----------------------------------------------------------
# Each line: a command (or file) we need, and the Debian package that has it.
DEPS := \
	gcc:gcc ld:binutils nasm:nasm python3:python3 \
	grub-mkrescue:grub-common /usr/lib/grub/i386-pc:grub-pc-bin \
	xorriso:xorriso qemu-system-x86_64:qemu-system-x86 gdb:gdb \
	musl-gcc:musl-tools cpio:cpio

# install_missing: install the Debian packages behind the missing
# "command:package" pairs of $(1) (apt-get, with sudo when not root).
define install_missing
	@missing=""; \
	for d in $(1); do \
	  what=$${d%%:*}; pkg=$${d##*:}; \
	  case $$what in /*) [ -e "$$what" ] ;; *) command -v "$$what" >/dev/null 2>&1 ;; esac \
	    || missing="$$missing $$pkg"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "Missing tools; please install these packages (Debian names):$$missing"; exit 1; \
	fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "Missing packages:$$missing - run as root or install sudo"; exit 1; fi; \
	echo "Installing missing packages with apt-get:$$missing"; \
	$$sudo apt-get update -qq && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing \
	  || { echo "apt-get failed to install:$$missing"; exit 1; }
endef

deps:
	$(call install_missing,$(DEPS))

# make bench-compare also draws a plot.
deps-bench: deps
	$(call install_missing,gnuplot:gnuplot-nox)