/*
 * tests/ktest/ktest_proc.h - helpers for the /proc selftests
 * (test_procfs.c): read a file's whole text, pick numbers and lines out
 * of it, list a directory through getdents' own path (iterate_dir), and
 * count pages by state over mem_map[] to compare with the counters.
 */
#ifndef TESTS_KTEST_KTEST_PROC_H
#define TESTS_KTEST_KTEST_PROC_H

#include "tests/ktest/ktest.h"
#include "kernel/fs.h"

#define TEXT_MAX 16384     /* the most text ktest_proc_text() and ktest_file_text() keep */
#define NAMES_MAX 4096     /* the most ktest_list_dir() writes */

/* ktest_read_all - read @f from *@pos to its end, @chunk bytes a call, into @buf (with a NUL). */
ssize_t ktest_read_all(struct file *f, char *buf, size_t size, size_t chunk, loff_t *pos);
/* ktest_file_text - the text of open file @f (then put) in a new TEXT_MAX buffer (kfree it). */
char *ktest_file_text(struct ktest *test, struct file *f);
/* ktest_proc_text - the text of @path in a new TEXT_MAX buffer (kfree it); aborts on error. */
char *ktest_proc_text(struct ktest *test, const char *path);
/* ktest_field - the number after @key at the start of a line of @text, or -1. */
long ktest_field(const char *text, const char *key);
/* ktest_has_line - does @text have the whole line @line (without its newline)? */
bool ktest_has_line(const char *text, const char *line);
/* ktest_line_at - the start of line @n (from 0) of @text. */
const char *ktest_line_at(const char *text, int n);
/* ktest_chomp - @s without its trailing newline. */
char *ktest_chomp(char *s);
/* ktest_list_dir - every name in directory @path, "a\nb\n...", taking @per_call (0: all) a call. */
void ktest_list_dir(struct ktest *test, const char *path, char *out, int per_call);

/* Pages in each state, counted over mem_map[] (what the counters should say). */
struct ktest_page_census {
	unsigned long anon_mapped, file_mapped, shmem, cached;
};
void ktest_census(struct ktest_page_census *c);

#endif
