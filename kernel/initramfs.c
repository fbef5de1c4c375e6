/*
 * kernel/initramfs.c - fill the RAM file system from a cpio archive at
 * boot (Linux init/initramfs.c, without compression or hard links).
 *
 * The archive is the "newc" format that `find . | cpio -o -H newc` writes:
 * a sequence of entries, each
 *
 *   +--------------------------------------------------------------+
 *   | "070701" | 13 fields of 8 hex digits: ino mode uid gid nlink   |  110 bytes
 *   |          | mtime filesize devmajor devminor rdevmajor          |
 *   |          | rdevminor namesize check                            |
 *   +--------------------------------------------------------------+
 *   | name, namesize bytes with its NUL, then zeroes up to 4-aligned |
 *   | data, filesize bytes, then zeroes up to 4-aligned              |
 *   +--------------------------------------------------------------+
 *
 * ending with an entry named "TRAILER!!!". Directories are made, regular
 * files written through the ordinary VFS calls (so their data lands in the
 * page cache like any write()), everything else (symbolic links, device
 * nodes) is skipped with a note. The padding counts from the start of
 * the archive.
 */
#include "kernel/fs.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/slab.h"

#define CPIO_HDR_LEN 110

struct cpio_entry {
	unsigned long mode, filesize, namesize;
	const char *name;
	const char *data;
};

/* hex8 - the 8 hex digits at @s; false if one is not a hex digit. */
static bool hex8(const char *s, unsigned long *val)
{
	unsigned long v = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = (v << 4) | d;
	}
	*val = v;
	return true;
}

/*
 * parse_entry - decode the entry at offset *@off of @buf (@size bytes) into
 * @e and move *@off past it. Returns 0, or -EINVAL for a damaged or
 * truncated archive (bad magic, bad digits, name or data past the end).
 */
static int parse_entry(const char *buf, size_t size, size_t *off, struct cpio_entry *e)
{
	const char *h = buf + *off;
	unsigned long f[13];
	size_t p = *off;

	if (size - p < CPIO_HDR_LEN)
		return -EINVAL;
	if (memcmp(h, "070701", 6) != 0 && memcmp(h, "070702", 6) != 0)
		return -EINVAL;
	for (int i = 0; i < 13; i++)
		if (!hex8(h + 6 + 8 * i, &f[i]))
			return -EINVAL;
	e->mode = f[1];
	e->filesize = f[6];
	e->namesize = f[11];
	p += CPIO_HDR_LEN;
	if (e->namesize == 0 || e->namesize > PATH_MAX || size - p < e->namesize)
		return -EINVAL;
	e->name = buf + p;
	if (e->name[e->namesize - 1] != '\0')
		return -EINVAL;
	p = ALIGN_UP(p + e->namesize, 4);
	if (p > size || size - p < e->filesize)
		return -EINVAL;
	e->data = buf + p;
	p = ALIGN_UP(p + e->filesize, 4);
	*off = p > size ? size : p;
	return 0;
}

/* write_file - the regular file @name with the entry's data. 0 or -errno. */
static int write_file(struct inode *base, const char *name, const struct cpio_entry *e)
{
	struct file *f = file_open_at(base, name, O_WRONLY | O_CREAT | O_TRUNC,
				      e->mode & 07777);
	loff_t pos = 0;
	ssize_t n = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	if (e->filesize)
		n = kernel_write(f, e->data, e->filesize, &pos);
	fput(f);
	if (n < 0)
		return (int)n;
	return (unsigned long)n == e->filesize ? 0 : -ENOSPC;
}

/*
 * initramfs_unpack_at - unpack the newc archive @data (@size bytes) with
 * its names relative to directory @base (NULL: the root; a leading "/" or
 * "./" is ignored). Existing directories are reused, existing files
 * overwritten. Returns 0, or the first -errno (what was unpacked before
 * it stays): -EINVAL for a damaged archive.
 */
int initramfs_unpack_at(struct inode *base, const void *data, size_t size)
{
	const char *buf = data;
	size_t off = 0;

	if (!base)
		base = ramfs_root();
	for (;;) {
		struct cpio_entry e;
		const char *name;
		int err = parse_entry(buf, size, &off, &e);

		if (err) {
			printk("initramfs: damaged archive at offset %zu\n", off);
			return err;
		}
		if (strcmp(e.name, "TRAILER!!!") == 0)
			return 0;
		name = e.name;
		while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
			name += name[0] == '/' ? 1 : 2;
		if (name[0] == '\0' || strcmp(name, ".") == 0)
			continue;   /* the archive's own top directory */

		if (S_ISDIR(e.mode)) {
			err = do_mkdirat(base, name, e.mode & 07777);
			if (err == -EEXIST)
				err = 0;
		} else if (S_ISREG(e.mode)) {
			err = write_file(base, name, &e);
		} else {
			printk("initramfs: %s: skipped (mode %lo: only directories and files)\n",
			       name, e.mode);
			continue;
		}
		if (err) {
			printk("initramfs: %s: error %d\n", name, err);
			return err;
		}
	}
}

int initramfs_unpack(const void *data, size_t size)
{
	return initramfs_unpack_at(NULL, data, size);
}
