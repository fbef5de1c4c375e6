/*
 * tests/ktest/test_ramfs.c - the RAM file system and the page cache,
 * through the kernel's own entry points (filp_open, kernel_read/write,
 * do_mkdirat, ...): names, directories, file data in cache pages,
 * truncation, holes, and filemap_fault on a hand-made VMA. Every case
 * removes what it creates, so the leak check also proves that unlinked,
 * closed files give back their inodes and pages.
 */
#include "tests/ktest/ktest.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/slab.h"

/* The file system exists before any case runs (kmain calls vfs_init; make sure). */
static int ramfs_suite_init(void)
{
	if (!ramfs_root())
		vfs_init();
	return 0;
}

static u8 pattern(loff_t i)
{
	return (u8)(i * 7 + (i >> 12));
}

/* make_file - create @path (which must not exist) holding @n pattern bytes. */
static struct file *make_file(struct ktest *test, const char *path, size_t n)
{
	struct file *f = filp_open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	u8 *buf;
	loff_t pos = 0;

	if (IS_ERR(f)) {
		ktest_fail(test, __FILE__, __LINE__, "filp_open(%s) = %ld", path, PTR_ERR(f));
		ktest_abort(test);
	}
	if (!n)
		return f;
	buf = kmalloc(n, GFP_KERNEL);
	for (size_t i = 0; i < n; i++)
		buf[i] = pattern(i);
	EXPECT_EQ(kernel_write(f, buf, n, &pos), n);
	EXPECT_EQ(pos, n);
	kfree(buf);
	return f;
}

KTEST(ramfs_write_then_read_back)
{
	struct file *f = make_file(test, "/tmp/rw", 10000);
	u8 *buf = kzalloc(12000, GFP_KERNEL);
	loff_t pos = 0;
	bool same = true;

	EXPECT_EQ(f->f_inode->i_size, 10000);
	EXPECT_EQ(f->f_inode->i_data.nrpages, 3);
	EXPECT_EQ(kernel_read(f, buf, 12000, &pos), 10000);   /* stops at EOF */
	EXPECT_EQ(pos, 10000);
	for (int i = 0; i < 10000; i++)
		same &= buf[i] == pattern(i);
	EXPECT_TRUE(same);
	EXPECT_EQ(kernel_read(f, buf, 100, &pos), 0);          /* at EOF */
	pos = 4090;                                            /* across a page boundary */
	EXPECT_EQ(kernel_read(f, buf, 10, &pos), 10);
	EXPECT_EQ(buf[0], pattern(4090));
	EXPECT_EQ(buf[9], pattern(4099));
	fput(f);
	kfree(buf);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/rw"), 0);
	EXPECT_EQ(PTR_ERR(path_lookup(NULL, "/tmp/rw")), -ENOENT);
}

