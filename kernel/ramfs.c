/*
 * kernel/ramfs.c - the RAM file system: inodes, directories, and the
 * methods of regular files (Linux fs/ramfs/, fs/inode.c, fs/libfs.c).
 *
 * There is no disk. A directory is a list of entries (name -> inode); a
 * regular file's bytes live only in its page cache (kernel/filemap.c), so
 * the "file" and "its cached pages" are the same thing, and mmap() maps the
 * very pages read() copies from.
 *
 *     /  (root, i_parent = itself)
 *     ├── dev/            struct ramfs_dirent { name, inode } in i_children
 *     │   └── console     S_IFCHR, i_fop = console_fops
 *     └── tmp/  ...       regular file: i_data.i_pages = its page-cache pages
 *
 * Lifetime of an inode: i_count counts references - each directory entry
 * naming it, each open file, each walk in progress, a child directory's
 * i_parent, a process's cwd. iput() of the last one frees the inode and its
 * pages. So an unlinked file stays readable through the fds still open on
 * it, and disappears with the last close - Linux's rule.
 *
 * Locking: a directory's i_rwsem protects its entry list and the i_nlink of
 * the inodes it names; a regular file's i_rwsem serialises writes and
 * truncation (reads take no lock: kernel/filemap.c says why). Order when
 * two are held: parent directory before child (rmdir).
 */
#include "kernel/fs.h"
#include "arch/x86_64/time.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/slab.h"

/* One name in a directory. */
struct ramfs_dirent {
	struct list_head d_list;   /* in dir->i_children, in creation order (dir->i_rwsem) */
	struct inode *d_inode;     /* holds one reference */
	loff_t d_pos;              /* getdents cookie: 2, 3, ... increasing along the list */
	int d_namelen;
	char d_name[];             /* NUL-terminated */
};

static struct inode *root_inode;
static unsigned long last_ino = 1;   /* the root is 2, as on most Linux file systems */

static const struct file_operations ramfs_file_ops;
static const struct file_operations ramfs_dir_ops;
static const struct inode_operations ramfs_dir_inode_ops;

struct inode *ramfs_root(void)
{
	return root_inode;
}

void iget(struct inode *inode)
{
	__atomic_add_fetch(&inode->i_count, 1, __ATOMIC_RELAXED);
}

static void inode_touch(struct inode *inode)
{
	inode->i_mtime = ktime_get_ns();
}

/* chrdev_fops - the driver of character device @rdev, or NULL (open: -ENXIO). */
static const struct file_operations *chrdev_fops(unsigned int rdev)
{
	if (rdev == MKDEV(5, 1))
		return &console_fops;
	return NULL;
}

/*
 * ramfs_get_inode - a new inode of type and permissions @mode (device
 * number @rdev for S_IFCHR), with i_count 1 (the caller's) and no name
 * (i_nlink 0). Its methods follow from the type. NULL on ENOMEM.
 */
struct inode *ramfs_get_inode(umode_t mode, unsigned int rdev)
{
	struct inode *inode = kzalloc(sizeof(*inode), GFP_KERNEL);

	if (!inode)
		return NULL;
	inode->i_mode = mode;
	inode->i_ino = __atomic_add_fetch(&last_ino, 1, __ATOMIC_RELAXED);
	inode->i_count = 1;
	init_rwsem(&inode->i_rwsem);
	inode->i_data.host = inode;
	spin_lock_init(&inode->i_data.lock, "i_data");
	xa_init(&inode->i_data.i_pages);
	INIT_LIST_HEAD(&inode->i_children);
	inode->i_rdev = rdev;
	if (S_ISREG(mode)) {
		inode->i_fop = &ramfs_file_ops;
	} else if (S_ISDIR(mode)) {
		inode->i_op = &ramfs_dir_inode_ops;
		inode->i_fop = &ramfs_dir_ops;
	} else if (S_ISCHR(mode)) {
		inode->i_fop = chrdev_fops(rdev);
	}
	inode_touch(inode);
	return inode;
}

