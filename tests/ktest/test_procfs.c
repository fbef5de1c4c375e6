/*
 * tests/ktest/test_procfs.c - /proc (kernel/procfs.c, kernel/proc_pid.c):
 * Linux's text formats, and numbers that track the kernel's real state.
 *
 * Each case reads /proc through the kernel's own entry points (filp_open,
 * kernel_read, iterate_dir) and compares what it reads with what the
 * kernel knows: the buddy allocator's free count, the page-state counters
 * counted afresh over mem_map[], vm_events, the test mm's rss after it
 * maps and touches pages. The selftest thread is a process (pid 1 here)
 * with a test mm borrowed through ktest_mm_enter(), so /proc/self is it.
 * The helpers that read and pick apart the text are in ktest_proc.h.
 */
#include "tests/ktest/ktest.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/kstack.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/wait.h"
#include "mm/pgtable.h"
#include "mm/slab.h"
#include "tests/ktest/ktest_mm.h"
#include "tests/ktest/ktest_proc.h"

long sys_brk(unsigned long, unsigned long, unsigned long, unsigned long, unsigned long,
	     unsigned long);

#define P PAGE_SIZE
#define KB(pages) ((long)(pages) * (long)(P >> 10))

static int procfs_suite_init(void)
{
	if (!ramfs_root())
		vfs_init();
	return 0;
}

static const char *const meminfo_names[] = {
	"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "SwapTotal",
	"SwapFree", "AnonPages", "Mapped", "Shmem", "KReclaimable", "Slab", "SReclaimable",
	"SUnreclaim", "KernelStack", "PageTables",
};

/* meminfo_line_ok - "Name:" padded to 16 columns, 8 columns of digits, " kB". */
static bool meminfo_line_ok(const char *l, const char *name)
{
	size_t n = strlen(name);
	int i;

	if (strncmp(l, name, n) != 0 || l[n] != ':')
		return false;
	for (i = n + 1; i < 16; i++)
		if (l[i] != ' ')
			return false;
	for (i = 16; i < 24 && l[i] == ' '; i++)
		;
	if (i == 24)
		return false;              /* no digit at all */
	for (; i < 24; i++)
		if (l[i] < '0' || l[i] > '9')
			return false;
	return strncmp(l + 24, " kB\n", 4) == 0;
}

KTEST(procfs_meminfo_format_and_values)
{
	struct mm_struct *mm = ktest_mm_enter();
	struct file *f, *data;
	struct ktest_page_census c;
	unsigned long free, slab, tables, stacks;
	char *buf, *l;
	loff_t pos = 0;

	ASSERT_NOT_NULL(mm);
	/* Something in every state: anonymous, shared anonymous, a mapped file page. */
	data = filp_open("/tmp/procfs-meminfo", O_RDWR | O_CREAT | O_EXCL, 0644);
	ASSERT_FALSE(IS_ERR(data));
	EXPECT_EQ(kernel_write(data, "0123456789", 10, &pos), 10);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 3 * P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_mmap(KT_ADDR(4), P, KT_RW, MAP_SHARED | MAP_ANONYMOUS), KT_ADDR(4));
	EXPECT_EQ(vm_mmap(data, KT_ADDR(6), P, PROT_READ, MAP_SHARED, 0), KT_ADDR(6));
	for (int i = 0; i < 5; i++)
		if (i != 3)
			EXPECT_EQ(ktest_fault(mm, KT_ADDR(i), FAULT_FLAG_WRITE), 0);
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(6), 0), 0);

	/* The text is made at open; nothing allocates or maps between that and these. */
	f = filp_open("/proc/meminfo", O_RDONLY, 0);
	free = nr_free_pages();
	slab = nr_slab_pages();
	tables = nr_pgtable_pages;
	stacks = nr_kernel_stacks();
	ktest_census(&c);
	ASSERT_FALSE(IS_ERR(f));
	buf = ktest_file_text(test, f);

	l = buf;
	for (unsigned int i = 0; i < ARRAY_SIZE(meminfo_names); i++) {
		if (!meminfo_line_ok(l, meminfo_names[i]))
			ktest_fail(test, __FILE__, __LINE__, "line %u is not \"%s:\" in Linux's "
				   "layout: \"%.40s\"", i + 1, meminfo_names[i], l);
		l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l);
	}
	EXPECT_EQ(*l, '\0');
	EXPECT_EQ(ktest_field(buf, "MemTotal:"), KB(totalram_pages()));
	EXPECT_EQ(ktest_field(buf, "MemFree:"), KB(free));
	EXPECT_EQ(ktest_field(buf, "MemAvailable:"), KB(free));
	EXPECT_EQ(ktest_field(buf, "AnonPages:"), KB(c.anon_mapped));
	EXPECT_GE(c.anon_mapped, 3);                 /* our three written pages at least */
	EXPECT_EQ(ktest_field(buf, "Mapped:"), KB(c.file_mapped));
	EXPECT_GE(c.file_mapped, 2);                 /* the shmem page and the file page */
	EXPECT_EQ(ktest_field(buf, "Shmem:"), KB(c.shmem));
	EXPECT_GE(c.shmem, 1);
	EXPECT_EQ(ktest_field(buf, "Cached:"), KB(c.cached));
	EXPECT_EQ(ktest_field(buf, "Slab:"), KB(slab));
	EXPECT_EQ(ktest_field(buf, "SUnreclaim:"), KB(slab));
	EXPECT_EQ(ktest_field(buf, "PageTables:"), KB(tables));
	EXPECT_EQ(ktest_field(buf, "KernelStack:"), (long)(stacks * (THREAD_SIZE >> 10)));
	EXPECT_GT(stacks, 0);
	EXPECT_GE(ktest_field(buf, "MemTotal:"), ktest_field(buf, "MemFree:"));

	/* Unmapping moves each count by exactly what went away. */
	EXPECT_EQ(vm_munmap(KT_ADDR(0), 7 * P), 0);
	kfree(buf);
	buf = ktest_proc_text(test, "/proc/meminfo");
	EXPECT_EQ(ktest_field(buf, "AnonPages:"), KB(c.anon_mapped - 3));
	EXPECT_EQ(ktest_field(buf, "Mapped:"), KB(c.file_mapped - 2));
	EXPECT_EQ(ktest_field(buf, "Shmem:"), KB(c.shmem - 1));
	EXPECT_EQ(ktest_field(buf, "Cached:"), KB(c.cached - 1));   /* the shmem page; the file stays */
	kfree(buf);
	fput(data);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/procfs-meminfo"), 0);
	buf = ktest_proc_text(test, "/proc/meminfo");
	EXPECT_EQ(ktest_field(buf, "Cached:"), KB(c.cached - 2));
	kfree(buf);
	ktest_mm_leave(mm);
}

