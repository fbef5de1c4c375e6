/* tests/ktest/ktest_proc.c - see ktest_proc.h. */
#include "tests/ktest/ktest_proc.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/slab.h"

ssize_t ktest_read_all(struct file *f, char *buf, size_t size, size_t chunk, loff_t *pos)
{
	size_t len = 0;
	ssize_t n;

	while (len < size - 1 && (n = kernel_read(f, buf + len, min(chunk, size - 1 - len), pos)) > 0)
		len += n;
	buf[len] = '\0';
	return len;
}

char *ktest_file_text(struct ktest *test, struct file *f)
{
	char *buf = kmalloc(TEXT_MAX, GFP_KERNEL);
	loff_t pos = 0;

	if (buf)
		ktest_read_all(f, buf, TEXT_MAX, TEXT_MAX, &pos);
	fput(f);
	if (!buf)
		ktest_abort(test);
	return buf;
}

char *ktest_proc_text(struct ktest *test, const char *path)
{
	struct file *f = filp_open(path, O_RDONLY, 0);

	if (IS_ERR(f)) {
		ktest_fail(test, __FILE__, __LINE__, "open %s: %ld", path, PTR_ERR(f));
		ktest_abort(test);
	}
	return ktest_file_text(test, f);
}

long ktest_field(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *l = text; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		const char *p = l + klen;

		if (strncmp(l, key, klen) != 0)
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9')
			return -1;
		return (long)simple_strtoul(p, NULL, 10);
	}
	return -1;
}

bool ktest_has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *l = text; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l))
		if (strncmp(l, line, n) == 0 && (l[n] == '\n' || l[n] == '\0'))
			return true;
	return false;
}

const char *ktest_line_at(const char *text, int n)
{
	while (n-- > 0 && strchr(text, '\n'))
		text = strchr(text, '\n') + 1;
	return text;
}

char *ktest_chomp(char *s)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '\n')
		s[n - 1] = '\0';
	return s;
}

void ktest_census(struct ktest_page_census *c)
{
	memset(c, 0, sizeof(*c));
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *p = pfn_to_page(pfn);

		if (page_mapcount(p) > 0)
			(*(PageAnon(p) ? &c->anon_mapped : &c->file_mapped))++;
		if (PageSwapBacked(p))
			c->shmem++;
		/* ->mapping shares its word with slab state: look only at other pages */
		if (!PageSlab(p) && !PageBuddy(p) && !PageAnon(p) && p->mapping)
			c->cached++;
	}
}

/* A getdents walk that writes each name and a newline to buf; at most @limit per call. */
struct name_list {
	struct dir_context ctx;
	char *buf;
	size_t len;
	int limit, taken;
};

static bool collect_name(struct dir_context *ctx, const char *name, int namelen,
			 loff_t next_pos, u64 ino, unsigned int d_type)
{
	struct name_list *nl = container_of(ctx, struct name_list, ctx);

	(void)next_pos;
	(void)d_type;
	if ((nl->limit && nl->taken == nl->limit) || nl->len + namelen + 2 > NAMES_MAX || !ino)
		return false;
	memcpy(nl->buf + nl->len, name, namelen);
	nl->len += namelen;
	nl->buf[nl->len++] = '\n';
	nl->buf[nl->len] = '\0';
	nl->taken++;
	return true;
}

void ktest_list_dir(struct ktest *test, const char *path, char *out, int per_call)
{
	struct file *f = filp_open(path, O_RDONLY | O_DIRECTORY, 0);
	struct name_list nl = { .ctx.actor = collect_name, .buf = out, .limit = per_call };
	size_t before;

	out[0] = '\0';
	ASSERT_FALSE(IS_ERR(f));
	do {
		before = nl.len;
		nl.taken = 0;
		nl.ctx.pos = f->f_pos;
		EXPECT_EQ(iterate_dir(f, &nl.ctx), 0);
		f->f_pos = nl.ctx.pos;
	} while (nl.len != before);
	fput(f);
}
