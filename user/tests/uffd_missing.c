/*
 * uffd_missing - MISSING mode: messages, read/poll, COPY, ZEROPAGE, WAKE.
 *
 * Checks:
 *  1. a handler thread (poll + read + UFFDIO_COPY) serves every missing
 *     page while the main thread reads through 16 pages and writes into 16
 *     more: each page arrives with the handler's bytes, each fault is
 *     reported exactly once, event PAGEFAULT, the address is the page start
 *     (the access was at offset 123 / 200), flags 0 for reads and WRITE
 *     for writes, all unused bytes (ptid without THREAD_ID) zero; the major
 *     and minor fault counts are printed (not checked: Linux versions differ);
 *  2. THREAD_ID (if reported): ptid is the faulting thread's tid;
 *  3. a reported fault is not reported again (read: EAGAIN, no POLLIN)
 *     while its thread still waits; two pending faults come out of one
 *     read of 96 bytes as 64; a blocking read of 96 returns the one 32-byte
 *     message without waiting for more; a thread blocked in read() wakes
 *     for a fault; two threads faulting one page are two messages, and one
 *     COPY wakes both;
 *  4. UFFDIO_COPY errors: populated page -1/EEXIST (copy field -EEXIST),
 *     second of two pages populated -1/EAGAIN with copy 4096 (and the first
 *     page copied), unregistered or unmapped dst or a range past the
 *     registered VMA ENOENT, unmapped or PROT_NONE src EFAULT, unaligned
 *     dst/len, len 0, unknown mode, kernel dst, wrapping src EINVAL; an
 *     unaligned src is fine;
 *  5. UFFDIO_ZEROPAGE: the field says 4096, reads see zeros, a write then
 *     needs no handler; again -> EEXIST; a blocked writer is released by it;
 *     errors as for COPY;
 *  6. DONTWAKE: COPY/ZEROPAGE with DONTWAKE leave the faulting thread
 *     asleep (100 ms) until UFFDIO_WAKE; WAKE errors EINVAL;
 *  7. read: EAGAIN on an empty O_NONBLOCK fd, EINVAL for a buffer below 32
 *     bytes (also with a message pending, which stays queued); poll: POLLIN
 *     only while a fault is pending; a blocking uffd polls POLLERR;
 *  8. poll() sleeping on an empty uffd wakes when a fault comes (100 ms
 *     later); a blocking read() of an empty uffd ends with EINTR when a
 *     handled signal (no SA_RESTART) comes.
 */
#define _GNU_SOURCE
#include "uffd_util.h"

#define NPAGES 16

static unsigned char pat(unsigned page, unsigned off, unsigned seed)
{
	return (unsigned char)(page * 31 + off * 7 + seed * 13 + 1);
}

static void fill_page(char *dst, unsigned page, unsigned seed)
{
	for (unsigned off = 0; off < PAGE_SIZE; off++)
		dst[off] = (char)pat(page, off, seed);
}

/* bytes of the page that differ from the pattern */
static int page_diffs(const char *p, unsigned page, unsigned seed)
{
	int d = 0;
	for (unsigned off = 0; off < PAGE_SIZE; off++)
		if ((unsigned char)p[off] != pat(page, off, seed))
			d++;
	return d;
}

static char srcbuf[3 * PAGE_SIZE] __attribute__((aligned(4096)));

/* ---- 1. the handler thread ------------------------------------------ */
struct server {
	int fd;
	char *base;
	unsigned npages;
	volatile int stop;
	struct uffd_msg msgs[4 * NPAGES];
	int nmsgs, copy_errors, bad_msgs, read_errors;
	pthread_t th;
};

static void *server_main(void *arg)
{
	static char src[PAGE_SIZE] __attribute__((aligned(4096)));
	struct server *s = arg;
	struct uffd_msg m;

	while (!__atomic_load_n(&s->stop, __ATOMIC_SEQ_CST)) {
		int r = uffd_wait_msg(s->fd, &m, 20);
		if (r == 0)
			continue;
		if (r < 0) {
			s->read_errors++;
			break;
		}
		if (s->nmsgs < (int)(sizeof(s->msgs) / sizeof(s->msgs[0])))
			s->msgs[s->nmsgs] = m;
		s->nmsgs++;
		uintptr_t addr = m.arg.pagefault.address & ~(PAGE_SIZE - 1);
		if (m.event != UFFD_EVENT_PAGEFAULT || addr < (uintptr_t)s->base ||
		    addr >= (uintptr_t)s->base + s->npages * PAGE_SIZE) {
			s->bad_msgs++;
			continue;
		}
		unsigned pg = (addr - (uintptr_t)s->base) / PAGE_SIZE;
		fill_page(src, pg, 1);
		if (uffd_copy(s->fd, (void *)addr, src, PAGE_SIZE, 0, NULL) != 0)
			s->copy_errors++;
	}
	return NULL;
}