static const char *const vmstat_names[] = {
	"nr_free_pages", "nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_anon_pages",
	"nr_mapped", "nr_file_pages", "nr_shmem", "nr_kernel_stack", "nr_page_table_pages",
	"pgalloc_normal", "pgfree", "pgfault", "pgmajfault", "cow_copy", "cow_reuse",
	"zero_page_map", "fork_pte_copy", "pgtable_alloc", "pgtable_free",
};

KTEST(procfs_vmstat_format_and_events)
{
	struct mm_struct *mm;
	struct vm_event_state ev;
	struct ktest_page_census c;
	unsigned long free;
	struct file *f;
	char *buf, *l, key[32];

	f = filp_open("/proc/vmstat", O_RDONLY, 0);
	ev = vm_events;
	free = nr_free_pages();
	ktest_census(&c);
	ASSERT_FALSE(IS_ERR(f));
	buf = ktest_file_text(test, f);

	/* "name value", one a line, in this order and nothing else. */
	l = buf;
	for (unsigned int i = 0; i < ARRAY_SIZE(vmstat_names); i++) {
		size_t n = strlen(vmstat_names[i]);
		const char *d = l + n + 1;

		EXPECT_TRUE(strncmp(l, vmstat_names[i], n) == 0 && l[n] == ' ');
		EXPECT_TRUE(*d >= '0' && *d <= '9');
		while (*d >= '0' && *d <= '9')
			d++;
		EXPECT_EQ(*d, '\n');
		l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l);
	}
	EXPECT_EQ(*l, '\0');
	EXPECT_EQ(ktest_field(buf, "nr_free_pages"), (long)free);
	EXPECT_EQ(ktest_field(buf, "nr_anon_pages"), (long)c.anon_mapped);
	EXPECT_EQ(ktest_field(buf, "nr_mapped"), (long)c.file_mapped);
	EXPECT_EQ(ktest_field(buf, "nr_shmem"), (long)c.shmem);
	EXPECT_EQ(ktest_field(buf, "nr_file_pages"), (long)c.cached);
	EXPECT_EQ(ktest_field(buf, "nr_page_table_pages"), (long)nr_pgtable_pages);
	EXPECT_EQ(ktest_field(buf, "pgalloc_normal"), (long)ev.pgalloc_normal);
	EXPECT_EQ(ktest_field(buf, "pgfree"), (long)ev.pgfree);
	EXPECT_EQ(ktest_field(buf, "pgfault"), (long)ev.pgfault);
	EXPECT_EQ(ktest_field(buf, "pgmajfault"), (long)ev.pgmajfault);
	EXPECT_EQ(ktest_field(buf, "cow_copy"), (long)ev.cow_copy);
	EXPECT_EQ(ktest_field(buf, "cow_reuse"), (long)ev.cow_reuse);
	EXPECT_EQ(ktest_field(buf, "zero_page_map"), (long)ev.zero_page_map);
	EXPECT_EQ(ktest_field(buf, "fork_pte_copy"), (long)ev.fork_pte_copy);
	EXPECT_EQ(ktest_field(buf, "pgtable_alloc"), (long)ev.pgtable_alloc);
	EXPECT_EQ(ktest_field(buf, "pgtable_free"), (long)ev.pgtable_free);
	kfree(buf);

	/* A read fault (the zero page), then a write: two faults, one zero-page map. */
	mm = ktest_mm_enter();
	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, KT_RW, KT_ANON), KT_ADDR(0));
	buf = ktest_proc_text(test, "/proc/vmstat");
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), 0), 0);
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(0), FAULT_FLAG_WRITE), 0);
	l = ktest_proc_text(test, "/proc/vmstat");
	EXPECT_EQ(ktest_field(l, "pgfault"), ktest_field(buf, "pgfault") + 2);
	EXPECT_EQ(ktest_field(l, "zero_page_map"), ktest_field(buf, "zero_page_map") + 1);
	EXPECT_EQ(ktest_field(l, "nr_anon_pages"), ktest_field(buf, "nr_anon_pages") + 1);
	EXPECT_GT(ktest_field(l, "pgalloc_normal"), ktest_field(buf, "pgalloc_normal"));
	EXPECT_GT(ktest_field(l, "pgfree"), ktest_field(buf, "pgfree"));   /* the first text's buffer */
	for (unsigned int i = 0; i < ARRAY_SIZE(vmstat_names); i++) {
		snprintf(key, sizeof(key), "%s ", vmstat_names[i]);
		EXPECT_GE(ktest_field(l, key), 0);
	}
	kfree(l);
	kfree(buf);
	ktest_mm_leave(mm);
}

