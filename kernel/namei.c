/*
 * kernel/namei.c - from a path to an inode, and the operations that take a
 * path: open (with O_CREAT), mkdir, mknod, rmdir, unlink (Linux
 * fs/namei.c, fs/open.c's do_filp_open side).
 *
 * A walk starts at the root ("/...") or at a base directory (the cwd, or
 * an openat() dirfd) and takes one component at a time:
 *
 *   "/tmp//a/../b/"   ->  root -> "tmp" -> "a" -> ".." -> "b" (must be a directory:
 *                                                          the trailing slash says so)
 *
 * It holds exactly one inode reference at each step (the directory it is
 * in) and takes that directory's i_rwsem for reading only while it looks
 * up the next name. Operations that change a directory walk to its parent
 * (path_parentat), then hold the parent's i_rwsem for writing across
 * "does the name exist? then create/remove it", so two creators of one
 * name cannot both succeed.
 *
 * Each step asks the directory's own ->lookup (struct inode_operations):
 * ramfs's for ordinary directories, procfs's under /proc. Changes go
 * through ->link, ->unlink and ->rmdir; a directory without them (procfs)
 * refuses with the errno Linux gives for a file system without them.
 *
 * There are no symbolic links, mount points or permissions (everyone is
 * root).
 */
#include "kernel/fs.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/slab.h"

/* What the last component of a path is. */
enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

/* struct nameidata - the result of path_parentat(). */
struct nameidata {
	struct inode *dir;      /* the parent directory, referenced */
	const char *last;       /* the last component (not NUL-terminated) */
	int last_len;
	int last_type;          /* LAST_* */
	bool trailing_slash;    /* "a/b/": b must be a directory */
};

struct inode *current_cwd(void)
{
	struct inode *cwd = current->cwd;

	return cwd ? cwd : ramfs_root();
}

/*
 * walk_component - step from *dirp (referenced) into its entry @name. On
 * success *dirp is the new inode (referenced) and the old reference is
 * gone; on failure *dirp is unchanged. Returns 0, -ENOTDIR (*dirp is not
 * a directory), -ENOENT, -ENAMETOOLONG.
 */
static int walk_component(struct inode **dirp, const char *name, int len)
{
	struct inode *dir = *dirp, *next;

	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	if (len == 1 && name[0] == '.')
		return 0;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		next = dir->i_parent ? dir->i_parent : dir;   /* the root is its own parent */
		iget(next);
	} else {
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		down_read(&dir->i_rwsem);
		next = dir->i_op->lookup(dir, name, len);
		up_read(&dir->i_rwsem);
		if (IS_ERR(next))
			return PTR_ERR(next);
	}
	iput(dir);
	*dirp = next;
	return 0;
}

/*
 * path_parentat - walk @path up to, not including, its last component.
 * @base (NULL: current_cwd()) is where a relative path starts. On success
 * (0) nd->dir is the parent with a reference the caller must iput(), and
 * nd->last the final name (LAST_ROOT for "/"; then nd->dir is the root).
 * Returns -ENOENT (empty path), -ENAMETOOLONG, or a walk error.
 */
static int path_parentat(struct inode *base, const char *path, struct nameidata *nd)
{
	struct inode *dir;
	const char *p = path, *end;
	size_t len = strnlen(path, PATH_MAX);
	int err;

	if (len == 0)
		return -ENOENT;
	if (len == PATH_MAX)
		return -ENAMETOOLONG;
	dir = path[0] == '/' ? ramfs_root() : base ? base : current_cwd();
	iget(dir);

	/* Strip trailing slashes: they only say "a directory". */
	end = path + len;
	nd->trailing_slash = false;
	while (end > path && end[-1] == '/') {
		end--;
		nd->trailing_slash = true;
	}
	if (end == path) {   /* "/", "//": the root itself */
		nd->dir = dir;
		nd->last = path;
		nd->last_len = 0;
		nd->last_type = LAST_ROOT;
		return 0;
	}
	for (;;) {
		const char *name, *slash;

		while (*p == '/')
			p++;
		name = p;
		slash = memchr(name, '/', end - name);
		if (!slash) {   /* the last component */
			nd->dir = dir;
			nd->last = name;
			nd->last_len = end - name;
			nd->last_type = LAST_NORM;
			if (nd->last_len == 1 && name[0] == '.')
				nd->last_type = LAST_DOT;
			else if (nd->last_len == 2 && name[0] == '.' && name[1] == '.')
				nd->last_type = LAST_DOTDOT;
			if (nd->last_len > NAME_MAX) {
				iput(dir);
				return -ENAMETOOLONG;
			}
			/* The parent must be a directory even if nothing is looked up in it. */
			if (!S_ISDIR(dir->i_mode)) {
				iput(dir);
				return -ENOTDIR;
			}
			return 0;
		}
		err = walk_component(&dir, name, slash - name);
		if (err) {
			iput(dir);
			return err;
		}
		p = slash;
	}
}