KTEST(ramfs_open_errors)
{
	struct file *f = make_file(test, "/tmp/e", 1), *g;
	char c;
	loff_t pos = 0;

	EXPECT_EQ(PTR_ERR(filp_open("/tmp/e", O_CREAT | O_EXCL | O_RDWR, 0644)), -EEXIST);
	EXPECT_EQ(PTR_ERR(filp_open("/tmp/nope", O_RDONLY, 0)), -ENOENT);
	EXPECT_EQ(PTR_ERR(filp_open("/tmp/nodir/x", O_CREAT | O_RDWR, 0644)), -ENOENT);
	EXPECT_EQ(PTR_ERR(filp_open("/tmp", O_WRONLY, 0)), -EISDIR);
	EXPECT_EQ(PTR_ERR(filp_open("/tmp", O_RDONLY | O_CREAT, 0)), -EISDIR);
	EXPECT_EQ(PTR_ERR(filp_open("/tmp/e", O_RDONLY | O_DIRECTORY, 0)), -ENOTDIR);
	EXPECT_EQ(PTR_ERR(filp_open("/tmp/e/x", O_RDONLY, 0)), -ENOTDIR);
	EXPECT_EQ(PTR_ERR(filp_open("/tmp/e/", O_RDONLY, 0)), -ENOTDIR);
	EXPECT_EQ(PTR_ERR(filp_open("", O_RDONLY, 0)), -ENOENT);

	g = filp_open("/tmp", O_RDONLY | O_DIRECTORY, 0);
	ASSERT_FALSE(IS_ERR(g));
	EXPECT_EQ(kernel_read(g, &c, 1, &pos), -EISDIR);
	fput(g);
	g = filp_open("/tmp/e", O_RDONLY, 0);
	ASSERT_FALSE(IS_ERR(g));
	EXPECT_EQ(kernel_write(g, "x", 1, &pos), -EBADF);       /* read-only file */
	fput(g);
	g = filp_open("/tmp/e", O_WRONLY, 0);
	ASSERT_FALSE(IS_ERR(g));
	EXPECT_EQ(kernel_read(g, &c, 1, &pos), -EBADF);         /* write-only file */
	fput(g);

	EXPECT_EQ(do_unlinkat(NULL, "/tmp"), -EISDIR);
	EXPECT_EQ(do_rmdir(NULL, "/tmp/e"), -ENOTDIR);
	EXPECT_EQ(do_rmdir(NULL, "/"), -EBUSY);
	EXPECT_EQ(do_rmdir(NULL, "/tmp/."), -EINVAL);
	EXPECT_EQ(do_mkdirat(NULL, "/tmp", 0755), -EEXIST);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/nope"), -ENOENT);
	fput(f);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/e"), 0);
}

KTEST(ramfs_dirs_dot_and_dotdot)
{
	struct inode *tmp = path_lookup(NULL, "/tmp");
	struct inode *d, *e, *x;
	int nlink;

	ASSERT_FALSE(IS_ERR(tmp));
	nlink = tmp->i_nlink;
	ASSERT_EQ(do_mkdirat(NULL, "/tmp/d", 0755), 0);
	ASSERT_EQ(do_mkdirat(NULL, "/tmp/d/e/", 0755), 0);     /* a trailing slash is fine */
	EXPECT_EQ(tmp->i_nlink, nlink + 1);                      /* d's ".." */
	d = path_lookup(NULL, "/tmp/d");
	e = path_lookup(NULL, "//tmp/./d//e");
	ASSERT_FALSE(IS_ERR(d));
	ASSERT_FALSE(IS_ERR(e));
	EXPECT_EQ(d->i_nlink, 3);                                /* name, ".", e's ".." */
	EXPECT_TRUE(S_ISDIR(e->i_mode));
	x = path_lookup(NULL, "/tmp/d/e/../..");
	EXPECT_PTR_EQ(x, tmp);
	iput(x);
	x = path_lookup(NULL, "/../../tmp/..");                  /* the root is its own parent */
	EXPECT_PTR_EQ(x, ramfs_root());
	iput(x);
	x = path_lookup(e, "../e/.");                            /* relative to a base */
	EXPECT_PTR_EQ(x, e);
	iput(x);

	EXPECT_EQ(do_rmdir(NULL, "/tmp/d"), -ENOTEMPTY);
	EXPECT_EQ(do_rmdir(NULL, "/tmp/d/e/.."), -ENOTEMPTY);
	EXPECT_EQ(do_rmdir(NULL, "/tmp/d/e"), 0);
	EXPECT_EQ(e->i_nlink, 0);                                /* dead, but still referenced */
	EXPECT_EQ(PTR_ERR(path_lookup(e, "anything")), -ENOENT);
	EXPECT_EQ(do_mkdirat(e, "new", 0755), -ENOENT);          /* nothing grows in a dead dir */
	EXPECT_EQ(do_rmdir(NULL, "/tmp/d"), 0);
	EXPECT_EQ(tmp->i_nlink, nlink);
	iput(e);
	iput(d);
	iput(tmp);
}

