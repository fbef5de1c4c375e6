/*
 * tests/ktest/ktest.h - in-kernel selftests in the style of Linux's KUnit.
 *
 * A test case is a function taking "struct ktest *test". Cases are grouped
 * into a suite, and the suite is registered in a linker section, so adding a
 * test file to tests/ktest/ is all it takes:
 *
 *     KTEST(buddy_split)
 *     {
 *             struct page *p = alloc_pages(GFP_KERNEL, 0);
 *             ASSERT_NOT_NULL(p);              // aborts the case if NULL
 *             EXPECT_EQ(page_ref_count(p), 1); // records and continues
 *             __free_pages(p, 0);
 *     }
 *
 *     static struct ktest_case buddy_cases[] = {
 *             KTEST_CASE(buddy_split),
 *             {}
 *     };
 *     static struct ktest_suite buddy_suite = {
 *             .name = "buddy",
 *             .cases = buddy_cases,
 *     };
 *     ktest_register_suite(buddy_suite);
 *
 * The kernel command line ktest=GLOB (or ktest=SUITE_GLOB.CASE_GLOB, several
 * comma-separated, "-GLOB" to leave out what GLOB matches) runs the
 * matching suites and prints KTAP version 1 on COM1. After every case the
 * runner checks that the free-page count and the number of live kmalloc
 * objects are back where they were before the case: a leak fails the case.
 *
 * EXPECT_*() record a failure (file, line, both values) and go on;
 * ASSERT_*() record it and end the case at once. KTEST_SKIP("why") ends the
 * case as skipped (for what the machine lacks).
 */
#ifndef TESTS_KTEST_KTEST_H
#define TESTS_KTEST_KTEST_H

#include "kernel/compiler.h"
#include "kernel/types.h"

enum ktest_status { KTEST_PASS, KTEST_FAIL, KTEST_SKIP };

struct ktest {
	const char *name;
	enum ktest_status status;
	char skip_reason[80];
	void *jmpbuf[5];          /* for __builtin_setjmp: ASSERT and SKIP end the case */
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *test);
};

struct ktest_suite {
	const char *name;
	struct ktest_case *cases;   /* ends with an empty entry */
	int (*init)(void);          /* optional; non-zero: every case is skipped */
	void (*exit)(void);         /* optional */
	bool explicit_only;         /* runs only when named without wildcards */
};

#define KTEST(fn) static void fn(struct ktest *test)
#define KTEST_CASE(fn) { .name = #fn, .run = fn }
#define ktest_register_suite(suite)                                       \
	static struct ktest_suite *const __ktest_ptr_##suite               \
		__section(".ktest_suites") __used = &(suite)

/* Implementation hooks for the macros below (tests/ktest/ktest.c). */
void ktest_fail(struct ktest *test, const char *file, int line, const char *fmt, ...)
	__printf(4, 5);
void __noreturn ktest_abort(struct ktest *test);
void __noreturn ktest_skip(struct ktest *test, const char *fmt, ...) __printf(2, 3);
/* ktest_info - a "# ..." diagnostic line inside the current case's output. */
void ktest_info(const char *fmt, ...) __printf(1, 2);

/*
 * ktest_run - run every registered suite matching @filter (NULL or "" means
 * "*"), printing KTAP. Returns the number of failed cases.
 */
int ktest_run(const char *filter);

/* ---- assertions ---- */
#define __KT_CMP(kind, a, op, b, abort)                                                \
	do {                                                                           \
		long long __a = (long long)(a), __b = (long long)(b);                  \
		if (!(__a op __b)) {                                                   \
			ktest_fail(test, __FILE__, __LINE__,                           \
				   "%s(%s, %s) failed: %s == %lld (%#llx), "           \
				   "%s == %lld (%#llx)", kind, #a, #b,                 \
				   #a, __a, (unsigned long long)__a,                   \
				   #b, __b, (unsigned long long)__b);                  \
			if (abort)                                                     \
				ktest_abort(test);                                     \
		}                                                                      \
	} while (0)

#define __KT_BOOL(kind, cond, want, abort)                                             \
	do {                                                                           \
		if ((!!(cond)) != (want)) {                                              \
			ktest_fail(test, __FILE__, __LINE__, "%s(%s) failed", kind, #cond); \
			if (abort)                                                     \
				ktest_abort(test);                                     \
		}                                                                      \
	} while (0)

#define __KT_STR(kind, a, b, abort)                                                    \
	do {                                                                           \
		const char *__a = (a), *__b = (b);                                     \
		if (__builtin_strcmp(__a, __b) != 0) {                                  \
			ktest_fail(test, __FILE__, __LINE__,                           \
				   "%s(%s, %s) failed: \"%s\" vs \"%s\"",               \
				   kind, #a, #b, __a, __b);                            \
			if (abort)                                                     \
				ktest_abort(test);                                     \
		}                                                                      \
	} while (0)

#define EXPECT_EQ(a, b) __KT_CMP("EXPECT_EQ", a, ==, b, 0)
#define EXPECT_NE(a, b) __KT_CMP("EXPECT_NE", a, !=, b, 0)
#define EXPECT_LT(a, b) __KT_CMP("EXPECT_LT", a, <, b, 0)
#define EXPECT_LE(a, b) __KT_CMP("EXPECT_LE", a, <=, b, 0)
#define EXPECT_GT(a, b) __KT_CMP("EXPECT_GT", a, >, b, 0)
#define EXPECT_GE(a, b) __KT_CMP("EXPECT_GE", a, >=, b, 0)
#define EXPECT_TRUE(c)  __KT_BOOL("EXPECT_TRUE", c, 1, 0)
#define EXPECT_FALSE(c) __KT_BOOL("EXPECT_FALSE", c, 0, 0)
#define EXPECT_NULL(p)     __KT_CMP("EXPECT_NULL", p, ==, 0, 0)
#define EXPECT_NOT_NULL(p) __KT_CMP("EXPECT_NOT_NULL", p, !=, 0, 0)
#define EXPECT_PTR_EQ(a, b) __KT_CMP("EXPECT_PTR_EQ", a, ==, b, 0)
#define EXPECT_STREQ(a, b) __KT_STR("EXPECT_STREQ", a, b, 0)

#define ASSERT_EQ(a, b) __KT_CMP("ASSERT_EQ", a, ==, b, 1)
#define ASSERT_NE(a, b) __KT_CMP("ASSERT_NE", a, !=, b, 1)
#define ASSERT_LT(a, b) __KT_CMP("ASSERT_LT", a, <, b, 1)
#define ASSERT_LE(a, b) __KT_CMP("ASSERT_LE", a, <=, b, 1)
#define ASSERT_GT(a, b) __KT_CMP("ASSERT_GT", a, >, b, 1)
#define ASSERT_GE(a, b) __KT_CMP("ASSERT_GE", a, >=, b, 1)
#define ASSERT_TRUE(c)  __KT_BOOL("ASSERT_TRUE", c, 1, 1)
#define ASSERT_FALSE(c) __KT_BOOL("ASSERT_FALSE", c, 0, 1)
#define ASSERT_NULL(p)     __KT_CMP("ASSERT_NULL", p, ==, 0, 1)
#define ASSERT_NOT_NULL(p) __KT_CMP("ASSERT_NOT_NULL", p, !=, 0, 1)
#define ASSERT_PTR_EQ(a, b) __KT_CMP("ASSERT_PTR_EQ", a, ==, b, 1)
#define ASSERT_STREQ(a, b) __KT_STR("ASSERT_STREQ", a, b, 1)

#define KTEST_SKIP(...) ktest_skip(test, __VA_ARGS__)

#endif