static void part_serve(void)
{
	static struct server s;
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	char *a = map_anon(2 * NPAGES);
	struct rusage r0, r1;

	utest_printf("  1. handler thread serves %d reads and %d writes\n", NPAGES, NPAGES);
	REQUIRE(uffd_register(fd, a, 2 * NPAGES * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0,
		"REGISTER: errno %d (%s)", errno, strerror(errno));
	s.fd = fd;
	s.base = a;
	s.npages = 2 * NPAGES;
	REQUIRE(pthread_create(&s.th, NULL, server_main, &s) == 0, "pthread_create");
	getrusage(RUSAGE_SELF, &r0);
	int bad_reads = 0, bad_pages = 0;
	for (unsigned i = 0; i < NPAGES; i++) {
		volatile char *p = a + i * PAGE_SIZE;
		if ((unsigned char)p[123] != pat(i, 123, 1))
			bad_reads++;
	}
	for (unsigned i = NPAGES; i < 2 * NPAGES; i++)
		a[i * PAGE_SIZE + 200] = (char)pat(i, 200, 1);   /* same byte: page stays the pattern */
	getrusage(RUSAGE_SELF, &r1);
	for (unsigned i = 0; i < 2 * NPAGES; i++)
		if (page_diffs(a + i * PAGE_SIZE, i, 1))
			bad_pages++;
	__atomic_store_n(&s.stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(s.th, NULL);

	CHECK(bad_reads == 0, "%d of %d reads saw other bytes than the handler's", bad_reads, NPAGES);
	CHECK(bad_pages == 0, "%d of %d pages differ from what the handler copied", bad_pages,
	      2 * NPAGES);
	CHECK(s.read_errors == 0 && s.copy_errors == 0 && s.bad_msgs == 0,
	      "handler: %d read errors, %d COPY errors, %d bad messages", s.read_errors,
	      s.copy_errors, s.bad_msgs);
	CHECK(s.nmsgs == 2 * NPAGES, "%d messages for %d faults", s.nmsgs, 2 * NPAGES);
	int seen[2 * NPAGES] = { 0 }, badfields = 0;
	for (int k = 0; k < s.nmsgs && k < (int)(sizeof(s.msgs) / sizeof(s.msgs[0])); k++) {
		struct uffd_msg *m = &s.msgs[k];
		uintptr_t addr = m->arg.pagefault.address;
		unsigned pg = (addr - (uintptr_t)a) / PAGE_SIZE;
		const unsigned char *raw = (const unsigned char *)m;
		if (pg < 2 * NPAGES)
			seen[pg]++;
		__u64 want_flags = pg < NPAGES ? 0 : UFFD_PAGEFAULT_FLAG_WRITE;
		if (m->event != UFFD_EVENT_PAGEFAULT || (addr & (PAGE_SIZE - 1)) ||
		    m->arg.pagefault.flags != want_flags || !all_zero(raw + 1, 7) ||
		    !all_zero(raw + 24, 8)) {
			if (badfields++ < 4)
				utest_printf("  message %d: event %#x flags %#llx address %#llx "
					     "(page %u, want flags %#llx) bytes 1-7 %s, 24-31 %s\n", k,
					     m->event, (unsigned long long)m->arg.pagefault.flags,
					     (unsigned long long)addr, pg, (unsigned long long)want_flags,
					     all_zero(raw + 1, 7) ? "zero" : "NOT zero",
					     all_zero(raw + 24, 8) ? "zero" : "NOT zero");
		}
	}
	CHECK(badfields == 0, "%d messages with wrong fields (event PAGEFAULT, page-aligned address, "
	      "flags 0 / WRITE, unused bytes zero)", badfields);
	int twice = 0, never = 0;
	for (int i = 0; i < 2 * NPAGES; i++) {
		twice += seen[i] > 1;
		never += seen[i] == 0;
	}
	CHECK(twice == 0 && never == 0, "pages reported more than once: %d, never: %d", twice, never);
	/* Information only: Linux 5.x counts a fault that waited for the handler
	 * as major (it retried with FAULT_FLAG_TRIED); 6.x with per-VMA locks
	 * retries under mmap_lock without that flag and counts it minor. */
	utest_printf("  %d messages; major faults during the accesses: %ld, minor: %ld\n",
		     s.nmsgs, r1.ru_majflt - r0.ru_majflt, r1.ru_minflt - r0.ru_minflt);
	munmap(a, 2 * NPAGES * PAGE_SIZE);
	close(fd);
}

/* ---- 2. THREAD_ID ---------------------------------------------------- */
static void part_thread_id(__u64 feat)
{
	if (!(feat & UFFD_FEATURE_THREAD_ID)) {
		utest_printf("  2. THREAD_ID not reported: ptid not checked\n");
		return;
	}
	utest_printf("  2. THREAD_ID\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, UFFD_FEATURE_THREAD_ID, NULL);
	char *a = map_anon(1);
	struct toucher t;
	struct uffd_msg m;

	REQUIRE(uffd_register(fd, a, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	touch_start(&t, a + 9, 1, 5);
	int got = uffd_wait_msg(fd, &m, 2000);
	CHECK(got == 1, "no message for a write fault");
	if (got == 1) {
		CHECK(m.arg.pagefault.feat.ptid == (__u32)t.tid && t.tid != getpid(),
		      "ptid %u, faulting thread's tid %d (main %d)", m.arg.pagefault.feat.ptid,
		      (int)t.tid, (int)getpid());
		CHECK(m.arg.pagefault.flags == UFFD_PAGEFAULT_FLAG_WRITE, "flags %#llx, want WRITE",
		      (unsigned long long)m.arg.pagefault.flags);
	}
	CHECK(uffd_zeropage(fd, a, PAGE_SIZE, 0, NULL) == 0, "ZEROPAGE: errno %d", errno);
	CHECK(touch_done(&t, 2000), "writer not released by ZEROPAGE");
	touch_join(&t);
	CHECK(a[9] == 5 && a[8] == 0, "after ZEROPAGE and the write: %d %d, want 5 0", a[9], a[8]);
	munmap(a, PAGE_SIZE);
	close(fd);
}

/* ---- 3. once-only, batching, blocking read --------------------------- */
struct reader {
	int fd;
	size_t len;
	char buf[256];
	ssize_t got;
	int err;
	volatile int done;
	pthread_t th;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	r->got = read(r->fd, r->buf, r->len);
	r->err = errno;
	__atomic_store_n(&r->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void part_once(void)
{
	utest_printf("  3. each fault reported once; batched and blocking reads\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	int bfd = uffd_open(O_CLOEXEC, 0, NULL);
	char *a = map_anon(4), *b = map_anon(2);
	struct toucher t, t2;
	struct uffd_msg m, mm[3];
	struct pollfd p = { .fd = fd, .events = POLLIN };

	REQUIRE(uffd_register(fd, a, 4 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0,
		"REGISTER");
	REQUIRE(uffd_register(bfd, b, 2 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0,
		"REGISTER (blocking fd)");

	/* one fault, read once */
	touch_start(&t, a + 1, 0, 0);
	CHECK(uffd_wait_msg(fd, &m, 2000) == 1, "no message for a read fault");
	CHECK_ERR(read(fd, &m, sizeof(m)), EAGAIN);
	CHECK(poll(&p, 1, 0) == 0 && p.revents == 0, "poll after the fault was read: revents %#x, "
	      "want none (the fault was reported already)", p.revents);
	msleep(50);
	CHECK_ERR(read(fd, &m, sizeof(m)), EAGAIN);
	CHECK(!t.done, "the faulting thread did not wait");
	fill_page(srcbuf, 0, 2);
	CHECK(uffd_copy(fd, a, srcbuf, PAGE_SIZE, 0, NULL) == 0, "COPY: errno %d", errno);
	CHECK(touch_done(&t, 2000), "reader not released by COPY");
	touch_join(&t);
	CHECK((unsigned char)t.seen == pat(0, 1, 2), "read %#x, want %#x", (unsigned char)t.seen,
	      pat(0, 1, 2));
	CHECK_ERR(read(fd, &m, sizeof(m)), EAGAIN);

	/* two pending faults, one read of 96 bytes -> 64 */
	touch_start(&t, a + PAGE_SIZE, 0, 0);
	touch_start(&t2, a + 2 * PAGE_SIZE + 8, 1, 7);
	CHECK(poll(&p, 1, 2000) == 1 && (p.revents & POLLIN), "poll: no POLLIN with faults pending "
	      "(revents %#x)", p.revents);
	msleep(300);      /* let the second one queue too */
	memset(mm, 0xee, sizeof(mm));
	ssize_t n = read(fd, mm, sizeof(mm));
	CHECK(n == 2 * (ssize_t)sizeof(m), "read of 96 bytes with two faults pending: %zd (errno %d), "
	      "want 64", n, errno);
	if (n == 2 * (ssize_t)sizeof(m)) {
		uintptr_t x = mm[0].arg.pagefault.address, y = mm[1].arg.pagefault.address;
		CHECK((x == (uintptr_t)(a + PAGE_SIZE) && y == (uintptr_t)(a + 2 * PAGE_SIZE)) ||
		      (y == (uintptr_t)(a + PAGE_SIZE) && x == (uintptr_t)(a + 2 * PAGE_SIZE)),
		      "addresses %#lx %#lx, want pages 1 and 2 of %p", (unsigned long)x,
		      (unsigned long)y, a);
		CHECK(mm[2].event == 0xee, "read wrote past the 64 bytes it returned");
	}
	CHECK(uffd_zeropage(fd, a + PAGE_SIZE, 2 * PAGE_SIZE, 0, NULL) == 0, "ZEROPAGE 2 pages: "
	      "errno %d", errno);
	CHECK(touch_done(&t, 2000) && touch_done(&t2, 2000), "faulters not released by ZEROPAGE");
	touch_join(&t);
	touch_join(&t2);
	CHECK(a[2 * PAGE_SIZE + 8] == 7 && t.seen == 0, "after ZEROPAGE: %d %d, want 7 0",
	      a[2 * PAGE_SIZE + 8], t.seen);

	/* two threads faulting one page: two messages, one COPY wakes both */
	touch_start(&t, a + 3 * PAGE_SIZE + 1, 0, 0);
	touch_start(&t2, a + 3 * PAGE_SIZE + 2, 0, 0);
	int msgs = 0;
	while (msgs < 2 && uffd_wait_msg(fd, &m, 1000) == 1) {
		msgs++;
		CHECK(m.arg.pagefault.address == (uintptr_t)(a + 3 * PAGE_SIZE),
		      "address %#llx, want %p", (unsigned long long)m.arg.pagefault.address,
		      a + 3 * PAGE_SIZE);
	}
	CHECK(msgs == 2, "two threads faulting one page: %d messages, want 2 (one per fault)", msgs);
	fill_page(srcbuf, 3, 2);
	CHECK(uffd_copy(fd, a + 3 * PAGE_SIZE, srcbuf, PAGE_SIZE, 0, NULL) == 0, "COPY: errno %d",
	      errno);
	CHECK(touch_done(&t, 2000) && touch_done(&t2, 2000), "one COPY did not wake both faulters");
	touch_join(&t);
	touch_join(&t2);
	CHECK((unsigned char)t.seen == pat(3, 1, 2) && (unsigned char)t2.seen == pat(3, 2, 2),
	      "the two faulters read %#x %#x", (unsigned char)t.seen, (unsigned char)t2.seen);
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a message left after all faults were served");

	/* blocking fd: a reader blocked in read() wakes for a fault; it gets
	 * just the one message although it asked for 96 bytes */
	static struct reader r;
	r.fd = bfd;
	r.len = 3 * sizeof(m);
	REQUIRE(pthread_create(&r.th, NULL, reader_main, &r) == 0, "pthread_create");
	msleep(50);
	CHECK(!r.done, "read() on an empty blocking uffd returned %zd (errno %d)", r.got, r.err);
	touch_start(&t, b + PAGE_SIZE + 3, 1, 9);
	for (int i = 0; i < 2000 && !__atomic_load_n(&r.done, __ATOMIC_SEQ_CST); i++)
		msleep(1);
	CHECK(r.done, "a thread blocked in read() did not wake for a fault");
	if (r.done) {
		struct uffd_msg *rm = (struct uffd_msg *)r.buf;
		CHECK(r.got == (ssize_t)sizeof(m), "blocking read of 96 bytes returned %zd (errno %d), "
		      "want 32", r.got, r.err);
		CHECK(rm->event == UFFD_EVENT_PAGEFAULT &&
		      rm->arg.pagefault.address == (uintptr_t)(b + PAGE_SIZE) &&
		      rm->arg.pagefault.flags == UFFD_PAGEFAULT_FLAG_WRITE,
		      "blocking read: event %#x address %#llx flags %#llx", rm->event,
		      (unsigned long long)rm->arg.pagefault.address,
		      (unsigned long long)rm->arg.pagefault.flags);
	}
	CHECK(uffd_zeropage(bfd, b + PAGE_SIZE, PAGE_SIZE, 0, NULL) == 0, "ZEROPAGE: errno %d", errno);
	CHECK(touch_done(&t, 2000), "writer not released");
	touch_join(&t);
	if (r.done)
		pthread_join(r.th, NULL);
	else
		pthread_detach(r.th);     /* stuck in read(): leave it */
	munmap(a, 4 * PAGE_SIZE);
	munmap(b, 2 * PAGE_SIZE);
	close(fd);
	close(bfd);
}

/* ---- 4. COPY errors -------------------------------------------------- */
static void copy_err(int fd, void *dst, const void *src, size_t len, __u64 mode, int err,
		     __s64 want_res, int check_res, const char *what)
{
	__s64 res = 0;
	errno = 0;
	int r = uffd_copy(fd, dst, src, len, mode, &res);
	int e = errno;
	CHECK(r == -1 && e == err, "COPY %s: got %d errno %d (%s), want -1/%s", what, r, e,
	      strerror(e), strerror(err));
	if (check_res)
		CHECK(res == want_res, "COPY %s: copy field %lld, want %lld", what, (long long)res,
		      (long long)want_res);
}

static void part_copy_errors(void)
{
	utest_printf("  4. UFFDIO_COPY errors\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	char *a = map_anon(8);
	char *plain = map_anon(1);
	char *hole = map_anon(1), *none;

	munmap(hole, PAGE_SIZE);
	none = mmap(NULL, PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(none != MAP_FAILED, "mmap PROT_NONE");
	REQUIRE(uffd_register(fd, a, 6 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0,
		"REGISTER");
	fill_page(srcbuf, 0, 3);
	fill_page(srcbuf + PAGE_SIZE, 1, 3);
	fill_page(srcbuf + 2 * PAGE_SIZE, 2, 3);

	CHECK(uffd_copy(fd, a, srcbuf, PAGE_SIZE, 0, NULL) == 0, "COPY: errno %d", errno);
	copy_err(fd, a, srcbuf, PAGE_SIZE, 0, EEXIST, -EEXIST, 1, "onto a populated page");
	CHECK(page_diffs(a, 0, 3) == 0, "a refused COPY changed the page");
	/* page 2 populated; COPY of pages 1-2 copies page 1, then stops */
	CHECK(uffd_copy(fd, a + 2 * PAGE_SIZE, srcbuf + 2 * PAGE_SIZE, PAGE_SIZE, 0, NULL) == 0,
	      "COPY page 2: errno %d", errno);
	copy_err(fd, a + PAGE_SIZE, srcbuf + PAGE_SIZE, 2 * PAGE_SIZE, 0, EAGAIN, PAGE_SIZE, 1,
		 "of two pages, the second populated");
	CHECK(page_diffs(a + PAGE_SIZE, 1, 3) == 0 && page_diffs(a + 2 * PAGE_SIZE, 2, 3) == 0,
	      "after the partial COPY pages 1-2 differ");

	copy_err(fd, plain, srcbuf, PAGE_SIZE, 0, ENOENT, -ENOENT, 1, "to an unregistered page");
	CHECK(plain[0] == 0, "COPY wrote into an unregistered page");
	copy_err(fd, hole, srcbuf, PAGE_SIZE, 0, ENOENT, -ENOENT, 1, "to an unmapped page");
	copy_err(fd, a + 5 * PAGE_SIZE, srcbuf, 2 * PAGE_SIZE, 0, ENOENT, -ENOENT, 1,
		 "across the end of the registered range");
	copy_err(fd, a + 3 * PAGE_SIZE, hole, PAGE_SIZE, 0, EFAULT, -EFAULT, 1, "from an unmapped src");
	copy_err(fd, a + 3 * PAGE_SIZE, none, PAGE_SIZE, 0, EFAULT, -EFAULT, 1, "from a PROT_NONE src");
	copy_err(fd, a + 3 * PAGE_SIZE + 8, srcbuf, PAGE_SIZE, 0, EINVAL, 0, 0, "to an unaligned dst");
	copy_err(fd, a + 3 * PAGE_SIZE, srcbuf, PAGE_SIZE + 8, 0, EINVAL, 0, 0, "of an unaligned len");
	copy_err(fd, a + 3 * PAGE_SIZE, srcbuf, 0, 0, EINVAL, 0, 0, "of len 0");
	copy_err(fd, a + 3 * PAGE_SIZE, srcbuf, PAGE_SIZE, 1ULL << 8, EINVAL, 0, 0, "with mode bit 8");
	copy_err(fd, (void *)0xffff800000000000UL, srcbuf, PAGE_SIZE, 0, EINVAL, 0, 0,
		 "to a kernel address");
	copy_err(fd, a + 3 * PAGE_SIZE, (void *)-PAGE_SIZE, 2 * PAGE_SIZE, 0, EINVAL, 0, 0,
		 "from a wrapping src");
	/* pages 3 and 4 are still missing after all that */
	struct toucher t;
	struct uffd_msg m;
	touch_start(&t, a + 3 * PAGE_SIZE, 0, 0);
	CHECK(uffd_wait_msg(fd, &m, 2000) == 1, "page 3 is no longer missing after refused COPYs");
	/* an unaligned src is allowed */
	CHECK(uffd_copy(fd, a + 3 * PAGE_SIZE, srcbuf + 1, PAGE_SIZE, 0, NULL) == 0,
	      "COPY from an unaligned src: errno %d (%s)", errno, strerror(errno));
	CHECK(touch_done(&t, 2000), "reader not released");
	touch_join(&t);
	CHECK(memcmp(a + 3 * PAGE_SIZE, srcbuf + 1, PAGE_SIZE) == 0, "COPY from src+1: wrong bytes");
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "unexpected message");
	munmap(a, 8 * PAGE_SIZE);
	munmap(plain, PAGE_SIZE);
	munmap(none, PAGE_SIZE);
	close(fd);
}

/* ---- 5. ZEROPAGE ------------------------------------------------------ */
static void part_zeropage(void)
{
	utest_printf("  5. UFFDIO_ZEROPAGE\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	char *a = map_anon(4), *plain = map_anon(1);
	__s64 res = 0;
	struct toucher t;
	struct uffd_msg m;

	REQUIRE(uffd_register(fd, a, 3 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0,
		"REGISTER");
	CHECK(uffd_zeropage(fd, a, PAGE_SIZE, 0, &res) == 0, "ZEROPAGE: errno %d", errno);
	CHECK(res == PAGE_SIZE, "zeropage field %lld, want 4096", (long long)res);
	CHECK(all_zero(a, PAGE_SIZE), "a ZEROPAGE'd page is not all zero");
	a[100] = 42;              /* write after ZEROPAGE: ordinary, no handler */
	CHECK(a[100] == 42 && a[99] == 0, "write after ZEROPAGE");
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a message after ZEROPAGE + write");
	res = 0;
	errno = 0;
	CHECK(uffd_zeropage(fd, a, PAGE_SIZE, 0, &res) == -1 && errno == EEXIST && res == -EEXIST,
	      "ZEROPAGE onto a populated page: errno %d field %lld, want EEXIST/-EEXIST", errno,
	      (long long)res);
	CHECK(a[100] == 42, "a refused ZEROPAGE cleared the page");
	res = 0;
	errno = 0;
	CHECK(uffd_zeropage(fd, plain, PAGE_SIZE, 0, &res) == -1 && errno == ENOENT && res == -ENOENT,
	      "ZEROPAGE outside the registered range: errno %d field %lld, want ENOENT", errno,
	      (long long)res);
	CHECK_ERR(uffd_zeropage(fd, a + PAGE_SIZE + 1, PAGE_SIZE, 0, NULL), EINVAL);
	CHECK_ERR(uffd_zeropage(fd, a + PAGE_SIZE, 1, 0, NULL), EINVAL);
	CHECK_ERR(uffd_zeropage(fd, a + PAGE_SIZE, 0, 0, NULL), EINVAL);
	CHECK_ERR(uffd_zeropage(fd, a + PAGE_SIZE, PAGE_SIZE, 2, NULL), EINVAL);
	/* a blocked writer is released by ZEROPAGE and its write lands */
	touch_start(&t, a + PAGE_SIZE + 77, 1, 66);
	CHECK(uffd_wait_msg(fd, &m, 2000) == 1 && m.arg.pagefault.flags == UFFD_PAGEFAULT_FLAG_WRITE,
	      "write fault: no message or flags %#llx", (unsigned long long)m.arg.pagefault.flags);
	CHECK(uffd_zeropage(fd, a + PAGE_SIZE, PAGE_SIZE, 0, NULL) == 0, "ZEROPAGE: errno %d", errno);
	CHECK(touch_done(&t, 2000), "writer not released by ZEROPAGE");
	touch_join(&t);
	CHECK(a[PAGE_SIZE + 77] == 66 && a[PAGE_SIZE + 76] == 0, "after ZEROPAGE + write: %d %d",
	      a[PAGE_SIZE + 77], a[PAGE_SIZE + 76]);
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "the write after ZEROPAGE reported again");
	munmap(a, 4 * PAGE_SIZE);
	munmap(plain, PAGE_SIZE);
	close(fd);
}

/* ---- 6. DONTWAKE + WAKE ----------------------------------------------- */
static void part_dontwake(void)
{
	utest_printf("  6. DONTWAKE and UFFDIO_WAKE\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	char *a = map_anon(2);
	struct toucher t;
	struct uffd_msg m;

	REQUIRE(uffd_register(fd, a, 2 * PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0,
		"REGISTER");
	touch_start(&t, a + 10, 0, 0);
	CHECK(uffd_wait_msg(fd, &m, 2000) == 1, "no message");
	fill_page(srcbuf, 0, 4);
	CHECK(uffd_copy(fd, a, srcbuf, PAGE_SIZE, UFFDIO_COPY_MODE_DONTWAKE, NULL) == 0,
	      "COPY DONTWAKE: errno %d", errno);
	msleep(100);
	CHECK(!t.done, "COPY with DONTWAKE woke the faulting thread");
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a message while the faulter sleeps after DONTWAKE");
	CHECK_ERR(uffd_wake(fd, a + 1, PAGE_SIZE), EINVAL);
	CHECK_ERR(uffd_wake(fd, a, 0), EINVAL);
	CHECK_ERR(uffd_wake(fd, a, 5), EINVAL);
	CHECK(uffd_wake(fd, a + PAGE_SIZE, PAGE_SIZE) == 0, "WAKE of another page: errno %d", errno);
	msleep(50);
	CHECK(!t.done, "WAKE of another page woke the faulting thread");
	CHECK(uffd_wake(fd, a, PAGE_SIZE) == 0, "WAKE: errno %d", errno);
	CHECK(touch_done(&t, 2000), "WAKE did not release the faulting thread");
	touch_join(&t);
	CHECK((unsigned char)t.seen == pat(0, 10, 4), "read %#x after COPY+WAKE, want %#x",
	      (unsigned char)t.seen, pat(0, 10, 4));

	touch_start(&t, a + PAGE_SIZE + 10, 1, 3);
	CHECK(uffd_wait_msg(fd, &m, 2000) == 1, "no message");
	CHECK(uffd_zeropage(fd, a + PAGE_SIZE, PAGE_SIZE, UFFDIO_ZEROPAGE_MODE_DONTWAKE, NULL) == 0,
	      "ZEROPAGE DONTWAKE: errno %d", errno);
	msleep(100);
	CHECK(!t.done, "ZEROPAGE with DONTWAKE woke the faulting thread");
	CHECK(uffd_wake(fd, a, 2 * PAGE_SIZE) == 0, "WAKE: errno %d", errno);
	CHECK(touch_done(&t, 2000), "WAKE did not release the faulting thread");
	touch_join(&t);
	CHECK(a[PAGE_SIZE + 10] == 3, "write after ZEROPAGE+WAKE lost");
	munmap(a, 2 * PAGE_SIZE);
	close(fd);
}

/* ---- 7. read and poll --------------------------------------------------- */
static void part_read_poll(void)
{
	utest_printf("  7. read() and poll()\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	int bfd = uffd_open(O_CLOEXEC, 0, NULL);
	char *a = map_anon(1), *b = map_anon(1);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct pollfd bp = { .fd = bfd, .events = POLLIN };
	struct uffd_msg m;
	char small[31];
	struct toucher t, t2;

	REQUIRE(uffd_register(fd, a, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	REQUIRE(uffd_register(bfd, b, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	CHECK_ERR(read(fd, &m, sizeof(m)), EAGAIN);
	CHECK_ERR(read(fd, small, sizeof(small)), EINVAL);
	CHECK_ERR(read(bfd, small, sizeof(small)), EINVAL);     /* does not block */
	CHECK_ERR(read(bfd, small, 0), EINVAL);
	CHECK(poll(&p, 1, 0) == 0 && p.revents == 0, "poll of an empty uffd: revents %#x", p.revents);
	int r = poll(&bp, 1, 0);
	CHECK(r == 1 && (bp.revents & POLLERR), "poll of an empty blocking uffd: %d revents %#x, "
	      "want POLLERR", r, bp.revents);

	touch_start(&t, a, 0, 0);
	touch_start(&t2, b, 0, 0);
	p.revents = 0;
	r = poll(&p, 1, 2000);
	CHECK(r == 1 && p.revents == POLLIN, "poll with a fault pending: %d revents %#x, want POLLIN",
	      r, p.revents);
	msleep(50);
	bp.revents = 0;
	r = poll(&bp, 1, 0);
	CHECK(r == 1 && (bp.revents & POLLERR), "poll of a blocking uffd with a fault pending: %d "
	      "revents %#x, want POLLERR", r, bp.revents);
	CHECK_ERR(read(fd, small, sizeof(small)), EINVAL);
	CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLIN, "the fault is no longer pending after a "
	      "short read (revents %#x)", p.revents);
	CHECK(read(fd, &m, sizeof(m)) == sizeof(m) && m.arg.pagefault.address == (uintptr_t)a,
	      "read after a short read: errno %d address %#llx", errno,
	      (unsigned long long)m.arg.pagefault.address);
	CHECK(poll(&p, 1, 0) == 0 && p.revents == 0, "POLLIN after the only fault was read");
	CHECK(read(bfd, &m, sizeof(m)) == sizeof(m) && m.arg.pagefault.address == (uintptr_t)b,
	      "read of the blocking uffd: errno %d", errno);
	uffd_zeropage(fd, a, PAGE_SIZE, 0, NULL);
	uffd_zeropage(bfd, b, PAGE_SIZE, 0, NULL);
	CHECK(touch_done(&t, 2000) && touch_done(&t2, 2000), "faulters not released");
	touch_join(&t);
	touch_join(&t2);
	munmap(a, PAGE_SIZE);
	munmap(b, PAGE_SIZE);
	close(fd);
	close(bfd);
}

/* ---- 8. poll() sleeps until a fault comes; read() is interruptible ------- */
static void *late_toucher(void *arg)
{
	msleep(100);
	return (void *)(long)*(volatile char *)arg;
}

static void on_usr2(int sig)
{
	(void)sig;
}

static void part_wakeups(void)
{
	utest_printf("  8. poll() wakes for a new fault; read() is interrupted by a signal\n");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	int bfd = uffd_open(O_CLOEXEC, 0, NULL);
	char *a = map_anon(1);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct timespec t0, t1;
	pthread_t th;

	REQUIRE(uffd_register(fd, a, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	REQUIRE(pthread_create(&th, NULL, late_toucher, a) == 0, "pthread_create");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int r = poll(&p, 1, 3000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(r == 1 && p.revents == POLLIN && ms < 2000, "poll() waiting for a fault that comes "
	      "after 100 ms: returned %d revents %#x after %ld ms", r, p.revents, ms);
	CHECK(uffd_zeropage(fd, a, PAGE_SIZE, 0, NULL) == 0, "ZEROPAGE: errno %d", errno);
	pthread_join(th, NULL);

	/* a blocking read() with nothing to read, and a handled signal */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr2;        /* no SA_RESTART */
	sigaction(SIGUSR2, &sa, NULL);
	static struct reader rd;
	rd.fd = bfd;
	rd.len = sizeof(struct uffd_msg);
	REQUIRE(pthread_create(&rd.th, NULL, reader_main, &rd) == 0, "pthread_create");
	/* a signal that comes before the read blocks only runs the handler: repeat */
	for (int i = 0; i < 200 && !__atomic_load_n(&rd.done, __ATOMIC_SEQ_CST); i++) {
		pthread_kill(rd.th, SIGUSR2);
		msleep(10);
	}
	CHECK(rd.done, "a signal did not end a blocking read() of an empty uffd");
	if (rd.done) {
		CHECK(rd.got == -1 && rd.err == EINTR, "read() interrupted by a handled signal: %zd "
		      "errno %d, want -1/EINTR", rd.got, rd.err);
		pthread_join(rd.th, NULL);
	} else {
		pthread_detach(rd.th);
	}
	signal(SIGUSR2, SIG_DFL);
	munmap(a, PAGE_SIZE);
	close(fd);
	if (rd.done)
		close(bfd);
}

int main(int argc, char **argv)
{
	__u64 feat;

	utest_begin("uffd_missing", argc, argv);
	feat = uffd_features();
	part_serve();
	part_thread_id(feat);
	part_once();
	part_copy_errors();
	part_zeropage();
	part_dontwake();
	part_read_poll();
	part_wakeups();
	return utest_done();
}
