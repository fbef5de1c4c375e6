/*
 * kernel/fs.h - files: inodes, open files, the page cache, file descriptors
 * (Linux include/linux/fs.h, much smaller).
 *
 * There is one file system, a RAM file system (kernel/ramfs.c) unpacked
 * from the initramfs at boot. A regular file's data lives in page-cache
 * pages: struct page with ->mapping = the inode's address_space and ->index
 * = the page's offset in the file, so mmap() of a file maps those very
 * pages (MAP_SHARED writes reach the file; MAP_PRIVATE writes copy them).
 *
 * Locking order (outer first):
 *   file->f_pos_lock -> inode->i_rwsem (parent directory before child)
 *     -> mm->mmap_lock (a user copy may fault) -> mapping->lock (spinlock)
 *   files->lock (spinlock) is a leaf; the fault path never takes i_rwsem.
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include "kernel/list.h"
#include "kernel/rwsem.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"
#include "kernel/xarray.h"
#include "kernel/wait.h"

struct page;
struct vm_area_struct;
struct poll_table_struct;

typedef long long loff_t;
typedef unsigned int umode_t;

/* i_mode file types and open flags: Linux's values. */
#define S_IFMT   0170000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFREG  0100000
#define S_IFIFO  0010000
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)

#define O_ACCMODE   00000003
#define O_RDONLY    00000000
#define O_WRONLY    00000001
#define O_RDWR      00000002
#define O_CREAT     00000100
#define O_EXCL      00000200
#define O_NOCTTY    00000400
#define O_TRUNC     00001000
#define O_APPEND    00002000
#define O_NONBLOCK  00004000
#define O_DIRECTORY 00200000
#define O_CLOEXEC   02000000
#define AT_FDCWD    (-100)
#define AT_EMPTY_PATH 0x1000
#define AT_REMOVEDIR  0x200

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* The page cache of one file. */
struct address_space {
	struct inode *host;
	spinlock_t lock;
	/* -- lock -- */
	struct xarray i_pages;       /* page index -> its page (kernel/xarray.h) */
	unsigned long nrpages;
};

/*
 * What a directory does with names (Linux's inode_operations, directory
 * part). Each is called with the directory's i_rwsem held (lookup: read or
 * write; the others: write). A NULL method means the file system does not
 * do that, and namei answers with Linux's errno (see kernel/namei.c).
 */
struct inode_operations {
	/* lookup - the inode @dir calls @name, with a new reference; ERR_PTR(-ENOENT) if none. */
	struct inode *(*lookup)(struct inode *dir, const char *name, int len);
	/* link - @dir now calls @inode @name (the entry takes a reference). 0 or -errno. */
	int (*link)(struct inode *dir, const char *name, int len, struct inode *inode);
	/* unlink / rmdir - remove the name @name of a non-directory / an empty directory. */
	int (*unlink)(struct inode *dir, const char *name, int len);
	int (*rmdir)(struct inode *dir, const char *name, int len);
};

struct inode {
	/* -- fixed at creation -- */
	umode_t i_mode;
	unsigned long i_ino;
	unsigned int i_rdev;         /* character devices: MKDEV(major, minor) */
	const struct inode_operations *i_op;   /* directories: never NULL */
	const struct file_operations *i_fop;
	void *i_private;             /* pipes: the pipe; devices: their state; /proc: what it shows */
	struct inode *i_parent;      /* directories: "..", a reference (NULL: the root);
	                              * set once, when the directory gets its name.
	                              * /proc files: their directory, a reference */

	int i_count;                 /* references: names, open files, walks, cwds (atomic) */
	int i_nlink;                 /* names (+1 for a directory's "."): under the
	                              * i_rwsem of the directory that changes it */

	struct rw_semaphore i_rwsem; /* serialises writes, truncate, directory changes */
	/* -- i_rwsem (written under it; i_size also read without it: READ_ONCE) -- */
	loff_t i_size;
	struct list_head i_children; /* directories: their entries (struct ramfs_dirent) */
	u64 i_mtime;                 /* last change, ns since boot */
	struct address_space i_data; /* regular files: the page cache (its own lock) */
};

#define MKDEV(ma, mi) (((unsigned int)(ma) << 8) | (unsigned int)(mi))
#define MAJOR(dev) ((unsigned int)(dev) >> 8)
#define MINOR(dev) ((unsigned int)(dev) & 0xff)
/* The st_dev of every file: there is one file system, like a Linux tmpfs (0:1). */
#define RAMFS_DEV MKDEV(0, 1)
#define NAME_MAX 255                 /* bytes in one path component */
#define PATH_MAX 4096                /* bytes in a path, with the NUL */

