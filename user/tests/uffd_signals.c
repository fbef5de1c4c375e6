/*
 * uffd_signals - signals to tasks waiting in a userfault.
 *
 * Checks:
 *  1. a handled signal (pthread_kill SIGUSR1) to a thread waiting in a
 *     userfault: its handler runs while the page is still missing, then the
 *     access faults again (a second message, same address) and, once
 *     served, completes with the handler's bytes;
 *  2. a blocked signal does not end the wait (no second message, the thread
 *     stays asleep) until the page is served; the handler runs after it
 *     unblocks the signal;
 *  3. SIGKILL ends a process whose only thread waits in a userfault nobody
 *     will serve; so does SIGKILL to a process whose other thread handles;
 *     an unhandled SIGTERM (default action: terminate) ends such a wait too.
 */
#define _GNU_SOURCE
#include "uffd_util.h"

static volatile int usr1_count, usr1_in_fault_thread;
static volatile pid_t fault_tid;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
	if ((pid_t)syscall(SYS_gettid) == fault_tid)
		usr1_in_fault_thread++;
}

struct sigtoucher {
	char *addr;
	int block_usr1;
	char seen;
	volatile int ready, done;
	pthread_t th;
};

static void *sigtoucher_main(void *arg)
{
	struct sigtoucher *t = arg;
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(t->block_usr1 ? SIG_BLOCK : SIG_UNBLOCK, &s, NULL);
	fault_tid = (pid_t)syscall(SYS_gettid);
	__atomic_store_n(&t->ready, 1, __ATOMIC_SEQ_CST);
	t->seen = *(volatile char *)t->addr;
	if (t->block_usr1)
		pthread_sigmask(SIG_UNBLOCK, &s, NULL);   /* the pending SIGUSR1 runs now */
	__atomic_store_n(&t->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static int wait_flag(volatile int *f, int ms)
{
	for (int i = 0; i < ms && !__atomic_load_n(f, __ATOMIC_SEQ_CST); i++)
		msleep(1);
	return __atomic_load_n(f, __ATOMIC_SEQ_CST);
}

static char src[PAGE_SIZE] __attribute__((aligned(4096)));

static void part_handled(int block)
{
	utest_printf("  %d. %s SIGUSR1 to a thread waiting in a userfault\n", block ? 2 : 1,
		     block ? "a blocked" : "a handled");
	int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
	char *a = map_anon(1);
	struct sigaction sa;
	struct uffd_msg m;
	static struct sigtoucher t;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);     /* no SA_RESTART: does not matter for faults */
	usr1_count = usr1_in_fault_thread = 0;
	REQUIRE(uffd_register(fd, a, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) == 0, "REGISTER");
	memset(&t, 0, sizeof(t));
	t.addr = a + 321;
	t.block_usr1 = block;
	REQUIRE(pthread_create(&t.th, NULL, sigtoucher_main, &t) == 0, "pthread_create");
	CHECK(uffd_wait_msg(fd, &m, 2000) == 1 && m.arg.pagefault.address == (uintptr_t)a,
	      "no message for the first fault");
	CHECK(pthread_kill(t.th, SIGUSR1) == 0, "pthread_kill");
	if (!block) {
		CHECK(wait_flag(&usr1_count, 2000), "the handler did not run while the thread "
		      "waited in a userfault");
		CHECK(usr1_in_fault_thread == 1, "the handler ran in another thread");
		int got = uffd_wait_msg(fd, &m, 2000);
		CHECK(got == 1, "no second message after the handler returned (the access should "
		      "fault again)");
		if (got == 1)
			CHECK(m.event == UFFD_EVENT_PAGEFAULT && m.arg.pagefault.address == (uintptr_t)a &&
			      m.arg.pagefault.flags == 0, "second message: event %#x address %#llx "
			      "flags %#llx", m.event, (unsigned long long)m.arg.pagefault.address,
			      (unsigned long long)m.arg.pagefault.flags);
		CHECK(!t.done, "the access completed without the page");
	} else {
		msleep(100);
		CHECK(usr1_count == 0, "a blocked signal ran its handler");
		CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a blocked signal ended the wait (second message)");
		CHECK(!t.done, "a blocked signal ended the wait");
	}
	memset(src, 0x5c, sizeof(src));
	CHECK(uffd_copy(fd, a, src, PAGE_SIZE, 0, NULL) == 0, "COPY: errno %d", errno);
	CHECK(wait_flag(&t.done, 2000), "the thread did not complete its access after COPY");
	if (t.done)
		pthread_join(t.th, NULL);
	else
		pthread_detach(t.th);
	CHECK(t.seen == 0x5c, "the access read %#x, want 0x5c", (unsigned char)t.seen);
	CHECK(usr1_count == 1 && usr1_in_fault_thread == 1, "handler ran %d times (%d in the "
	      "faulting thread), want once", usr1_count, usr1_in_fault_thread);
	CHECK(uffd_wait_msg(fd, &m, 0) == 0, "a message left over");
	signal(SIGUSR1, SIG_DFL);
	munmap(a, PAGE_SIZE);
	close(fd);
}

/* A child waits in a userfault on its own registered page; nobody serves. */
static void part_kill(int sig, int threaded)
{
	utest_printf("  3. %s to a process %s\n", sig == SIGKILL ? "SIGKILL" : "SIGTERM",
		     threaded ? "with one thread waiting in a userfault and one handling" :
				"whose only thread waits in a userfault");
	int p[2];
	REQUIRE(pipe(p) == 0, "pipe");
	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, 0, NULL);
		char *a = map_anon(1);
		struct uffd_msg m;
		if (uffd_register(fd, a, PAGE_SIZE, UFFDIO_REGISTER_MODE_MISSING, NULL) != 0)
			_exit(2);
		if (threaded) {
			struct toucher t;
			touch_start(&t, a, 1, 1);
			if (uffd_wait_msg(fd, &m, 2000) != 1)
				_exit(3);
			(void)!write(p[1], "w", 1);
			for (;;)
				pause();
		}
		(void)!write(p[1], "w", 1);
		volatile char c = a[0];     /* waits forever */
		(void)c;
		_exit(4);
	}
	char c = 0;
	CHECK(read(p[0], &c, 1) == 1 && c == 'w', "child did not get ready");
	msleep(50);
	int st;
	CHECK(waitpid(pid, &st, WNOHANG) == 0, "the child ended before the signal");
	kill(pid, sig);
	st = utest_wait(pid);
	CHECK_SIGNALED(st, sig, "process waiting in a userfault");
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	utest_begin("uffd_signals", argc, argv);
	close(uffd_open(O_CLOEXEC, 0, NULL));      /* skips without userfaultfd */
	part_handled(0);
	part_handled(1);
	part_kill(SIGKILL, 0);
	part_kill(SIGKILL, 1);
	part_kill(SIGTERM, 0);
	return utest_done();
}