/*
 * lookup_last - the inode the last component of @nd names, with a new
 * reference; nd->dir keeps its own. ERR_PTR(-ENOENT / -ENOTDIR / ...).
 */
static struct inode *lookup_last(struct nameidata *nd)
{
	struct inode *inode = nd->dir;
	int err;

	iget(inode);
	if (nd->last_type != LAST_ROOT) {
		err = walk_component(&inode, nd->last, nd->last_len);
		if (err) {
			iput(inode);
			return ERR_PTR(err);
		}
	}
	if (nd->trailing_slash && !S_ISDIR(inode->i_mode)) {
		iput(inode);
		return ERR_PTR(-ENOTDIR);
	}
	return inode;
}

/*
 * path_lookup - the inode @path names, with a reference (iput() it), or
 * ERR_PTR(-ENOENT / -ENOTDIR / -ENAMETOOLONG). Relative paths start at
 * @cwd (NULL: current_cwd()).
 */
struct inode *path_lookup(struct inode *cwd, const char *path)
{
	struct nameidata nd;
	struct inode *inode;
	int err = path_parentat(cwd, path, &nd);

	if (err)
		return ERR_PTR(err);
	inode = lookup_last(&nd);
	iput(nd.dir);
	return inode;
}

/* prepend_path - see fs.h. Takes each parent's i_rwsem for reading, one at a time. */
char *prepend_path(struct inode *dir, char *buf, char *end)
{
	char name[NAME_MAX + 1];
	char *p = end;
	int len;

	iget(dir);
	while (dir->i_parent) {            /* up to the root, whose i_parent is NULL */
		struct inode *parent = dir->i_parent;

		len = -ENOENT;
		if (READ_ONCE(dir->i_nlink) != 0) {
			down_read(&parent->i_rwsem);
			len = ramfs_name_of(parent, dir, name, sizeof(name));
			up_read(&parent->i_rwsem);
		}
		if (len < 0 || len + 1 > p - buf) {
			iput(dir);
			return ERR_PTR(len < 0 ? -ENOENT : -ENAMETOOLONG);
		}
		p -= len;
		memcpy(p, name, len);
		*--p = '/';
		iget(parent);
		iput(dir);
		dir = parent;
	}
	iput(dir);
	return p;
}

/*
 * file_name_at - the absolute name of nd->last in nd->dir, kmalloc'd, for
 * struct file's f_path. ERR_PTR(-ENOMEM), or prepend_path()'s errors.
 */
static char *file_name_at(struct nameidata *nd)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL), *p, *name;
	size_t len;

	if (!buf)
		return ERR_PTR(-ENOMEM);
	p = buf + PATH_MAX - 1 - nd->last_len;   /* last_len <= NAME_MAX: it fits */
	memcpy(p, nd->last, nd->last_len);
	p[nd->last_len] = '\0';
	*--p = '/';
	p = prepend_path(nd->dir, buf, p);
	if (IS_ERR(p)) {
		kfree(buf);
		return p;
	}
	len = strlen(p);
	name = kmalloc(len + 1, GFP_KERNEL);
	if (name)
		memcpy(name, p, len + 1);
	kfree(buf);
	return name ? name : ERR_PTR(-ENOMEM);
}

/*
 * create_at - @nd.dir gets a new inode of @mode called nd.last; with
 * @existing non-NULL, an existing one is returned there (referenced)
 * instead of failing. Takes and drops nd->dir's i_rwsem. Returns 0 (the
 * new inode, referenced, in *@created), -EEXIST, -ENOMEM, -ENOENT.
 */
static int create_at(struct nameidata *nd, umode_t mode, unsigned int rdev,
		     struct inode **created, struct inode **existing)
{
	struct inode *dir = nd->dir, *inode;
	int err;