struct file {
	int f_count;                 /* references: fd slots, in-kernel users (atomic) */
	unsigned int f_flags;        /* O_* given to open() (and fcntl) */
	unsigned int f_mode;         /* FMODE_READ | FMODE_WRITE */
	struct mutex f_pos_lock;
	loff_t f_pos;                /* under f_pos_lock */
	struct inode *f_inode;
	struct address_space *f_mapping;
	const struct file_operations *f_op;
	void *private_data;          /* pipes, userfaultfd, /proc text, ... */
	char *f_path;                /* files that can be mmap()ed: the absolute name they
	                              * were opened by (kmalloc'd; /proc/PID/maps shows
	                              * it), else NULL. Linux keeps a struct path and
	                              * asks d_path() */
};

#define FMODE_READ  0x1
#define FMODE_WRITE 0x2

/*
 * struct iov_iter - the buffer of one read or write: user memory (the
 * syscalls) or kernel memory (kernel_read/kernel_write, exec, the tests).
 * The methods copy with copy_to_iter()/copy_from_iter() and never look at
 * which kind it is (Linux's iov_iter with ITER_UBUF and ITER_KVEC, one
 * segment only). Why: SMAP and access_ok() forbid copy_to_user() into a
 * kernel buffer, so the kernel needs a second way in.
 */
struct iov_iter {
	bool kernel;                 /* true: kbuf; false: ubuf */
	union {
		char __user *ubuf;
		char *kbuf;
	};
	size_t count;                /* bytes still to transfer */
};

/*
 * struct dir_context - one getdents walk (Linux's dir_context): the
 * directory calls actor() for each entry from position pos on; actor
 * returns false when the caller's buffer is full (that entry is then not
 * consumed). pos is an opaque cookie: 0 ".", 1 "..", then the entries.
 */
struct dir_context {
	bool (*actor)(struct dir_context *ctx, const char *name, int namelen,
		      loff_t next_pos, u64 ino, unsigned int d_type);
	loff_t pos;
};
#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_REG     8

/*
 * What a kind of file can do. Each method returns >= 0 or -errno; a NULL
 * method means the operation is not supported (the VFS returns Linux's
 * errno for that case: -EINVAL for read/write, -ENODEV for mmap, -ENOTTY
 * for ioctl, -ESPIPE for llseek, -ENOTDIR for iterate_shared).
 *
 * ->poll is called with current->state == TASK_INTERRUPTIBLE (kernel/poll.c):
 * it must not sleep, so no mutex or rwsem - a spinlock or READ_ONCE only.
 */
struct file_operations {
	/*
	 * open - called by open(2) (file_open_at) once the struct file exists,
	 * to set up f->private_data. 0 or -errno; on failure the file is put
	 * at once and ->release still runs, so it must cope with a half-done
	 * open. May be NULL.
	 */
	int (*open)(struct inode *inode, struct file *f);
	ssize_t (*read)(struct file *f, char __user *buf, size_t n, loff_t *pos);
	ssize_t (*write)(struct file *f, const char __user *buf, size_t n, loff_t *pos);
	/* read_iter/write_iter - the same into or out of any buffer; preferred
	 * over read/write, and the only form kernel_read/kernel_write use. */
	ssize_t (*read_iter)(struct file *f, struct iov_iter *to, loff_t *pos);
	ssize_t (*write_iter)(struct file *f, struct iov_iter *from, loff_t *pos);
	loff_t (*llseek)(struct file *f, loff_t off, int whence);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	/* poll - the POLL* bits ready now; with @pt, also queue for a wake-up. */
	unsigned int (*poll)(struct file *f, struct poll_table_struct *pt);
	/* mmap - check and set up a VMA for this file (vm_ops, flags). */
	int (*mmap)(struct file *f, struct vm_area_struct *vma);
	/* iterate_shared - directories: feed entries from ctx->pos to ctx->actor. */
	int (*iterate_shared)(struct file *f, struct dir_context *ctx);
	/* release - the last reference to the open file is gone. */
	void (*release)(struct inode *inode, struct file *f);
};

/* ---- open files ---- */
struct file *alloc_file(struct inode *inode, unsigned int flags, const struct file_operations *fop);
struct file *get_file(struct file *f);
void fput(struct file *f);
/* filp_open - open @path (absolute, or relative to current's cwd) like open(2). */
struct file *filp_open(const char *path, int flags, umode_t mode);
/* kernel_read - read from a file into kernel memory at *pos; returns bytes or -errno. */
ssize_t kernel_read(struct file *f, void *buf, size_t n, loff_t *pos);
ssize_t kernel_write(struct file *f, const void *buf, size_t n, loff_t *pos);
/* vfs_read/vfs_write - the read/write of the syscalls on any iov_iter (checks f_mode). */
ssize_t vfs_read(struct file *f, struct iov_iter *to, loff_t *pos);
ssize_t vfs_write(struct file *f, struct iov_iter *from, loff_t *pos);
/* copy_to_iter/copy_from_iter - bytes copied (short on a user fault); advance @i. */
size_t copy_to_iter(const void *from, size_t n, struct iov_iter *i);
size_t copy_from_iter(void *to, size_t n, struct iov_iter *i);
/* iov_iter_zero - @n zero bytes into @i (holes in a file); bytes written. */
size_t iov_iter_zero(size_t n, struct iov_iter *i);
/* generic_file_llseek - lseek for files with a size (regular files, directories). */
loff_t generic_file_llseek(struct file *f, loff_t off, int whence);
/* iterate_dir - getdents: the directory's entries from ctx->pos; 0 or -errno. */
int iterate_dir(struct file *f, struct dir_context *ctx);
/* anon_inode_getfile - an open file with no name (userfaultfd, ...): one shared
 * inode with mode 0600; @priv goes to f->private_data. ERR_PTR on failure. */
