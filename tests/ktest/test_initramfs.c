/*
 * tests/ktest/test_initramfs.c - unpacking cpio "newc" archives: one made
 * by GNU cpio on a real system (kept below as a C string), one built by
 * the test, and damaged ones. Each is unpacked under a fresh directory in
 * /tmp, read back through the VFS, and removed again.
 */
#include "tests/ktest/ktest.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/slab.h"

/*
 * `find . | cpio -o -H newc` of: dir/ (0755), dir/hello.txt (0640,
 * "Hello, initramfs!\n"), empty (0600), link -> dir/hello.txt (a symbolic
 * link, which the unpacker skips). One entry per line.
 */
static const char host_cpio[] =
	"07070100A72048000041ED0000000000000000000000036B027CE000000000000000FE0000000000000000000000000000000200000000.\0"
	"07070100A72049000041ED0000000000000000000000026B027CE000000000000000FE0000000000000000000000000000000400000000dir\0" "\0" "\0"
	"07070100A7204A000081A00000000000000000000000016B027CE000000012000000FE0000000000000000000000000000000E00000000dir/hello.txt\0" "Hello, initramfs!\n\0" "\0"
	"07070100A7204B000081800000000000000000000000016B027CE000000000000000FE0000000000000000000000000000000600000000empty\0"
	"07070100A7204C0000A1FF0000000000000000000000016B027CE00000000D000000FE0000000000000000000000000000000500000000link\0" "\0" "dir/hello.txt\0" "\0" "\0"
	"07070100000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000B00000000TRAILER!!!\0" "\0" "\0" "\0";

static int initramfs_suite_init(void)
{
	if (!ramfs_root())
		vfs_init();
	return 0;
}

/* read_all - the whole file at @path into @buf (NUL-terminated); its length or -errno. */
static long read_all(const char *path, char *buf, size_t size)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	loff_t pos = 0;
	long n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, size - 1, &pos);
	fput(f);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static umode_t mode_of(const char *path)
{
	struct inode *inode = path_lookup(NULL, path);
	umode_t mode;

	if (IS_ERR(inode))
		return 0;
	mode = inode->i_mode;
	iput(inode);
	return mode;
}

KTEST(initramfs_unpacks_gnu_cpio_archive)
{
	struct inode *base;
	char buf[64];

	ASSERT_EQ(do_mkdirat(NULL, "/tmp/ird", 0755), 0);
	base = path_lookup(NULL, "/tmp/ird");
	ASSERT_FALSE(IS_ERR(base));
	/* ".", the symbolic link: skipped. dir, dir/hello.txt, empty: made. */
	EXPECT_EQ(initramfs_unpack_at(base, host_cpio, sizeof(host_cpio) - 1), 0);
	EXPECT_EQ(mode_of("/tmp/ird/dir"), S_IFDIR | 0755);
	EXPECT_EQ(mode_of("/tmp/ird/dir/hello.txt"), S_IFREG | 0640);
	EXPECT_EQ(mode_of("/tmp/ird/empty"), S_IFREG | 0600);
	EXPECT_EQ(mode_of("/tmp/ird/link"), 0);
	EXPECT_EQ(read_all("/tmp/ird/dir/hello.txt", buf, sizeof(buf)), 18);
	EXPECT_STREQ(buf, "Hello, initramfs!\n");
	EXPECT_EQ(read_all("/tmp/ird/empty", buf, sizeof(buf)), 0);
	/* Again over the top: directories reused, files rewritten, nothing doubled. */
	EXPECT_EQ(initramfs_unpack_at(base, host_cpio, sizeof(host_cpio) - 1), 0);
	EXPECT_EQ(read_all("/tmp/ird/dir/hello.txt", buf, sizeof(buf)), 18);
	iput(base);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/ird/dir/hello.txt"), 0);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/ird/empty"), 0);
	EXPECT_EQ(do_rmdir(NULL, "/tmp/ird/dir"), 0);
	EXPECT_EQ(do_rmdir(NULL, "/tmp/ird"), 0);
}

/* struct cpio_builder - writes newc entries into a buffer, as cpio would. */
struct cpio_builder {
	char *buf;
	size_t len, size;
};