	*created = NULL;
	down_write(&dir->i_rwsem);
	inode = dir->i_op->lookup(dir, nd->last, nd->last_len);
	if (!IS_ERR(inode)) {
		if (existing) {
			*existing = inode;
			err = 0;
		} else {
			iput(inode);
			err = -EEXIST;
		}
		goto out_unlock;
	}
	/*
	 * No ->link: this file system makes no names (procfs). Its ->lookup
	 * has said -ENOENT, which is what Linux's procfs answers too.
	 */
	if (!dir->i_op->link) {
		err = PTR_ERR(inode);
		goto out_unlock;
	}
	/* The only file system that makes names is ramfs: a ramfs inode. */
	inode = ramfs_get_inode(mode, rdev);
	if (!inode) {
		err = -ENOMEM;
		goto out_unlock;
	}
	err = dir->i_op->link(dir, nd->last, nd->last_len, inode);
	if (err) {
		iput(inode);
		goto out_unlock;
	}
	*created = inode;
out_unlock:
	up_write(&dir->i_rwsem);
	return err;
}

/*
 * open_inode - the checks of open(2) on an inode we found or created (the
 * last component of @nd), then the struct file: its name (files that can
 * be mapped) and the file's own ->open. Consumes the caller's reference to
 * @inode in every case.
 */
static struct file *open_inode(struct nameidata *nd, struct inode *inode, int flags,
			       bool created)
{
	struct file *f;
	char *name = NULL;
	int err = 0;

	if (S_ISDIR(inode->i_mode)) {
		if ((flags & O_CREAT) || (flags & O_ACCMODE) != O_RDONLY)
			err = -EISDIR;
	} else if (flags & O_DIRECTORY) {
		err = -ENOTDIR;
	} else if (!inode->i_fop) {
		err = -ENXIO;    /* a device without a driver */
	}
	if (err)
		goto out_iput;
	if (inode->i_fop && inode->i_fop->mmap) {   /* a name for /proc/PID/maps */
		name = file_name_at(nd);
		/* A path too long to spell out is no reason to refuse the open. */
		if (IS_ERR(name) && PTR_ERR(name) == -ENAMETOOLONG)
			name = NULL;
		if (IS_ERR(name)) {
			err = PTR_ERR(name);
			goto out_iput;
		}
	}
	/* Last of the checks that can fail: nothing is truncated by a failed open. */
	if ((flags & O_TRUNC) && S_ISREG(inode->i_mode) && !created) {
		err = vfs_truncate(inode, 0);
		if (err) {
			kfree(name);
			goto out_iput;
		}
	}
	/* Like Linux, the file keeps only the flags that matter after open. */
	f = alloc_file(inode, flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC),
		       inode->i_fop);
	iput(inode);
	if (IS_ERR(f)) {
		kfree(name);
		return f;
	}
	f->f_path = name;
	if (f->f_op && f->f_op->open) {
		err = f->f_op->open(f->f_inode, f);
		if (err) {
			fput(f);
			return ERR_PTR(err);
		}
	}
	return f;
out_iput:
	iput(inode);
	return ERR_PTR(err);
}

/*
 * file_open_at - open(2) in the kernel: @path from @base (NULL: the cwd),
 * O_* @flags, @mode for a file O_CREAT makes. Returns a struct file with
 * one reference (fput() it), or ERR_PTR(-errno): -ENOENT, -EEXIST
 * (O_CREAT|O_EXCL), -EISDIR (writing or creating a directory), -ENOTDIR
 * (O_DIRECTORY, or a non-directory in the middle of the path), ...
 * O_CLOEXEC is the caller's business (the fd table's, not the file's).
 */
struct file *file_open_at(struct inode *base, const char *path, int flags, umode_t mode)
{
	struct inode *inode, *created = NULL, *existing = NULL;
	struct nameidata nd;
	struct file *f;
	int err;

	err = path_parentat(base, path, &nd);
	if (err)
		return ERR_PTR(err);
	if (!(flags & O_CREAT)) {
		inode = lookup_last(&nd);
		f = IS_ERR(inode) ? ERR_PTR(PTR_ERR(inode)) : open_inode(&nd, inode, flags, false);
		iput(nd.dir);
		return f;
	}
	if (nd.last_type != LAST_NORM || nd.trailing_slash) {
		err = -EISDIR;   /* creating "/", "." or "x/" */
		goto out_iput;
	}
	err = create_at(&nd, S_IFREG | (mode & 07777), 0, &created,
			(flags & O_EXCL) ? NULL : &existing);
	if (err)
		goto out_iput;
	f = open_inode(&nd, created ? created : existing, flags, created != NULL);
	iput(nd.dir);
	return f;
out_iput:
	iput(nd.dir);
	return ERR_PTR(err);
}