extern struct inode *anon_inode_inode;   /* made by vfs_init() */
struct file *anon_inode_getfile(const char *name, const struct file_operations *fop,
				void *priv, unsigned int flags);

/* ---- file descriptor tables (kernel/file.c) ---- */
#define NR_OPEN_MAX 256

struct files_struct {
	int count;                   /* tasks sharing the table (atomic) */
	spinlock_t lock;
	/* -- lock -- */
	struct file *fd[NR_OPEN_MAX];
	unsigned long close_on_exec[NR_OPEN_MAX / 64];
};

struct files_struct *files_alloc(void);
/* dup_fd - a copy of @old for fork(): every open file gets one more reference. */
struct files_struct *dup_fd(struct files_struct *old);
void put_files_struct(struct files_struct *files);
/* fd_install_new - the lowest free fd of current's table now refers to @f (one reference taken over). */
int fd_install_new(struct file *f, unsigned int flags);
/* fget - the file behind @fd with a new reference, or NULL. */
struct file *fget(int fd);
int close_fd(int fd);
/* do_close_on_exec - execve() closes the O_CLOEXEC descriptors. */
void do_close_on_exec(struct files_struct *files);
/* f_dupfd - install @f (reference taken over) at the lowest free fd >= @minfd. */
int f_dupfd(unsigned int minfd, struct file *f, unsigned int flags);
/* replace_fd - install @f (reference taken over) at exactly @fd, closing what was there. */
int replace_fd(unsigned int fd, struct file *f, unsigned int flags);

/* ---- inodes and paths (kernel/ramfs.c, kernel/namei.c) ---- */
struct inode *ramfs_root(void);
void iget(struct inode *inode);
void iput(struct inode *inode);
/* path_lookup - the inode at @path (relative to @cwd), with a reference; ERR_PTR on failure. */
struct inode *path_lookup(struct inode *cwd, const char *path);
/*
 * The kernel's own path operations (kernel/namei.c). @base is where a
 * relative path starts (NULL: current's cwd, or the root); paths are kernel
 * strings. Each returns 0 or -errno with Linux's errnos. Linux passes a
 * dirfd instead of @base; the syscalls turn one into the other.
 */
struct file *file_open_at(struct inode *base, const char *path, int flags, umode_t mode);
int do_mkdirat(struct inode *base, const char *path, umode_t mode);
int do_rmdir(struct inode *base, const char *path);
int do_unlinkat(struct inode *base, const char *path);
/* do_mknodat - a character device node (vfs_init's /dev/console). */
int do_mknodat(struct inode *base, const char *path, umode_t mode, unsigned int rdev);
/* current_cwd - current->cwd, or the root when the task has none (no reference). */
struct inode *current_cwd(void);

/* The RAM file system's own operations, for namei.c (kernel/ramfs.c). */
/* ramfs_get_inode - a new inode with no name (count 1): pipes use it too. */
struct inode *ramfs_get_inode(umode_t mode, unsigned int rdev);
/* ramfs_lookup - @dir's entry @name with a reference; dir->i_rwsem held (read or write). */
struct inode *ramfs_lookup(struct inode *dir, const char *name, int len);
/* ramfs_link - enter @inode in @dir as @name; dir->i_rwsem held for writing. */
int ramfs_link(struct inode *dir, const char *name, int len, struct inode *inode);
/* ramfs_unlink/ramfs_rmdir - remove @name from @dir; dir->i_rwsem held for writing. */
int ramfs_unlink(struct inode *dir, const char *name, int len);
int ramfs_rmdir(struct inode *dir, const char *name, int len);
/* ramfs_name_of - the name @dir gives @child, into @buf (getcwd); length or -ENOENT. */
int ramfs_name_of(struct inode *dir, struct inode *child, char *buf, int size);
/*
 * prepend_path - Mirrors Linux's prepend_path() on the inode tree: write
 * the absolute path of directory @dir just before @end (inside @buf),
 * asking each parent for its child's name. Returns where it starts (@end
 * itself for the root), ERR_PTR(-ENOENT) if a directory on the way was
 * removed (or has no ramfs name), ERR_PTR(-ENAMETOOLONG) if @buf is full.
 */