KTEST(ramfs_relative_to_cwd)
{
	struct inode *saved = current->cwd;
	struct inode *tmp = path_lookup(NULL, "/tmp");
	struct file *f;

	ASSERT_FALSE(IS_ERR(tmp));
	current->cwd = tmp;                 /* borrow the reference for a moment */
	f = filp_open("rel", O_CREAT | O_RDWR, 0600);
	current->cwd = saved;
	ASSERT_FALSE(IS_ERR(f));
	fput(f);
	f = filp_open("/tmp/rel", O_RDONLY, 0);
	ASSERT_FALSE(IS_ERR(f));
	EXPECT_EQ(f->f_inode->i_mode, S_IFREG | 0600);
	fput(f);
	EXPECT_EQ(do_unlinkat(tmp, "rel"), 0);
	iput(tmp);
}

KTEST(ramfs_unlinked_file_lives_while_open)
{
	struct file *f = make_file(test, "/tmp/ghost", 5000);
	unsigned long free_open = nr_free_pages();
	char buf[4];
	loff_t pos = 4096;

	ASSERT_EQ(do_unlinkat(NULL, "/tmp/ghost"), 0);
	EXPECT_EQ(f->f_inode->i_nlink, 0);
	EXPECT_EQ(PTR_ERR(path_lookup(NULL, "/tmp/ghost")), -ENOENT);
	EXPECT_EQ(kernel_read(f, buf, 4, &pos), 4);             /* still readable */
	EXPECT_EQ((u8)buf[0], pattern(4096));
	EXPECT_EQ(nr_free_pages(), free_open);                   /* nothing freed yet */
	fput(f);                                                 /* the last reference */
	EXPECT_GE(nr_free_pages(), free_open + 2);               /* its two pages are back */
}

KTEST(ramfs_truncate_frees_and_zeroes)
{
	struct file *f = make_file(test, "/tmp/tr", 5 * PAGE_SIZE);
	struct inode *inode = f->f_inode;
	unsigned long free0 = nr_free_pages();
	u8 buf[16];
	loff_t pos;

	EXPECT_EQ(inode->i_data.nrpages, 5);
	ASSERT_EQ(vfs_truncate(inode, PAGE_SIZE + 1), 0);
	EXPECT_EQ(inode->i_size, PAGE_SIZE + 1);
	EXPECT_EQ(inode->i_data.nrpages, 2);
	EXPECT_EQ(nr_free_pages(), free0 + 3);
	/* Growing again shows zeroes past the old end, not the old bytes. */
	ASSERT_EQ(vfs_truncate(inode, 3 * PAGE_SIZE), 0);
	EXPECT_EQ(inode->i_data.nrpages, 2);                     /* growing allocates nothing */
	pos = PAGE_SIZE - 1;
	EXPECT_EQ(kernel_read(f, buf, 3, &pos), 3);
	EXPECT_EQ(buf[0], pattern(PAGE_SIZE - 1));
	EXPECT_EQ(buf[1], pattern(PAGE_SIZE));                   /* the kept byte */
	EXPECT_EQ(buf[2], 0);                                    /* zeroed by the truncate */
	pos = 2 * PAGE_SIZE + 5;
	EXPECT_EQ(kernel_read(f, buf, 4, &pos), 4);              /* a hole */
	EXPECT_EQ(buf[0] | buf[1] | buf[2] | buf[3], 0);
	ASSERT_EQ(vfs_truncate(inode, 0), 0);
	EXPECT_EQ(inode->i_data.nrpages, 0);
	EXPECT_EQ(vfs_truncate(inode, -1), -EINVAL);
	fput(f);
	/* O_TRUNC at open empties it too. */
	f = make_file(test, "/tmp/tr2", 100);
	fput(f);
	f = filp_open("/tmp/tr2", O_WRONLY | O_TRUNC, 0);
	ASSERT_FALSE(IS_ERR(f));
	EXPECT_EQ(f->f_inode->i_size, 0);
	EXPECT_EQ(f->f_inode->i_data.nrpages, 0);
	fput(f);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/tr"), 0);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/tr2"), 0);
}