KTEST(procfs_status_tracks_rss)
{
	struct mm_struct *mm = ktest_mm_enter();
	char path[32], want[64], *a, *b;

	ASSERT_NOT_NULL(mm);
	a = ktest_proc_text(test, "/proc/self/status");
	snprintf(want, sizeof(want), "Name:\t%s", current->comm);
	EXPECT_TRUE(ktest_has_line(a, want));
	EXPECT_TRUE(ktest_has_line(a, "State:\tR (running)"));
	EXPECT_EQ(ktest_field(a, "Pid:"), current->pid);
	EXPECT_EQ(ktest_field(a, "Tgid:"), current->tgid);
	EXPECT_EQ(ktest_field(a, "PPid:"), 0);     /* a kernel thread's parent: the idle task */
	EXPECT_EQ(ktest_field(a, "Threads:"), 1);
	EXPECT_EQ(ktest_field(a, "Kthread:"), 1);
	EXPECT_EQ(ktest_field(a, "VmSize:"), 0);   /* an empty test mm */
	EXPECT_EQ(ktest_field(a, "VmRSS:"), 0);
	EXPECT_TRUE(ktest_has_line(a, "VmRSS:\t       0 kB"));   /* Linux's "%8lu kB" after a tab */
	kfree(a);

	/* mmap: VmSize grows, VmRSS does not; touching the pages makes them resident. */
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 8 * P, KT_RW, KT_ANON), KT_ADDR(0));
	a = ktest_proc_text(test, "/proc/self/status");
	EXPECT_EQ(ktest_field(a, "VmSize:"), KB(8));
	EXPECT_EQ(ktest_field(a, "VmData:"), KB(8));
	EXPECT_EQ(ktest_field(a, "VmRSS:"), 0);
	for (int i = 0; i < 8; i++)
		EXPECT_EQ(ktest_fault(mm, KT_ADDR(i), FAULT_FLAG_WRITE), 0);
	b = ktest_proc_text(test, "/proc/self/status");
	EXPECT_EQ(ktest_field(b, "VmRSS:"), ktest_field(a, "VmRSS:") + KB(8));
	EXPECT_EQ(ktest_field(b, "RssAnon:"), KB(8));
	EXPECT_EQ(ktest_field(b, "RssFile:"), 0);
	EXPECT_EQ(ktest_field(b, "VmPTE:"), KB(mm->nr_ptes));
	EXPECT_GT(ktest_field(b, "VmPTE:"), 0);
	kfree(a);
	kfree(b);

	/* Shared anonymous memory counts as RssShmem; a stack VMA as VmStk. */
	EXPECT_EQ(ktest_mmap(KT_ADDR(10), 2 * P, KT_RW, MAP_SHARED | MAP_ANONYMOUS), KT_ADDR(10));
	EXPECT_EQ(ktest_mmap(KT_ADDR(16), 4 * P, KT_RW, KT_ANON | MAP_GROWSDOWN), KT_ADDR(16));
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(10), FAULT_FLAG_WRITE), 0);
	EXPECT_EQ(ktest_fault(mm, KT_ADDR(11), 0), 0);
	a = ktest_proc_text(test, "/proc/self/status");
	EXPECT_EQ(ktest_field(a, "RssShmem:"), KB(2));
	EXPECT_EQ(ktest_field(a, "VmRSS:"), KB(10));
	EXPECT_EQ(ktest_field(a, "VmSize:"), KB(14));
	EXPECT_EQ(ktest_field(a, "VmStk:"), KB(4));
	EXPECT_EQ(ktest_field(a, "VmData:"), KB(8));
	/* /proc/<pid> is the same task as /proc/self */
	snprintf(path, sizeof(path), "/proc/%d/status", current->pid);
	b = ktest_proc_text(test, path);
	EXPECT_STREQ(a, b);
	kfree(a);
	kfree(b);
	ktest_mm_leave(mm);
}