struct file *filp_open(const char *path, int flags, umode_t mode)
{
	return file_open_at(NULL, path, flags, mode);
}

/* make_node - mkdir and mknod: a new @mode inode at @path. 0, -EEXIST, ... */
static int make_node(struct inode *base, const char *path, umode_t mode, unsigned int rdev)
{
	struct inode *created;
	struct nameidata nd;
	int err = path_parentat(base, path, &nd);

	if (err)
		return err;
	if (nd.last_type != LAST_NORM)
		err = -EEXIST;   /* "/", ".", ".." exist */
	else if (nd.trailing_slash && !S_ISDIR(mode))
		err = -ENOENT;
	else
		err = create_at(&nd, mode, rdev, &created, NULL);
	if (!err)
		iput(created);   /* the name keeps it alive */
	iput(nd.dir);
	return err;
}

/* do_mkdirat - mkdir(2) in the kernel. Returns 0, -EEXIST, -ENOENT, -ENOTDIR, -ENOMEM. */
int do_mkdirat(struct inode *base, const char *path, umode_t mode)
{
	return make_node(base, path, S_IFDIR | (mode & 07777), 0);
}

/* do_mknodat - a character device node @rdev at @path. Same returns as do_mkdirat. */
int do_mknodat(struct inode *base, const char *path, umode_t mode, unsigned int rdev)
{
	if (!S_ISCHR(mode))
		return -EINVAL;
	return make_node(base, path, mode, rdev);
}

/*
 * no_delete_method - unlink or rmdir (@isdir) in @dir, whose file system
 * has no such method: Linux's may_delete() checks, then -EPERM (vfs_unlink
 * and vfs_rmdir without ->unlink / ->rmdir). dir->i_rwsem held.
 */
static int no_delete_method(struct inode *dir, struct nameidata *nd, bool isdir)
{
	struct inode *victim = dir->i_op->lookup(dir, nd->last, nd->last_len);
	int err = -EPERM;

	if (IS_ERR(victim))
		return PTR_ERR(victim);
	if (isdir && !S_ISDIR(victim->i_mode))
		err = -ENOTDIR;
	else if (!isdir && S_ISDIR(victim->i_mode))
		err = -EISDIR;
	iput(victim);
	return err;
}

/*
 * do_rmdir - rmdir(2) in the kernel. Returns 0, -ENOENT, -ENOTDIR,
 * -ENOTEMPTY, -EINVAL ("." last), -EBUSY (the root), -EPERM (in /proc).
 */
int do_rmdir(struct inode *base, const char *path)
{
	struct nameidata nd;
	int err = path_parentat(base, path, &nd);

	if (err)
		return err;
	switch (nd.last_type) {
	case LAST_DOT:    err = -EINVAL; break;
	case LAST_DOTDOT: err = -ENOTEMPTY; break;
	case LAST_ROOT:   err = -EBUSY; break;
	default:
		down_write(&nd.dir->i_rwsem);
		if (nd.dir->i_op->rmdir)
			err = nd.dir->i_op->rmdir(nd.dir, nd.last, nd.last_len);
		else
			err = no_delete_method(nd.dir, &nd, true);
		up_write(&nd.dir->i_rwsem);
	}
	iput(nd.dir);
	return err;
}

/*
 * do_unlinkat - unlink(2) in the kernel: the name goes now, the inode with
 * its last reference. Returns 0, -ENOENT, -EISDIR (a directory), -EPERM
 * (in /proc),
 * -ENOTDIR ("file/").
 */
int do_unlinkat(struct inode *base, const char *path)
{
	struct nameidata nd;
	struct inode *victim;
	int err = path_parentat(base, path, &nd);

	if (err)
		return err;
	if (nd.last_type != LAST_NORM) {
		err = -EISDIR;
		goto out_iput;
	}
	down_write(&nd.dir->i_rwsem);
	victim = nd.dir->i_op->lookup(nd.dir, nd.last, nd.last_len);
	if (IS_ERR(victim)) {
		err = PTR_ERR(victim);
	} else {
		if (S_ISDIR(victim->i_mode))
			err = -EISDIR;
		else if (nd.trailing_slash)
			err = -ENOTDIR;
		else if (!nd.dir->i_op->unlink)
			err = -EPERM;      /* Linux's vfs_unlink() without ->unlink */
		else
			err = nd.dir->i_op->unlink(nd.dir, nd.last, nd.last_len);
		iput(victim);
	}
	up_write(&nd.dir->i_rwsem);
out_iput:
	iput(nd.dir);
	return err;
}