KTEST(ramfs_write_past_end_leaves_hole)
{
	struct file *f = make_file(test, "/tmp/hole", 0);
	loff_t pos = 3 * PAGE_SIZE + 5;
	u8 buf[8];

	EXPECT_EQ(kernel_write(f, "x", 1, &pos), 1);
	EXPECT_EQ(f->f_inode->i_size, 3 * PAGE_SIZE + 6);
	EXPECT_EQ(f->f_inode->i_data.nrpages, 1);                /* only the page written */
	pos = 100;
	memset(buf, 0xff, sizeof(buf));
	EXPECT_EQ(kernel_read(f, buf, 8, &pos), 8);
	EXPECT_EQ(buf[0] | buf[7], 0);
	pos = 3 * PAGE_SIZE + 5;
	EXPECT_EQ(kernel_read(f, buf, 8, &pos), 1);
	EXPECT_EQ(buf[0], 'x');
	fput(f);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/hole"), 0);
}

KTEST(ramfs_append_writes_at_end)
{
	struct file *f = make_file(test, "/tmp/app", 10), *a;
	loff_t pos = 0;

	fput(f);
	a = filp_open("/tmp/app", O_WRONLY | O_APPEND, 0);
	ASSERT_FALSE(IS_ERR(a));
	EXPECT_EQ(kernel_write(a, "tail", 4, &pos), 4);          /* pos 0 ignored */
	EXPECT_EQ(pos, 14);
	EXPECT_EQ(a->f_inode->i_size, 14);
	fput(a);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/app"), 0);
}

/* A dir_context that records names into a string, at most @max entries per call. */
struct names_ctx {
	struct dir_context ctx;
	char names[128];
	int max, n;
};

static bool collect(struct dir_context *ctx, const char *name, int len, loff_t next,
		    u64 ino, unsigned int type)
{
	struct names_ctx *c = container_of(ctx, struct names_ctx, ctx);
	size_t at = strlen(c->names);

	if (c->n == c->max)
		return false;
	c->n++;
	memcpy(c->names + at, name, len);
	strlcpy(c->names + at + len, type == DT_DIR ? "/ " : " ", sizeof(c->names) - at - len);
	return true;
}

KTEST(ramfs_getdents_order_and_resume)
{
	struct names_ctx c = { .ctx.actor = collect, .max = 3 };
	struct file *d, *f;

	ASSERT_EQ(do_mkdirat(NULL, "/tmp/ls", 0755), 0);
	f = make_file(test, "/tmp/ls/a", 0);
	fput(f);
	f = make_file(test, "/tmp/ls/b", 0);
	fput(f);
	ASSERT_EQ(do_mkdirat(NULL, "/tmp/ls/c", 0755), 0);
	d = filp_open("/tmp/ls", O_RDONLY | O_DIRECTORY, 0);
	ASSERT_FALSE(IS_ERR(d));

	EXPECT_EQ(iterate_dir(d, &c.ctx), 0);
	EXPECT_STREQ(c.names, "./ ../ a ");                      /* stopped after 3 */
	/* b goes away between two calls: the walk goes on with c, skipping nothing else. */
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/ls/b"), 0);
	c.names[0] = '\0';
	c.n = 0;
	EXPECT_EQ(iterate_dir(d, &c.ctx), 0);
	EXPECT_STREQ(c.names, "c/ ");
	c.names[0] = '\0';
	c.n = 0;
	EXPECT_EQ(iterate_dir(d, &c.ctx), 0);                    /* at the end */
	EXPECT_STREQ(c.names, "");
	fput(d);

	f = filp_open("/tmp/ls/a", O_RDONLY, 0);
	ASSERT_FALSE(IS_ERR(f));
	EXPECT_EQ(iterate_dir(f, &c.ctx), -ENOTDIR);
	fput(f);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/ls/a"), 0);
	EXPECT_EQ(do_rmdir(NULL, "/tmp/ls/c"), 0);
	EXPECT_EQ(do_rmdir(NULL, "/tmp/ls"), 0);
}

