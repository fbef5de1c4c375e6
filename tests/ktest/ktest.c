/*
 * tests/ktest/ktest.c - the selftest runner (see ktest.h): picks the suites
 * that match the filter, runs each case with a leak check around it, and
 * prints KTAP version 1 (Documentation/dev-tools/ktap.rst in Linux):
 *
 *     KTAP version 1
 *     1..2                         <- number of suites
 *         KTAP version 1
 *         # Subtest: buddy
 *         1..7                     <- number of cases in this suite
 *         ok 1 buddy_split
 *         # EXPECT_EQ(...) failed at tests/ktest/test_buddy.c:40: ...
 *         not ok 2 buddy_coalesce
 *         ok 3 smap_blocks # SKIP CPU has no SMAP
 *     # buddy: pass:5 fail:1 skip:1 total:7
 *     not ok 1 buddy
 *     # Totals: pass:.. fail:.. skip:.. total:..
 *
 * A case aborted by ASSERT_*() or KTEST_SKIP() comes back here through
 * __builtin_longjmp(); the case's own frames are simply abandoned.
 */
#include "tests/ktest/ktest.h"
#include <stdarg.h>
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/audit.h"
#include "mm/mm.h"
#include "mm/slab.h"

extern struct ktest_suite *const __start_ktest_suites[];
extern struct ktest_suite *const __stop_ktest_suites[];

static char filter_buf[128];

void ktest_info(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("    # %s\n", buf);
}

void ktest_fail(struct ktest *test, const char *file, int line, const char *fmt, ...)
{
	char buf[320];
	va_list ap;

	test->status = KTEST_FAIL;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("    # %s:%d: %s\n", file, line, buf);
}

void __noreturn ktest_abort(struct ktest *test)
{
	__builtin_longjmp(test->jmpbuf, 1);
}

void __noreturn ktest_skip(struct ktest *test, const char *fmt, ...)
{
	va_list ap;

	if (test->status != KTEST_FAIL)
		test->status = KTEST_SKIP;
	va_start(ap, fmt);
	vsnprintf(test->skip_reason, sizeof(test->skip_reason), fmt, ap);
	va_end(ap);
	__builtin_longjmp(test->jmpbuf, 1);
}

static bool has_wildcard(const char *s)
{
	return strchr(s, '*') || strchr(s, '?');
}

/*
 * The filter is a comma-separated list of globs, each SUITE_GLOB or
 * SUITE_GLOB.CASE_GLOB: "buddy,pf.*nx*" runs all of buddy and the NX cases
 * of pf. A glob with a leading '-' takes away what it matches: "*,-slow*"
 * runs every suite but the slow ones, "fault,-fault.*file*" the fault
 * suite without its file cases; a filter of only such globs starts from
 * "*". An explicit_only suite must be named without wildcards.
 */
#define MAX_FILTERS 16
static struct {
	char *suite, *kase;  /* kase NULL: every case */
	bool exclude;        /* a "-GLOB": takes away what it matches */
} filters[MAX_FILTERS];
static int nr_filters;

/* excluded - does a "-GLOB" take away @c of @s (or, @c NULL, the whole suite)? */
static bool excluded(const struct ktest_suite *s, const struct ktest_case *c)
{
	for (int i = 0; i < nr_filters; i++) {
		if (!filters[i].exclude || !glob_match(filters[i].suite, s->name))
			continue;
		if (!filters[i].kase || (c && glob_match(filters[i].kase, c->name)))
			return true;
	}
	return false;
}

static bool suite_selected(const struct ktest_suite *s)
{
	if (excluded(s, NULL))
		return false;
	for (int i = 0; i < nr_filters; i++) {
		if (filters[i].exclude)
			continue;
		if (s->explicit_only ? !has_wildcard(filters[i].suite) &&
					       strcmp(filters[i].suite, s->name) == 0
				     : glob_match(filters[i].suite, s->name))
			return true;
	}
	return false;
}

static bool case_selected(const struct ktest_suite *s, const struct ktest_case *c)
{
	if (excluded(s, c))
		return false;
	for (int i = 0; i < nr_filters; i++) {
		if (filters[i].exclude || !glob_match(filters[i].suite, s->name))
			continue;
		if (!filters[i].kase || glob_match(filters[i].kase, c->name))
			return true;
	}
	return false;
}

