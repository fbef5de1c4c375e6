/*
 * threads - POSIX threads (clone with CLONE_VM|CLONE_THREAD|..., futex,
 * arch_prctl(ARCH_SET_FS) for TLS, set_tid_address for join).
 *
 * Checks:
 *  1. 4 threads add 1 to a shared counter 10000 times each under a
 *     pthread_mutex (futex when contended): the total is exact;
 *  2. __thread variables: the initial value (.tdata) and zero (.tbss) in
 *     every new thread, a distinct address per thread, values kept apart;
 *  3. pthread_join returns each thread's value (return and pthread_exit);
 *     a thread's exit does not end the process;
 *  4. getpid() is the same in every thread, gettid() differs, and the main
 *     thread's tid is the pid;
 *  5. memory is shared: a page mmap()ed and written by a thread is read by
 *     main; each thread has its own stack;
 *  6. condition variables: two threads play ping-pong 2000 times;
 *  7. pthread_kill (tgkill) runs the handler in the target thread;
 *  8. exit_group: in a child process, one thread calls _exit(7) while the
 *     others are blocked or spinning: the whole process ends with status 7;
 *  9. the main thread may pthread_exit(): the process lives on until the
 *     last thread calls exit(9).
 */
#define _GNU_SOURCE
#include "utest.h"
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define NTHREADS 4
#define ITERS 10000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long tls_init = 42;     /* .tdata: every thread starts at 42 */
static __thread long tls_zero;          /* .tbss: every thread starts at 0 */
static pthread_barrier_t barrier;

struct result {
	long tls_init_seen, tls_zero_seen;
	void *tls_addr, *stack_addr;
	pid_t pid, tid;
	int tls_kept;
};
static struct result results[NTHREADS];

static void *adder(void *arg)
{
	long id = (long)arg;
	volatile int on_stack;
	struct result *r = &results[id];

	r->tls_init_seen = tls_init;
	r->tls_zero_seen = tls_zero;
	r->tls_addr = &tls_init;
	r->stack_addr = (void *)&on_stack;
	r->pid = getpid();
	r->tid = syscall(SYS_gettid);
	tls_init = 1000 + id;
	tls_zero = 2000 + id;

	pthread_barrier_wait(&barrier);        /* all run at once */
	for (int i = 0; i < ITERS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		if (i % 1000 == 0)
			sched_yield();
	}
	pthread_barrier_wait(&barrier);
	r->tls_kept = tls_init == 1000 + id && tls_zero == 2000 + id;
	if (id == 3)
		pthread_exit((void *)(id * 100 + 1));   /* the other way out */
	return (void *)(id * 100 + 1);
}

/* ---- 5. shared memory ------------------------------------------------ */
static void *mapper(void *arg)
{
	(void)arg;
	char *p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	strcpy(p, "written by a thread");
	return p;
}

/* ---- 6. ping-pong ---------------------------------------------------- */
static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cond = PTHREAD_COND_INITIALIZER;
static int pp_turn, pp_rounds;

static void *ponger(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pp_lock);
	for (int i = 0; i < 1000; i++) {
		while (pp_turn != 1)
			pthread_cond_wait(&pp_cond, &pp_lock);
		pp_turn = 0;
		pp_rounds++;
		pthread_cond_signal(&pp_cond);
	}
	pthread_mutex_unlock(&pp_lock);
	return NULL;
}

/* ---- 7. pthread_kill ------------------------------------------------- */
static volatile pid_t handler_tid;
static volatile int target_ready, target_done;
static void on_usr1(int sig)
{
	(void)sig;
	handler_tid = syscall(SYS_gettid);
	target_done = 1;
}
static void *target(void *arg)
{
	(void)arg;
	target_ready = 1;
	while (!target_done)
		sched_yield();
	return (void *)(long)syscall(SYS_gettid);
}

/* ---- 8. exit_group --------------------------------------------------- */
static volatile int forever = 1;
static void *blocker(void *arg)
{
	(void)arg;
	while (forever)
		pause();
	return NULL;
}
static void *spinner(void *arg)
{
	(void)arg;
	while (forever)
		__asm__ volatile("" ::: "memory");
	return NULL;
}
static void *exiter(void *arg)
{
	(void)arg;
	for (int i = 0; i < 5; i++)
		sched_yield();
	_exit(7);                     /* exit_group: all threads end */
}

/* ---- 9. main thread leaves first ------------------------------------- */
static int alive_fd;
static void *survivor(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20; i++)
		sched_yield();
	(void)!write(alive_fd, "alive", 5);
	exit(9);
}

