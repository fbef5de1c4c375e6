/*
 * kernel/main.c - kmain(): what the kernel does after boot/boot.asm, in order.
 *
 *   serial console -> multiboot2 info -> CPU features (NX, WP, SMEP, SMAP)
 *   -> GDT/TSS, per-CPU data -> IDT -> physical memory and final page
 *   tables (mm_init) -> scheduler -> interrupt controller and timer ->
 *   interrupts on -> banner -> files: the RAM file system, /dev/console,
 *   the initramfs -> pid 1: the selftests if the command line says
 *   ktest=..., else the init program -> the boot context becomes the idle
 *   task.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/desc.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/time.h"
#include "generated/version.h"
#include "kernel/cmdline.h"
#include "kernel/fs.h"
#include "kernel/init.h"
#include "kernel/multiboot2.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/sections.h"
#include "kernel/string.h"
#include "mm/audit.h"
#include "mm/fail_alloc.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "tests/ktest/ktest.h"

static void print_banner(void)
{
	unsigned long total = memblock_phys_mem_size() >> 10;
	unsigned long free_kb = nr_free_pages() * (PAGE_SIZE >> 10);

	printk("mmkern " KERNEL_VERSION " - a teaching kernel for Linux memory management (x86-64)\n");
	printk("CPU: %s %s; using: %s\n", cpu_vendor, cpu_model_name, cpu_features_string());
	printk("Command line: %s\n", boot_info.cmdline);
	printk("Memory map (from %s):\n", boot_info.loader[0] ? boot_info.loader : "the boot loader");
	for (int i = 0; i < boot_info.nr_mmap; i++) {
		const struct mb2_mmap_entry *e = &boot_info.mmap[i];

		printk("  [mem %#014lx-%#014lx] %s\n", (unsigned long)e->addr,
		       (unsigned long)(e->addr + e->len - 1),
		       e->type == MB2_MMAP_AVAILABLE ? "usable" : "reserved");
	}
	printk("Memory: %luK/%luK available (kernel image %luK, reserved at boot %luK)\n",
	       free_kb, total, (unsigned long)(__kernel_phys_end - __kernel_phys_start) >> 10,
	       (unsigned long)(totalram_pages() ? (memblock_reserved_size() >> 10) : 0));
	printk("Timer: PIT at %d Hz; TSC %lu.%03lu MHz\n", HZ, (unsigned long)(tsc_khz / 1000),
	       (unsigned long)(tsc_khz % 1000));
}

static char ktest_filter[128];
static char init_path[128] = "/sbin/init";

/* unpack_initramfs - every multiboot2 module is a cpio archive for the RAM file system. */
static void unpack_initramfs(void)
{
	for (int i = 0; i < boot_info.nr_modules; i++) {
		const struct mb2_module *m = &boot_info.modules[i];
		int err = initramfs_unpack(__va(m->start), m->end - m->start);

		printk("initramfs: %s, %lu KiB%s\n", m->name, (unsigned long)(m->end - m->start) >> 10,
		       err ? " - unpacking failed" : "");
	}
	if (boot_info.nr_modules == 0)
		printk("initramfs: none (no multiboot2 module): only /dev and /tmp exist\n");
}

/* ktest_thread - run the selftests, then leave QEMU with the verdict. */
static int ktest_thread(void *arg)
{
	int failed;

	/* The runner is pid 1: it spawns the ring-3 tests and reaps orphans. */
	if (become_process())
		panic("selftests: out of memory");
	failed = ktest_run(arg);

	qemu_exit(failed ? QEMU_EXIT_FAILURE : QEMU_EXIT_SUCCESS);
}

/*
 * kmain - called once by boot/boot.asm on the boot stack, interrupts off,
 * with the multiboot2 magic and the physical address of GRUB's info block.
 */
void kmain(u32 magic, u64 mbi_phys)
{
	serial_init();
	printk("\n");
	if (magic != MULTIBOOT2_BOOTLOADER_MAGIC)
		panic("not started by a multiboot2 boot loader (magic %#x)", magic);
	multiboot2_parse(mbi_phys);
	cpu_init();
	fpu_enable();
	gdt_init();
	percpu_init();
	idt_init();
	syscall_init();
	/* Before the first kmalloc(): selftests always run with slab debugging. */
	slub_debug = cmdline_get(boot_info.cmdline, "slub_debug", NULL, 0) ||
		     cmdline_get(boot_info.cmdline, "ktest", NULL, 0);
	mm_init();
	sched_init();
	pic_init();
	timer_init();
	tsc_calibrate();
	local_irq_enable();
	print_banner();
	vfs_init();
	console_init();
	unpack_initramfs();

	{
		char v[16];

		mm_audit_strict = cmdline_get(boot_info.cmdline, "mm_audit", v, sizeof(v)) &&
				  strcmp(v, "strict") == 0;
		if (mm_audit_strict)
			printk("mm_audit=strict: auditing memory after every fork, exec and exit\n");
		fail_alloc_setup(boot_info.cmdline);
	}

	/* Whichever comes first is pid 1, the reaper of orphans. */
	if (cmdline_get(boot_info.cmdline, "ktest", ktest_filter, sizeof(ktest_filter))) {
		if (!kthread_run(ktest_thread, ktest_filter, "ktest"))
			panic("cannot start the selftest thread");
	} else {
		cmdline_get(boot_info.cmdline, "init", init_path, sizeof(init_path));
		printk("Running %s as init. Quit QEMU with Ctrl-A X.\n", init_path);
		if (!kthread_run(kernel_init_thread, init_path, "init"))
			panic("cannot start init");
	}
	cpu_idle();
}