/* parse_filter - split @filter (copied into filter_buf) into filters[]. */
static void parse_filter(const char *filter)
{
	static char star[] = "*";
	char *p = filter_buf;
	bool positive = false;

	strlcpy(filter_buf, filter && *filter ? filter : "*", sizeof(filter_buf));
	nr_filters = 0;
	while (p && *p && nr_filters < MAX_FILTERS) {
		char *comma = strchr(p, ',');
		char *dot;

		if (comma)
			*comma = '\0';
		filters[nr_filters].exclude = *p == '-';
		if (*p == '-')
			p++;
		positive |= !filters[nr_filters].exclude;
		filters[nr_filters].suite = p;
		dot = strchr(p, '.');
		if (dot)
			*dot = '\0';
		filters[nr_filters].kase = dot ? dot + 1 : NULL;
		nr_filters++;
		p = comma ? comma + 1 : NULL;
	}
	/* Only "-GLOB"s: take them away from everything. */
	if (!positive && nr_filters < MAX_FILTERS)
		filters[nr_filters++] = (typeof(filters[0])){ .suite = star };
}

/*
 * run_case_body - set the abort point and run the case. Kept out of line so
 * that the __builtin_setjmp frame stays alive for the whole case.
 */
static void __noinline run_case_body(struct ktest *test, const struct ktest_case *c)
{
	if (__builtin_setjmp(test->jmpbuf) == 0)
		c->run(test);
}

/*
 * run_case - run one case and check that it gave back every page and every
 * kmalloc object it took. Returns its status.
 */
static enum ktest_status run_case(const struct ktest_case *c, int index)
{
	struct ktest test = { .name = c->name, .status = KTEST_PASS };
	unsigned long free_before = nr_free_pages();
	unsigned long objs_before = kmalloc_objects_in_use();
	unsigned long strict_before = mm_audit_violations;

	run_case_body(&test, c);

	unsigned long free_after = nr_free_pages();
	unsigned long objs_after = kmalloc_objects_in_use();

	if (free_after != free_before) {
		printk("    # %s: leaked %ld pages (free pages %lu before, %lu after)\n",
		       c->name, (long)(free_before - free_after), free_before, free_after);
		test.status = KTEST_FAIL;
	}
	/* The memory invariants (mm/audit.c) must hold after every case. */
	long violations = mm_audit("after the case") + (long)(mm_audit_violations - strict_before);

	if (violations) {
		printk("    # %s: mm_audit found %ld violation(s)\n", c->name, violations);
		test.status = KTEST_FAIL;
	}
	if (objs_after != objs_before) {
		printk("    # %s: leaked %ld kmalloc objects (%lu live before, %lu after)\n",
		       c->name, (long)(objs_after - objs_before), objs_before, objs_after);
		test.status = KTEST_FAIL;
	}
	if (test.status == KTEST_SKIP)
		printk("    ok %d %s # SKIP %s\n", index, c->name, test.skip_reason);
	else
		printk("    %s %d %s\n", test.status == KTEST_PASS ? "ok" : "not ok", index, c->name);
	return test.status;
}

/* run_suite - one KTAP subtest. Returns true if no case failed. */
static bool run_suite(struct ktest_suite *s, int index, int *pass, int *fail, int *skip)
{
	int n = 0, p = 0, f = 0, k = 0, i = 0;
	bool init_failed = false;

	printk("    KTAP version 1\n    # Subtest: %s\n", s->name);
	/* init may fill in the cases (the user suite lists its programs). */
	if (s->init && s->init() != 0) {
		printk("    # %s: suite init failed; skipping its cases\n", s->name);
		init_failed = true;
	}
	for (struct ktest_case *c = s->cases; c->name; c++)
		if (case_selected(s, c))
			n++;
	printk("    1..%d\n", n);
	for (struct ktest_case *c = s->cases; c->name; c++) {
		if (!case_selected(s, c))
			continue;
		i++;
		if (init_failed) {
			printk("    ok %d %s # SKIP suite init failed\n", i, c->name);
			k++;
			continue;
		}
		switch (run_case(c, i)) {
		case KTEST_PASS: p++; break;
		case KTEST_FAIL: f++; break;
		case KTEST_SKIP: k++; break;
		}
	}
	if (s->exit && !init_failed)
		s->exit();
	printk("# %s: pass:%d fail:%d skip:%d total:%d\n", s->name, p, f, k, n);
	printk("%s %d %s\n", f ? "not ok" : "ok", index, s->name);
	*pass += p;
	*fail += f;
	*skip += k;
	return f == 0;
}

int ktest_run(const char *filter)
{
	int nsuites = 0, index = 0, pass = 0, fail = 0, skip = 0;

	parse_filter(filter);

	for (struct ktest_suite *const *s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		if (suite_selected(*s))
			nsuites++;
	printk("KTAP version 1\n1..%d\n", nsuites);
	for (struct ktest_suite *const *s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		if (suite_selected(*s))
			run_suite(*s, ++index, &pass, &fail, &skip);
	printk("# Totals: pass:%d fail:%d skip:%d total:%d\n", pass, fail, skip,
	       pass + fail + skip);
	return fail;
}