/*
 * iput - drop a reference to @inode. The last one evicts it: a regular
 * file's pages leave the page cache (a page still mapped somewhere lives on
 * until unmapped), a directory lets go of its parent. May sleep.
 */
void iput(struct inode *inode)
{
	struct inode *parent;

	if (!inode || __atomic_sub_fetch(&inode->i_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	BUG_ON(inode == root_inode || inode == anon_inode_inode);
	BUG_ON(!list_empty(&inode->i_children));  /* entries hold references */
	if (S_ISREG(inode->i_mode))
		truncate_inode_pages(&inode->i_data, 0);
	BUG_ON(inode->i_data.nrpages);
	parent = inode->i_parent;
	kfree(inode);
	if (parent)
		iput(parent);   /* depth of recursion <= depth of the tree */
}

/* find_dirent - @dir's entry called @name, or NULL. dir->i_rwsem held. */
static struct ramfs_dirent *find_dirent(struct inode *dir, const char *name, int len)
{
	struct ramfs_dirent *d;

	list_for_each_entry(d, &dir->i_children, d_list)
		if (d->d_namelen == len && memcmp(d->d_name, name, len) == 0)
			return d;
	return NULL;
}

/*
 * ramfs_lookup - the inode @dir names @name (not "." or ".."), with a new
 * reference. dir->i_rwsem held, read or write. ERR_PTR(-ENOENT) if there
 * is none or @dir was removed, -ENOTDIR if @dir is no directory.
 */
struct inode *ramfs_lookup(struct inode *dir, const char *name, int len)
{
	struct ramfs_dirent *d;

	if (!S_ISDIR(dir->i_mode))
		return ERR_PTR(-ENOTDIR);
	if (dir->i_nlink == 0)
		return ERR_PTR(-ENOENT);
	d = find_dirent(dir, name, len);
	if (!d)
		return ERR_PTR(-ENOENT);
	iget(d->d_inode);
	return d->d_inode;
}

/*
 * ramfs_link - give @inode the name @name in @dir: the entry takes a new
 * reference to @inode (the caller keeps its own). A directory also gets
 * its ".." (i_parent, a reference to @dir) and both link counts grow.
 * dir->i_rwsem held for writing. Returns 0, -EEXIST, -ENOENT (@dir was
 * removed), -ENAMETOOLONG or -ENOMEM.
 */
int ramfs_link(struct inode *dir, const char *name, int len, struct inode *inode)
{
	struct ramfs_dirent *d;
	loff_t pos = 2;

	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	if (dir->i_nlink == 0)
		return -ENOENT;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	if (find_dirent(dir, name, len))
		return -EEXIST;
	d = kmalloc(sizeof(*d) + len + 1, GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	memcpy(d->d_name, name, len);
	d->d_name[len] = '\0';
	d->d_namelen = len;
	if (!list_empty(&dir->i_children))
		pos = list_entry(dir->i_children.prev, struct ramfs_dirent, d_list)->d_pos + 1;
	d->d_pos = pos;
	iget(inode);
	d->d_inode = inode;
	list_add_tail(&d->d_list, &dir->i_children);
	inode->i_nlink++;
	if (S_ISDIR(inode->i_mode)) {
		iget(dir);
		inode->i_parent = dir;
		inode->i_nlink++;    /* its own "." */
		dir->i_nlink++;      /* its ".." */
	}
	inode_touch(dir);
	return 0;
}

/* remove_dirent - unlink @d from @dir and drop the entry's reference. dir->i_rwsem held. */
static void remove_dirent(struct inode *dir, struct ramfs_dirent *d)
{
	struct inode *inode = d->d_inode;

	list_del(&d->d_list);
	kfree(d);
	inode_touch(dir);
	iput(inode);
}

/*
 * ramfs_unlink - remove the name @name of a non-directory from @dir. The
 * inode lives on while anything else references it. dir->i_rwsem held
 * for writing. Returns 0, -ENOENT, -EISDIR.
 */
int ramfs_unlink(struct inode *dir, const char *name, int len)
{
	struct ramfs_dirent *d = find_dirent(dir, name, len);

	if (!d)
		return -ENOENT;
	if (S_ISDIR(d->d_inode->i_mode))
		return -EISDIR;
	d->d_inode->i_nlink--;
	remove_dirent(dir, d);
	return 0;
}

/*
 * ramfs_rmdir - remove the empty directory @name from @dir. It is marked
 * dead (i_nlink 0) under its own i_rwsem, so nothing can be created in it
 * afterwards even by a task whose cwd it is. dir->i_rwsem held for
 * writing (parent before child). Returns 0, -ENOENT, -ENOTDIR, -ENOTEMPTY,
 * -EBUSY (the root of another file system: /proc).
 */
int ramfs_rmdir(struct inode *dir, const char *name, int len)
{
	struct ramfs_dirent *d = find_dirent(dir, name, len);
	struct inode *child;

	if (!d)
		return -ENOENT;
	child = d->d_inode;
	if (!S_ISDIR(child->i_mode))
		return -ENOTDIR;
	if (child->i_op != &ramfs_dir_inode_ops)
		return -EBUSY;   /* /proc: another file system's root, as a mount point is in Linux */
	down_write(&child->i_rwsem);
	if (!list_empty(&child->i_children)) {
		up_write(&child->i_rwsem);
		return -ENOTEMPTY;
	}
	child->i_nlink = 0;
	up_write(&child->i_rwsem);
	dir->i_nlink--;   /* the child's ".." is gone */
	remove_dirent(dir, d);
	return 0;
}

/*
 * ramfs_name_of - copy the name under which @dir holds @child into @buf
 * (NUL-terminated). dir->i_rwsem held. Returns the length, -ENOENT if
 * @child is not in @dir, -ERANGE if @buf is too small.
 */
int ramfs_name_of(struct inode *dir, struct inode *child, char *buf, int size)
{
	struct ramfs_dirent *d;

	list_for_each_entry(d, &dir->i_children, d_list) {
		if (d->d_inode != child)
			continue;
		if (d->d_namelen + 1 > size)
			return -ERANGE;
		memcpy(buf, d->d_name, d->d_namelen + 1);
		return d->d_namelen;
	}
	return -ENOENT;
}

static unsigned int dt_type(umode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return DT_DIR;
	case S_IFREG: return DT_REG;
	case S_IFCHR: return DT_CHR;
	case S_IFIFO: return DT_FIFO;
	default:      return DT_UNKNOWN;
	}
}

/*
 * ramfs_iterate - a directory's ->iterate_shared: ".", "..", then every
 * entry whose cookie is >= ctx->pos, in creation order. ctx->pos moves
 * past each entry the actor accepts, so a later call goes on from there;
 * entries removed meanwhile cannot make it skip or repeat one (the
 * cookies never change). dir->i_rwsem held for reading (iterate_dir).
 */
static int ramfs_iterate(struct file *f, struct dir_context *ctx)
{
	struct inode *dir = f->f_inode;
	struct ramfs_dirent *d;

	if (dir->i_nlink == 0)
		return 0;          /* removed: empty, not even "." */
	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 1, dir->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!ctx->actor(ctx, "..", 2, 2, dir->i_parent ? dir->i_parent->i_ino : dir->i_ino,
				DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	list_for_each_entry(d, &dir->i_children, d_list) {
		if (d->d_pos < ctx->pos)
			continue;
		if (!ctx->actor(ctx, d->d_name, d->d_namelen, d->d_pos + 1,
				d->d_inode->i_ino, dt_type(d->d_inode->i_mode)))
			return 0;
		ctx->pos = d->d_pos + 1;
	}
	return 0;
}

/*
 * vfs_truncate - make regular file @inode @size bytes long. Shrinking
 * frees the pages wholly past the new end and zeroes the rest of the last
 * one, so that growing the file again shows zeroes, never old data.
 * Takes inode->i_rwsem. Returns 0, -EISDIR, -EINVAL.
 *
 * i_size is published before pages are dropped (shrink) and after the
 * tail is zeroed (grow): a concurrent filemap_fault(), which re-checks
 * i_size under the mapping lock before it adds a page, then never leaves a
 * page past the end in the cache.
 */
int vfs_truncate(struct inode *inode, loff_t size)
{
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode) || size < 0)
		return -EINVAL;
	down_write(&inode->i_rwsem);
	if (size < inode->i_size) {
		WRITE_ONCE(inode->i_size, size);
		truncate_inode_pages(&inode->i_data, size);
	} else {
		truncate_inode_pages(&inode->i_data, inode->i_size);
		WRITE_ONCE(inode->i_size, size);
	}
	inode_touch(inode);
	up_write(&inode->i_rwsem);
	return 0;
}

/* vfs_getattr - stat(2)'s view of @inode. No lock: each field is one read. */
void vfs_getattr(struct inode *inode, struct stat *st)
{
	u64 t = READ_ONCE(inode->i_mtime);

	memset(st, 0, sizeof(*st));
	st->st_dev = RAMFS_DEV;
	st->st_ino = inode->i_ino;
	st->st_nlink = READ_ONCE(inode->i_nlink);
	st->st_mode = inode->i_mode;
	st->st_rdev = inode->i_rdev;
	st->st_size = S_ISDIR(inode->i_mode) ? 0 : READ_ONCE(inode->i_size);
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = READ_ONCE(inode->i_data.nrpages) * (PAGE_SIZE / 512);
	st->st_atime = st->st_mtime = st->st_ctime = t / 1000000000;
	st->st_atime_nsec = st->st_mtime_nsec = st->st_ctime_nsec = t % 1000000000;
}

static const struct file_operations ramfs_file_ops = {
	.read_iter = filemap_read,
	.write_iter = generic_perform_write,
	.llseek = generic_file_llseek,
	.mmap = generic_file_mmap,
};

static const struct file_operations ramfs_dir_ops = {
	.llseek = generic_file_llseek,
	.iterate_shared = ramfs_iterate,
};

static const struct inode_operations ramfs_dir_inode_ops = {
	.lookup = ramfs_lookup,
	.link = ramfs_link,
	.unlink = ramfs_unlink,
	.rmdir = ramfs_rmdir,
};

/*
 * vfs_init - the empty root and what every boot needs before the first
 * process: /dev/console (a character device on the serial console), /tmp
 * (world-writable, sticky), /proc (kernel/procfs.c). Panics on failure:
 * nothing can run without it.
 */
void vfs_init(void)
{
	int err;

	root_inode = ramfs_get_inode(S_IFDIR | 0755, 0);
	if (!root_inode)
		panic("vfs_init: no memory for the root directory");
	root_inode->i_parent = NULL;   /* ".." of "/" is "/" itself (namei.c) */
	root_inode->i_nlink = 2;
	anon_inode_inode = ramfs_get_inode(0600, 0);   /* no S_IFMT type, as in Linux */
	if (!anon_inode_inode)
		panic("vfs_init: no memory for the anonymous inode");
	err = do_mkdirat(root_inode, "/dev", 0755);
	if (!err)
		err = do_mknodat(root_inode, "/dev/console", S_IFCHR | 0600, MKDEV(5, 1));
	if (!err)
		err = do_mkdirat(root_inode, "/tmp", 01777);
	if (!err)
		err = proc_root_init(root_inode);
	if (err)
		panic("vfs_init: cannot make /dev/console, /tmp and /proc: %d", err);
}