KTEST(ramfs_stat_fields)
{
	struct file *f = make_file(test, "/tmp/st", 5000);
	struct inode *dev = path_lookup(NULL, "/dev/console");
	struct stat st;

	vfs_getattr(f->f_inode, &st);
	EXPECT_EQ(st.st_mode, S_IFREG | 0644);
	EXPECT_EQ(st.st_size, 5000);
	EXPECT_EQ(st.st_nlink, 1);
	EXPECT_EQ(st.st_blocks, 16);     /* two 4 KiB pages in 512-byte units */
	EXPECT_EQ(st.st_blksize, 4096);
	EXPECT_EQ(st.st_ino, f->f_inode->i_ino);
	EXPECT_EQ(sizeof(struct stat), 144);
	ASSERT_FALSE(IS_ERR(dev));
	vfs_getattr(dev, &st);
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(st.st_rdev, 0x501);    /* major 5, minor 1 */
	iput(dev);
	fput(f);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/st"), 0);
}

KTEST(ramfs_tmp_and_console_exist)
{
	struct inode *tmp = path_lookup(NULL, "/tmp/");
	struct file *con = console_open(O_RDWR);
	static char longname[5 + NAME_MAX + 2];

	ASSERT_FALSE(IS_ERR(tmp));
	EXPECT_EQ(tmp->i_mode, S_IFDIR | 01777);
	iput(tmp);
	ASSERT_FALSE(IS_ERR(con));
	EXPECT_PTR_EQ(con->f_op, &console_fops);
	fput(con);
	memset(longname, 'a', sizeof(longname) - 1);            /* a 256-byte component */
	longname[sizeof(longname) - 1] = '\0';
	memcpy(longname, "/tmp/", 5);
	EXPECT_EQ(PTR_ERR(path_lookup(NULL, longname)), -ENAMETOOLONG);
	EXPECT_EQ(PTR_ERR(filp_open(longname, O_CREAT | O_RDWR, 0600)), -ENAMETOOLONG);
}

/* ---- the page cache ---- */

KTEST(filemap_find_get_page)
{
	struct file *f = make_file(test, "/tmp/pc", 2 * PAGE_SIZE);
	struct address_space *mapping = f->f_mapping;
	struct page *p1 = find_get_page(mapping, 1);

	ASSERT_NOT_NULL(p1);
	EXPECT_PTR_EQ(p1->mapping, mapping);
	EXPECT_EQ(p1->index, 1);
	EXPECT_TRUE(PageDirty(p1));                 /* written, never "stored" */
	EXPECT_EQ(page_ref_count(p1), 2);           /* the cache's and ours */
	EXPECT_EQ(((u8 *)page_address(p1))[5], pattern(PAGE_SIZE + 5));
	EXPECT_NULL(find_get_page(mapping, 2));
	/* A store into the page is what read() sees: one copy of the data. */
	((u8 *)page_address(p1))[0] = 0xAB;
	{
		u8 c;
		loff_t pos = PAGE_SIZE;

		EXPECT_EQ(kernel_read(f, &c, 1, &pos), 1);
		EXPECT_EQ(c, 0xAB);
	}
	put_page(p1);
	fput(f);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/pc"), 0);
}