/*
 * maps_line - append to @text (TEXT_MAX bytes) the maps line Linux would
 * print: the name, if any, from column 73.
 */
static void maps_line(char *text, unsigned long start, unsigned long end, const char *perms,
		      unsigned long off, const char *dev, unsigned long ino, const char *name)
{
	char *out = text + strlen(text);
	size_t size = TEXT_MAX - (out - text);
	int n = snprintf(out, size, "%08lx-%08lx %s %08lx %s %lu ", start, end, perms, off, dev,
			 ino);

	if (name)
		snprintf(out + n, size - n, "%*s%s", n < 73 ? 73 - n : 0, "", name);
	strlcpy(out + strlen(out), "\n", size - strlen(out));
}

KTEST(procfs_maps_lines)
{
	struct mm_struct *mm = ktest_mm_enter();
	struct file *data;
	unsigned long ino;
	char *want, *got;
	loff_t pos = 0;

	ASSERT_NOT_NULL(mm);
	want = kzalloc(TEXT_MAX, GFP_KERNEL);
	ASSERT_NOT_NULL(want);
	data = filp_open("/tmp/procfs-maps", O_RDWR | O_CREAT | O_EXCL, 0644);
	ASSERT_FALSE(IS_ERR(data));
	ino = data->f_inode->i_ino;
	EXPECT_EQ(kernel_write(data, "abc", 3, &pos), 3);
	EXPECT_EQ(vfs_truncate(data->f_inode, 3 * P), 0);

	EXPECT_EQ(ktest_mmap(KT_ADDR(0), 4 * P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(do_mprotect(KT_ADDR(1), P, PROT_READ), 0);
	EXPECT_EQ(vm_mmap(data, KT_ADDR(8), 2 * P, KT_RW, MAP_SHARED, 1), KT_ADDR(8));
	EXPECT_EQ(ktest_mmap(KT_ADDR(12), P, PROT_READ | PROT_EXEC, KT_ANON), KT_ADDR(12));
	EXPECT_EQ(ktest_mmap(KT_ADDR(14), P, PROT_READ, MAP_SHARED | MAP_ANONYMOUS), KT_ADDR(14));
	down_write(&mm->mmap_lock);
	mm->start_brk = mm->brk = KT_ADDR(16);
	mm->start_stack = KT_ADDR(26);
	up_write(&mm->mmap_lock);
	EXPECT_EQ(sys_brk(KT_ADDR(17) + 100, 0, 0, 0, 0, 0), (long)KT_ADDR(17) + 100);
	EXPECT_EQ(ktest_mmap(KT_ADDR(24), 2 * P, KT_RW, KT_ANON | MAP_GROWSDOWN), KT_ADDR(24));

	maps_line(want, KT_ADDR(0), KT_ADDR(1), "rw-p", 0, "00:00", 0, NULL);
	maps_line(want, KT_ADDR(1), KT_ADDR(2), "r--p", 0, "00:00", 0, NULL);
	maps_line(want, KT_ADDR(2), KT_ADDR(4), "rw-p", 0, "00:00", 0, NULL);
	maps_line(want, KT_ADDR(8), KT_ADDR(10), "rw-s", P, "00:01", ino, "/tmp/procfs-maps");
	maps_line(want, KT_ADDR(12), KT_ADDR(13), "r-xp", 0, "00:00", 0, NULL);
	maps_line(want, KT_ADDR(14), KT_ADDR(15), "r--s", 0, "00:01", 0,
		  "/dev/zero (deleted)");
	maps_line(want, KT_ADDR(16), KT_ADDR(18), "rw-p", 0, "00:00", 0, "[heap]");
	maps_line(want, KT_ADDR(24), KT_ADDR(26), "rw-p", 0, "00:00", 0, "[stack]");
	got = ktest_proc_text(test, "/proc/self/maps");
	EXPECT_STREQ(got, want);
	EXPECT_EQ(strchr(ktest_line_at(got, 3), '/') - ktest_line_at(got, 3), 73);
	kfree(got);

	/* The heap grows by two pages: its line ends two pages later; unlinked files say so. */
	EXPECT_EQ(sys_brk(KT_ADDR(20), 0, 0, 0, 0, 0), (long)KT_ADDR(20));
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/procfs-maps"), 0);
	got = ktest_proc_text(test, "/proc/self/maps");
	want[0] = '\0';
	maps_line(want, KT_ADDR(16), KT_ADDR(20), "rw-p", 0, "00:00", 0, "[heap]");
	EXPECT_TRUE(ktest_has_line(got, ktest_chomp(want)));
	want[0] = '\0';
	maps_line(want, KT_ADDR(8), KT_ADDR(10), "rw-s", P, "00:01", ino,
		  "/tmp/procfs-maps (deleted)");
	EXPECT_TRUE(ktest_has_line(got, ktest_chomp(want)));
	kfree(got);
	kfree(want);
	fput(data);
	ktest_mm_leave(mm);
}

KTEST(procfs_reads_are_one_snapshot)
{
	struct mm_struct *mm = ktest_mm_enter();
	char *whole, *bytes, *later;
	struct file *f;
	loff_t pos = 0;
	ssize_t len;
	char c;

	ASSERT_NOT_NULL(mm);
	EXPECT_EQ(ktest_mmap(KT_ADDR(0), P, KT_RW, KT_ANON), KT_ADDR(0));
	EXPECT_EQ(ktest_mmap(KT_ADDR(2), P, PROT_READ, KT_ANON), KT_ADDR(2));
	whole = kmalloc(TEXT_MAX, GFP_KERNEL);
	bytes = kmalloc(TEXT_MAX, GFP_KERNEL);
	ASSERT_NOT_NULL(whole);
	ASSERT_NOT_NULL(bytes);
	f = filp_open("/proc/self/maps", O_RDONLY, 0);
	ASSERT_FALSE(IS_ERR(f));
	len = ktest_read_all(f, whole, TEXT_MAX, TEXT_MAX, &pos);
	EXPECT_GT(len, 0);
	/* Unchanged mm: reading again from 0, in any chunks, gives the same text. */
	pos = 0;
	EXPECT_EQ(ktest_read_all(f, bytes, TEXT_MAX, 1, &pos), len);      /* one byte a read */
	EXPECT_STREQ(bytes, whole);
	/*
	 * The mm changes in the middle of a read: the rest of that read comes
	 * from the same text (one snapshot)...
	 */
	pos = 0;
	EXPECT_EQ(kernel_read(f, bytes, 10, &pos), 10);
	EXPECT_EQ(ktest_mmap(KT_ADDR(4), P, KT_RW, KT_ANON), KT_ADDR(4));
	EXPECT_EQ(ktest_read_all(f, bytes + 10, TEXT_MAX - 10, 7, &pos), len - 10);
	EXPECT_STREQ(bytes, whole);
	/* ... and reading again from 0 (lseek(fd, 0)) makes the text anew, as Linux. */
	later = ktest_proc_text(test, "/proc/self/maps");
	pos = 0;
	EXPECT_EQ(ktest_read_all(f, bytes, TEXT_MAX, 7, &pos), (ssize_t)strlen(later));
	EXPECT_STREQ(bytes, later);
	EXPECT_GT(strlen(later), (size_t)len);
	kfree(later);
	pos = 0;
	EXPECT_EQ(ktest_read_all(f, whole, TEXT_MAX, TEXT_MAX, &pos), (ssize_t)strlen(bytes));
	len = strlen(whole);
	pos = 5;                                                     /* at an offset */
	EXPECT_EQ(kernel_read(f, bytes, 10, &pos), 10);
	EXPECT_EQ(memcmp(bytes, whole + 5, 10), 0);
	EXPECT_EQ(pos, 15);
	pos = len;
	EXPECT_EQ(kernel_read(f, &c, 1, &pos), 0);                   /* at the end */
	pos = len + 1000;
	EXPECT_EQ(kernel_read(f, &c, 1, &pos), 0);                   /* past it */
	pos = -1;
	EXPECT_EQ(kernel_read(f, &c, 1, &pos), -EINVAL);
	/* lseek as Linux's seq_lseek: SET and CUR, never below 0, no END. */
	EXPECT_EQ(f->f_op->llseek(f, 7, SEEK_SET), 7);
	EXPECT_EQ(f->f_op->llseek(f, 3, SEEK_CUR), 10);
	EXPECT_EQ(f->f_op->llseek(f, -20, SEEK_CUR), -EINVAL);
	EXPECT_EQ(f->f_pos, 10);
	EXPECT_EQ(f->f_op->llseek(f, 0, SEEK_END), -EINVAL);
	EXPECT_EQ(f->f_op->llseek(f, len + 5, SEEK_SET), len + 5);
	fput(f);

	/*
	 * A global file. A read that goes on byte by byte is one snapshot even
	 * while memory is allocated between its reads; a read from 0 again
	 * shows the change (two pages fewer free: 8 kB).
	 */
	f = filp_open("/proc/meminfo", O_RDONLY, 0);
	ASSERT_FALSE(IS_ERR(f));
	pos = 0;
	EXPECT_EQ(kernel_read(f, bytes, 1, &pos), 1);            /* the first read: the text of open */
	pos = 0;
	EXPECT_EQ(kernel_read(f, bytes, 1, &pos), 1);            /* made anew: text A */
	later = kmalloc(PAGE_SIZE * 2, GFP_KERNEL);
	len = ktest_read_all(f, bytes + 1, TEXT_MAX - 1, 1, &pos) + 1;
	pos = 1;                                                 /* not at 0: still A */
	EXPECT_EQ(ktest_read_all(f, whole + 1, TEXT_MAX - 1, TEXT_MAX, &pos), len - 1);
	whole[0] = bytes[0];
	EXPECT_STREQ(bytes, whole);
	pos = 0;                                                 /* made anew: text B */
	ktest_read_all(f, whole, TEXT_MAX, TEXT_MAX, &pos);
	EXPECT_EQ(ktest_field(bytes, "MemFree:") - ktest_field(whole, "MemFree:"), 8);
	kfree(later);
	fput(f);
	kfree(whole);
	kfree(bytes);
	ktest_mm_leave(mm);
}

/* unused_pid - a pid no task has now. */
static pid_t unused_pid(void)
{
	unsigned long flags;
	pid_t pid = 30000;

	spin_lock_irqsave(&tasklist_lock, flags);
	while (find_task_by_pid(pid))
		pid++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return pid;
}

/* open_err - the error of opening @path with @flags, or 0 (and the file closed). */
static long open_err(const char *path, int flags)
{
	struct file *f = filp_open(path, flags, 0644);

	if (IS_ERR(f))
		return PTR_ERR(f);
	fput(f);
	return 0;
}

KTEST(procfs_errors_as_linux)
{
	char path[48], self[48];
	struct stat st;
	struct file *f;
	struct inode *inode;
	loff_t pos = 0;
	char c;

	snprintf(path, sizeof(path), "/proc/%d", unused_pid());
	EXPECT_EQ(open_err(path, O_RDONLY), -ENOENT);
	strlcpy(path + strlen(path), "/status", sizeof(path) - strlen(path));
	EXPECT_EQ(open_err(path, O_RDONLY), -ENOENT);
	snprintf(self, sizeof(self), "/proc/%d", current->pid);
	snprintf(path, sizeof(path), "/proc/0%d", current->pid);
	EXPECT_EQ(open_err(path, O_RDONLY), -ENOENT);               /* no leading zeros */
	EXPECT_EQ(open_err("/proc/0", O_RDONLY), -ENOENT);           /* not the idle task */
	EXPECT_EQ(open_err("/proc/nosuch", O_RDONLY), -ENOENT);
	EXPECT_EQ(open_err("/proc/self/nosuch", O_RDONLY), -ENOENT);
	EXPECT_EQ(open_err("/proc/meminfo/x", O_RDONLY), -ENOTDIR);
	EXPECT_EQ(open_err("/proc/meminfo", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	EXPECT_EQ(open_err("/proc", O_WRONLY), -EISDIR);
	EXPECT_EQ(open_err(self, O_RDWR), -EISDIR);

	/* Writing: root may open for writing; the write itself fails as in Linux. */
	f = filp_open("/proc/meminfo", O_WRONLY, 0);
	ASSERT_FALSE(IS_ERR(f));
	EXPECT_EQ(kernel_write(f, "x", 1, &pos), -EIO);
	EXPECT_EQ(kernel_read(f, &c, 1, &pos), -EBADF);
	fput(f);
	f = filp_open("/proc/self/status", O_RDWR, 0);
	ASSERT_FALSE(IS_ERR(f));
	EXPECT_EQ(kernel_write(f, "x", 1, &pos), -EINVAL);
	EXPECT_EQ(kernel_read(f, &c, 1, &pos), 1);
	fput(f);
	f = filp_open("/proc/vmstat", O_RDONLY, 0);
	ASSERT_FALSE(IS_ERR(f));
	EXPECT_EQ(kernel_write(f, "x", 1, &pos), -EBADF);
	fput(f);

	/* Names: nothing is made or removed in /proc. */
	EXPECT_EQ(do_mkdirat(NULL, "/proc/x", 0755), -ENOENT);
	EXPECT_EQ(do_mkdirat(NULL, "/proc/meminfo", 0755), -EEXIST);
	EXPECT_EQ(open_err("/proc/newfile", O_CREAT | O_WRONLY), -ENOENT);
	EXPECT_EQ(open_err("/proc/self/newfile", O_CREAT | O_WRONLY), -ENOENT);
	EXPECT_EQ(open_err("/proc/meminfo", O_CREAT | O_RDONLY), 0);
	EXPECT_EQ(open_err("/proc/meminfo", O_CREAT | O_EXCL | O_RDONLY), -EEXIST);
	EXPECT_EQ(do_unlinkat(NULL, "/proc/meminfo"), -EPERM);
	EXPECT_EQ(do_unlinkat(NULL, "/proc/self/status"), -EPERM);
	EXPECT_EQ(do_unlinkat(NULL, "/proc/nosuch"), -ENOENT);
	EXPECT_EQ(do_unlinkat(NULL, self), -EISDIR);
	EXPECT_EQ(do_rmdir(NULL, self), -EPERM);
	EXPECT_EQ(do_rmdir(NULL, "/proc/meminfo"), -ENOTDIR);
	EXPECT_EQ(do_rmdir(NULL, "/proc/nosuch"), -ENOENT);
	EXPECT_EQ(do_rmdir(NULL, "/proc"), -EBUSY);   /* Linux: a mount point */
	EXPECT_EQ(do_unlinkat(NULL, "/proc"), -EISDIR);

	/* stat: Linux's modes and an empty size. */
	inode = path_lookup(NULL, "/proc/meminfo");
	ASSERT_FALSE(IS_ERR(inode));
	vfs_getattr(inode, &st);
	EXPECT_EQ(st.st_mode, S_IFREG | 0444);
	EXPECT_EQ(st.st_size, 0);
	EXPECT_EQ(st.st_nlink, 1);
	iput(inode);
	inode = path_lookup(NULL, "/proc/self/");
	ASSERT_FALSE(IS_ERR(inode));
	vfs_getattr(inode, &st);
	EXPECT_EQ(st.st_mode, S_IFDIR | 0555);
	iput(inode);
	inode = path_lookup(NULL, "/proc/self/..");
	EXPECT_PTR_EQ(inode, path_lookup(NULL, "/proc"));
	iput(inode);
	iput(inode);
}

struct sleeper {
	wait_queue_head_t wq;
	bool go, uninterruptible;
};

static int sleeper_fn(void *arg)
{
	struct sleeper *s = arg;

	if (s->uninterruptible)
		wait_event(s->wq, READ_ONCE(s->go));
	else
		(void)wait_event_interruptible(s->wq, READ_ONCE(s->go));
	return 0;
}

KTEST(procfs_lists_processes_and_states)
{
	struct sleeper s[2] = { { .uninterruptible = false }, { .uninterruptible = true } };
	struct task_struct *t[2];
	char *names, *again, *text, path[48], want[48];
	struct file *held;
	struct inode *dir;
	loff_t pos = 0;
	long last = 0;

	names = kmalloc(NAMES_MAX, GFP_KERNEL);
	again = kmalloc(NAMES_MAX, GFP_KERNEL);
	ASSERT_NOT_NULL(names);
	ASSERT_NOT_NULL(again);
	for (int i = 0; i < 2; i++)
		init_waitqueue_head(&s[i].wq);
	t[0] = kthread_run(sleeper_fn, &s[0], "kt-sleeper");
	ASSERT_NOT_NULL(t[0]);
	t[1] = kthread_run(sleeper_fn, &s[1], "kt-dsleeper");
	ASSERT_NOT_NULL(t[1]);
	for (int i = 0; i < 1000 && (READ_ONCE(t[0]->state) == TASK_RUNNING ||
				     READ_ONCE(t[1]->state) == TASK_RUNNING); i++)
		schedule();   /* let them run until they sleep */

	/* ".", "..", the files, "self", then every process, ascending. */
	ktest_list_dir(test, "/proc", names, 0);
	EXPECT_EQ(strncmp(names, ".\n..\nmeminfo\nvmstat\nself\n", 25), 0);
	for (const char *l = ktest_line_at(names, 5); *l; l = ktest_line_at(l, 1)) {
		long pid = (long)simple_strtoul(l, NULL, 10);

		EXPECT_GT(pid, last);
		last = pid;
	}
	for (int i = 0; i < 3; i++) {
		snprintf(want, sizeof(want), "%d", i < 2 ? t[i]->pid : current->tgid);
		EXPECT_TRUE(ktest_has_line(names, want));
	}
	ktest_list_dir(test, "/proc", again, 1);            /* one entry a call: the same list */
	EXPECT_STREQ(again, names);
	ktest_list_dir(test, "/proc/self", again, 0);
	EXPECT_STREQ(again, ".\n..\nmaps\nstatus\n");

	/* A kernel thread: its state, no memory lines, an empty maps. */
	snprintf(path, sizeof(path), "/proc/%d/status", t[0]->pid);
	text = ktest_proc_text(test, path);
	EXPECT_TRUE(ktest_has_line(text, "Name:\tkt-sleeper"));
	EXPECT_TRUE(ktest_has_line(text, "State:\tS (sleeping)"));
	EXPECT_EQ(ktest_field(text, "Kthread:"), 1);
	EXPECT_EQ(ktest_field(text, "PPid:"), 0);
	EXPECT_EQ(ktest_field(text, "VmSize:"), -1);
	EXPECT_EQ(ktest_field(text, "voluntary_ctxt_switches:"), (long)t[0]->nvcsw);
	kfree(text);
	snprintf(path, sizeof(path), "/proc/%d/maps", t[0]->pid);
	text = ktest_proc_text(test, path);
	EXPECT_STREQ(text, "");
	kfree(text);
	snprintf(path, sizeof(path), "/proc/%d/status", t[1]->pid);
	text = ktest_proc_text(test, path);
	EXPECT_TRUE(ktest_has_line(text, "State:\tD (disk sleep)"));
	kfree(text);

	/* Hold a file and the directory of the first, then let both end. */
	held = filp_open(path, O_RDONLY, 0);
	ASSERT_FALSE(IS_ERR(held));
	snprintf(path, sizeof(path), "/proc/%d", t[1]->pid);
	dir = path_lookup(NULL, path);
	ASSERT_FALSE(IS_ERR(dir));
	for (int i = 0; i < 2; i++) {
		WRITE_ONCE(s[i].go, true);
		wake_up(&s[i].wq);
	}
	for (int i = 0; i < 2; i++) {
		snprintf(want, sizeof(want), "%d", t[i]->pid);
		EXPECT_EQ(kthread_join(t[i]), 0);
		ktest_list_dir(test, "/proc", names, 0);
		EXPECT_FALSE(ktest_has_line(names, want));
	}
	EXPECT_EQ(open_err(path, O_RDONLY), -ENOENT);
	EXPECT_EQ(PTR_ERR(path_lookup(dir, "status")), -ENOENT);
	text = kmalloc(TEXT_MAX, GFP_KERNEL);
	ASSERT_NOT_NULL(text);
	EXPECT_GT(ktest_read_all(held, text, TEXT_MAX, 64, &pos), 0);   /* its snapshot lives on */
	EXPECT_TRUE(ktest_has_line(text, "State:\tD (disk sleep)"));
	kfree(text);
	fput(held);
	iput(dir);
	kfree(names);
	kfree(again);
}

static struct ktest_case procfs_cases[] = {
	KTEST_CASE(procfs_meminfo_format_and_values),
	KTEST_CASE(procfs_vmstat_format_and_events),
	KTEST_CASE(procfs_status_tracks_rss),
	KTEST_CASE(procfs_maps_lines),
	KTEST_CASE(procfs_reads_are_one_snapshot),
	KTEST_CASE(procfs_errors_as_linux),
	KTEST_CASE(procfs_lists_processes_and_states),
	{}
};

static struct ktest_suite procfs_suite = {
	.name = "procfs",
	.cases = procfs_cases,
	.init = procfs_suite_init,
};
ktest_register_suite(procfs_suite);