static void cpio_add(struct cpio_builder *b, const char *name, unsigned int mode,
		     const void *data, size_t n)
{
	size_t namesize = strlen(name) + 1;

	b->len += snprintf(b->buf + b->len, b->size - b->len,
			   "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x",
			   1, mode, 0, 0, 1, 0, n, 0, 0, 0, 0, namesize, 0);
	memcpy(b->buf + b->len, name, namesize);
	b->len = ALIGN_UP(b->len + namesize, 4);
	memcpy(b->buf + b->len, data, n);
	b->len = ALIGN_UP(b->len + n, 4);
}

KTEST(initramfs_unpacks_built_archive_to_root_paths)
{
	struct cpio_builder b = { .size = 16384 };
	char *data = kmalloc(5000, GFP_KERNEL), *back = kmalloc(6000, GFP_KERNEL);

	ASSERT_NOT_NULL(data);
	ASSERT_NOT_NULL(back);
	b.buf = kzalloc(b.size, GFP_KERNEL);
	ASSERT_NOT_NULL(b.buf);
	for (int i = 0; i < 5000; i++)
		data[i] = (char)('a' + i % 26);
	/* Absolute and "./" names are taken from the root (initramfs_unpack). */
	cpio_add(&b, "./tmp/irb", S_IFDIR | 0700, NULL, 0);
	cpio_add(&b, "/tmp/irb/big", S_IFREG | 0755, data, 5000);   /* spans two pages */
	cpio_add(&b, "tmp/irb/dev", S_IFCHR | 0600, NULL, 0);       /* skipped */
	cpio_add(&b, "TRAILER!!!", 0, NULL, 0);
	EXPECT_EQ(initramfs_unpack(b.buf, b.len), 0);
	EXPECT_EQ(mode_of("/tmp/irb"), S_IFDIR | 0700);
	EXPECT_EQ(read_all("/tmp/irb/big", back, 6000), 5000);
	EXPECT_EQ(memcmp(back, data, 5000), 0);
	EXPECT_EQ(mode_of("/tmp/irb/dev"), 0);
	EXPECT_EQ(do_unlinkat(NULL, "/tmp/irb/big"), 0);
	EXPECT_EQ(do_rmdir(NULL, "/tmp/irb"), 0);
	kfree(b.buf);
	kfree(data);
	kfree(back);
}

KTEST(initramfs_rejects_damaged_archives)
{
	char *bad = kmalloc(sizeof(host_cpio), GFP_KERNEL);
	struct inode *base;

	ASSERT_NOT_NULL(bad);
	ASSERT_EQ(do_mkdirat(NULL, "/tmp/irx", 0755), 0);
	base = path_lookup(NULL, "/tmp/irx");
	ASSERT_FALSE(IS_ERR(base));
	memcpy(bad, host_cpio, sizeof(host_cpio));
	bad[3] = '9';                                            /* bad magic */
	EXPECT_EQ(initramfs_unpack_at(base, bad, sizeof(host_cpio) - 1), -EINVAL);
	memcpy(bad, host_cpio, sizeof(host_cpio));
	bad[20] = 'g';                                           /* not a hex digit */
	EXPECT_EQ(initramfs_unpack_at(base, bad, sizeof(host_cpio) - 1), -EINVAL);
	/* Cut inside hello.txt's data: what came before stays, then an error. */
	EXPECT_EQ(initramfs_unpack_at(base, host_cpio, 360), -EINVAL);
	EXPECT_EQ(mode_of("/tmp/irx/dir"), S_IFDIR | 0755);
	/* No trailer: running off the end is an error too. */
	EXPECT_EQ(initramfs_unpack_at(base, host_cpio, 120), -EINVAL);
	iput(base);
	EXPECT_EQ(do_rmdir(NULL, "/tmp/irx/dir"), 0);
	EXPECT_EQ(do_rmdir(NULL, "/tmp/irx"), 0);
	kfree(bad);
}

static struct ktest_case initramfs_cases[] = {
	KTEST_CASE(initramfs_unpacks_gnu_cpio_archive),
	KTEST_CASE(initramfs_unpacks_built_archive_to_root_paths),
	KTEST_CASE(initramfs_rejects_damaged_archives),
	{}
};

static struct ktest_suite initramfs_suite = {
	.name = "initramfs",
	.cases = initramfs_cases,
	.init = initramfs_suite_init,
};
ktest_register_suite(initramfs_suite);