int main(int argc, char **argv)
{
	pthread_t t[NTHREADS];
	void *ret;
	int st, p[2];
	pid_t pid;

	utest_begin("threads", argc, argv);
	tls_init = 1;    /* main's own copy: must not leak into new threads */

	/* ---- 1-4 -------------------------------------------------------- */
	REQUIRE(pthread_barrier_init(&barrier, NULL, NTHREADS) == 0, "barrier");
	for (long i = 0; i < NTHREADS; i++)
		REQUIRE(pthread_create(&t[i], NULL, adder, (void *)i) == 0,
			"pthread_create %ld", i);
	for (long i = 0; i < NTHREADS; i++) {
		CHECK(pthread_join(t[i], &ret) == 0, "pthread_join %ld", i);
		CHECK(ret == (void *)(i * 100 + 1), "thread %ld returned %p, want %#lx",
		      i, ret, i * 100 + 1);
	}
	CHECK(counter == NTHREADS * ITERS, "counter %ld, want %d: the mutex did not "
	      "exclude", counter, NTHREADS * ITERS);
	CHECK(tls_init == 1, "main's __thread value changed to %ld by other threads", tls_init);
	for (int i = 0; i < NTHREADS; i++) {
		struct result *r = &results[i];
		CHECK(r->tls_init_seen == 42 && r->tls_zero_seen == 0,
		      "thread %d: initial __thread values %ld/%ld, want 42/0", i,
		      r->tls_init_seen, r->tls_zero_seen);
		CHECK(r->tls_kept, "thread %d: __thread values overwritten by another thread", i);
		CHECK(r->pid == getpid(), "thread %d: getpid %d, want %d", i, (int)r->pid,
		      (int)getpid());
		CHECK(r->tid != getpid() && r->tid > 0, "thread %d: gettid %d", i, (int)r->tid);
		CHECK(r->tls_addr != &tls_init, "thread %d shares main's TLS block", i);
		for (int j = 0; j < i; j++) {
			CHECK(r->tid != results[j].tid, "threads %d and %d have tid %d", i, j,
			      (int)r->tid);
			CHECK(r->tls_addr != results[j].tls_addr, "threads %d and %d share TLS", i, j);
			CHECK(r->stack_addr != results[j].stack_addr, "threads %d, %d share a stack",
			      i, j);
		}
	}
	CHECK(syscall(SYS_gettid) == getpid(), "main thread: gettid %ld != getpid %d",
	      syscall(SYS_gettid), (int)getpid());
	utest_printf("  4 threads x %d increments under a mutex: %ld\n", ITERS, counter);

	/* ---- 5 ------------------------------------------------------------ */
	CHECK(pthread_create(&t[0], NULL, mapper, NULL) == 0, "pthread_create");
	CHECK(pthread_join(t[0], &ret) == 0, "pthread_join");
	CHECK(ret && !strcmp(ret, "written by a thread"), "memory mapped by a thread");

	/* ---- 6 ------------------------------------------------------------ */
	CHECK(pthread_create(&t[0], NULL, ponger, NULL) == 0, "pthread_create");
	pthread_mutex_lock(&pp_lock);
	for (int i = 0; i < 1000; i++) {
		pp_turn = 1;
		pp_rounds++;
		pthread_cond_signal(&pp_cond);
		while (pp_turn != 0)
			pthread_cond_wait(&pp_cond, &pp_lock);
	}
	pthread_mutex_unlock(&pp_lock);
	CHECK(pthread_join(t[0], NULL) == 0, "pthread_join");
	CHECK(pp_rounds == 2000, "ping-pong rounds %d, want 2000", pp_rounds);

	/* ---- 7 ------------------------------------------------------------ */
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &sa, NULL);
	CHECK(pthread_create(&t[0], NULL, target, NULL) == 0, "pthread_create");
	while (!target_ready)
		sched_yield();
	CHECK(pthread_kill(t[0], SIGUSR1) == 0, "pthread_kill");
	CHECK(pthread_join(t[0], &ret) == 0, "pthread_join");
	CHECK(handler_tid == (pid_t)(long)ret, "pthread_kill: handler ran in tid %d, target is %ld",
	      (int)handler_tid, (long)ret);

	/* ---- 8 ------------------------------------------------------------ */
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		pthread_t a, b, c;
		pthread_create(&a, NULL, blocker, NULL);
		pthread_create(&b, NULL, spinner, NULL);
		pthread_create(&c, NULL, exiter, NULL);
		for (;;)
			pause();
	}
	st = utest_wait(pid);
	CHECK_EXITED(st, 7, "_exit(7) in one thread of four");

	/* ---- 9 ------------------------------------------------------------ */
	REQUIRE(pipe(p) == 0, "pipe");
	pid = fork();
	REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		pthread_t a;
		close(p[0]);
		alive_fd = p[1];
		if (pthread_create(&a, NULL, survivor, NULL))
			_exit(1);
		pthread_exit(NULL);        /* main leaves; the process goes on */
	}
	close(p[1]);
	char buf[8] = { 0 };
	CHECK(read(p[0], buf, 5) == 5 && !strcmp(buf, "alive"),
	      "the thread left behind by pthread_exit(main) did not run");
	close(p[0]);
	st = utest_wait(pid);
	CHECK_EXITED(st, 9, "process whose main thread called pthread_exit");

	return utest_done();
}