char *prepend_path(struct inode *dir, char *buf, char *end);
/* vfs_truncate - set a regular file's size: frees or zeroes what lies past it. */
int vfs_truncate(struct inode *inode, loff_t size);

/* stat(2)'s struct on x86-64: 144 bytes. */
struct stat {
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned long st_nlink;
	unsigned int st_mode;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned int __pad0;
	unsigned long st_rdev;
	long st_size;
	long st_blksize;
	long st_blocks;             /* in 512-byte units */
	unsigned long st_atime, st_atime_nsec;
	unsigned long st_mtime, st_mtime_nsec;
	unsigned long st_ctime, st_ctime_nsec;
	long __reserved[3];
};
/* vfs_getattr - fill @st from @inode. */
void vfs_getattr(struct inode *inode, struct stat *st);

/* ---- the page cache (kernel/filemap.c) ---- */
/* find_get_page - the cached page at @index, with a reference, or NULL. */
struct page *find_get_page(struct address_space *mapping, unsigned long index);
/* add_to_page_cache - put @page (the cache takes its own reference) at @index; -EEXIST if taken. */
int add_to_page_cache(struct page *page, struct address_space *mapping, unsigned long index);
/* find_or_create_page - the page at @index, a new zeroed one if none; referenced. NULL on ENOMEM. */
struct page *find_or_create_page(struct address_space *mapping, unsigned long index);
/* truncate_inode_pages - drop the cached pages wholly past @lstart and zero the tail of the one it is in. */
void truncate_inode_pages(struct address_space *mapping, loff_t lstart);
/* filemap_read / generic_perform_write - the data path of regular files. */
ssize_t filemap_read(struct file *f, struct iov_iter *to, loff_t *pos);
ssize_t generic_perform_write(struct file *f, struct iov_iter *from, loff_t *pos);
struct vm_fault;
/* filemap_fault - the vm_ops->fault of file mappings: the page at vmf->pgoff,
 * referenced, in vmf->page; VM_FAULT_SIGBUS beyond the end of the file. */
unsigned int filemap_fault(struct vm_fault *vmf);
int generic_file_mmap(struct file *f, struct vm_area_struct *vma);

/* ---- boot ---- */
/* initramfs_unpack - fill the RAM file system from a cpio "newc" archive in memory: 0 or -errno. */
int initramfs_unpack(const void *data, size_t size);
/* initramfs_unpack_at - the same, with the archive's names taken relative to @base. */
int initramfs_unpack_at(struct inode *base, const void *data, size_t size);
/* vfs_init - the root directory, /dev, /dev/console, /tmp and /proc. Before any open. */
void vfs_init(void);
/* proc_root_init - make /proc (kernel/procfs.c); vfs_init calls it. 0 or -errno. */
int proc_root_init(struct inode *root);

/* ---- pipes and the console ---- */
/* create_pipe_files - a pipe; res[0] reads, res[1] writes (one reference each). */
int create_pipe_files(struct file **res, int flags);
void console_init(void);
/* console_open - a new open file on /dev/console. */
struct file *console_open(unsigned int flags);
extern const struct file_operations console_fops;
/*
 * Terminals (kernel/tty.c). The console is one; the tests make their own
 * with an output hook, and feed them input with tty_receive_char().
 */
struct tty_struct;
struct tty_struct *tty_alloc(void (*write)(const char *buf, size_t n));
void tty_free(struct tty_struct *tty);
/* tty_receive_char - one input byte through the line discipline; never sleeps (IRQ-safe). */
void tty_receive_char(struct tty_struct *tty, unsigned char c);
/* tty_open_file - an open file reading and writing @tty. ERR_PTR on failure. */
struct file *tty_open_file(struct tty_struct *tty, unsigned int flags);

#define POLLIN   0x0001
#define POLLPRI  0x0002
#define POLLOUT  0x0004
#define POLLERR  0x0008
#define POLLHUP  0x0010
#define POLLNVAL 0x0020
#define POLLRDNORM 0x0040
#define POLLWRNORM 0x0100

/* struct pollfd as user space has it. */
struct pollfd {
	int fd;
	short events;
	short revents;
};
/* kernel_poll - poll(2) on a kernel array; @timeout in ticks (< 0: forever). */
long kernel_poll(struct pollfd *fds, unsigned int nfds, long timeout);

/*
 * poll_wait - in a ->poll method: when @pt is not NULL, the caller (poll(2))
 * wants to sleep until @wq is woken. See kernel/poll.c.
 */
void poll_wait(struct file *f, wait_queue_head_t *wq, struct poll_table_struct *pt);

#endif