KTEST(filemap_fault_cached_hole_and_sigbus)
{
	struct file *f = make_file(test, "/tmp/flt", 100);
	struct vm_area_struct vma = { .vm_file = f, .vm_flags = VM_READ | VM_MAYREAD };
	struct vm_fault vmf = { .vma = &vma };
	struct page *cached = find_get_page(f->f_mapping, 0);
	loff_t pos = 2 * PAGE_SIZE + 10;

	ASSERT_NOT_NULL(cached);
	ASSERT_EQ(generic_file_mmap(f, &vma), 0);
	ASSERT_NOT_NULL(vma.vm_ops);
	EXPECT_PTR_EQ(vma.vm_ops->fault, filemap_fault);

	vmf.pgoff = 0;                                  /* a cached page: that very page */
	EXPECT_EQ(vma.vm_ops->fault(&vmf), 0);
	EXPECT_PTR_EQ(vmf.page, cached);
	EXPECT_EQ(page_ref_count(cached), 3);           /* cache, find_get_page, fault */
	put_page(vmf.page);
	put_page(cached);

	vmf.pgoff = 1;                                  /* past EOF (size 100) */
	EXPECT_EQ(filemap_fault(&vmf), VM_FAULT_SIGBUS);

	EXPECT_EQ(kernel_write(f, "z", 1, &pos), 1);    /* size now 3 pages; page 1 a hole */
	EXPECT_EQ(f->f_mapping->nrpages, 2);
	vmf.page = NULL;
	vmf.pgoff = 1;
	EXPECT_EQ(filemap_fault(&vmf), 0);              /* a zeroed page joins the cache */
	ASSERT_NOT_NULL(vmf.page);
	EXPECT_EQ(f->f_mapping->nrpages, 3);
	EXPECT_EQ(vmf.page->index, 1);
	EXPECT_EQ(((u8 *)page_address(vmf.page))[0] | ((u8 *)page_address(vmf.page))[4095], 0);
	EXPECT_PTR_EQ(find_get_page(f->f_mapping, 1), vmf.page);
	put_page(vmf.page);                             /* that find_get_page's */
	put_page(vmf.page);                             /* the fault's */
	vmf.pgoff = 3;
	EXPECT_EQ(filemap_fault(&vmf), VM_FAULT_SIGBUS);
	fput(f);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/flt"), 0);
}

KTEST(filemap_mmap_needs_matching_open_mode)
{
	struct file *f = make_file(test, "/tmp/mm", 10), *ro;
	struct vm_area_struct vma = { .vm_flags = VM_READ | VM_WRITE | VM_SHARED };

	fput(f);
	ro = filp_open("/tmp/mm", O_RDONLY, 0);
	ASSERT_FALSE(IS_ERR(ro));
	vma.vm_file = ro;
	EXPECT_EQ(generic_file_mmap(ro, &vma), -EACCES);  /* shared + writable needs FMODE_WRITE */
	vma.vm_flags = VM_READ | VM_WRITE | VM_MAYWRITE;  /* private: copy-on-write is fine */
	EXPECT_EQ(generic_file_mmap(ro, &vma), 0);
	fput(ro);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/mm"), 0);
}

static struct ktest_case ramfs_cases[] = {
	KTEST_CASE(ramfs_write_then_read_back),
	KTEST_CASE(ramfs_open_errors),
	KTEST_CASE(ramfs_dirs_dot_and_dotdot),
	KTEST_CASE(ramfs_relative_to_cwd),
	KTEST_CASE(ramfs_unlinked_file_lives_while_open),
	KTEST_CASE(ramfs_truncate_frees_and_zeroes),
	KTEST_CASE(ramfs_write_past_end_leaves_hole),
	KTEST_CASE(ramfs_append_writes_at_end),
	KTEST_CASE(ramfs_getdents_order_and_resume),
	KTEST_CASE(ramfs_stat_fields),
	KTEST_CASE(ramfs_tmp_and_console_exist),
	KTEST_CASE(filemap_find_get_page),
	KTEST_CASE(filemap_fault_cached_hole_and_sigbus),
	KTEST_CASE(filemap_mmap_needs_matching_open_mode),
	{}
};

static struct ktest_suite ramfs_suite = {
	.name = "ramfs",
	.cases = ramfs_cases,
	.init = ramfs_suite_init,
};
ktest_register_suite(ramfs_suite);
