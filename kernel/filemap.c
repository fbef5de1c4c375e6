/*
 * kernel/filemap.c - the page cache (Linux mm/filemap.c, mm/truncate.c).
 *
 * Every byte of a regular file lives in a page of its address_space:
 *
 *   inode->i_data (struct address_space)
 *     i_pages [0] ──▶ struct page { mapping = &i_data, index = 0 } ─▶ bytes 0..4095
 *             [3] ──▶ struct page { mapping = &i_data, index = 3 } ─▶ bytes 12288..16383
 *                           (no page at index 1, 2: a hole, reads as zeroes)
 *
 * i_pages is a radix tree (kernel/xarray.h, Linux's XArray): finding the
 * page at an index costs the same for the 1st page of a file as for the
 * 100000th.
 *
 * Three roads lead to the same pages:
 *   read()  -> filemap_read()           copies out of them
 *   write() -> generic_perform_write()  copies into them (PG_dirty), grows i_size
 *   a fault in an mmap()ed file -> filemap_fault() hands one to mm/ to map
 * so a store through a MAP_SHARED mapping is seen by read(), and write() is
 * seen through the mapping, with no copying between "file" and "cache".
 *
 * References: the cache holds one reference to each of its pages
 * (_refcount includes it); find_get_page() and filemap_fault() hand out
 * one more each, which the receiver drops with put_page() (a PTE keeps
 * its own while mapped). A page removed from the cache (truncate, the
 * file's last iput) loses the cache's reference and its ->mapping; if a
 * process still maps it, it is freed at munmap. (Linux also unmaps it from
 * every process at truncate - unmap_mapping_range() - which needs reverse
 * mappings we do not have.)
 *
 * Locking: mapping->lock (a spinlock) protects i_pages and nrpages
 * only; no copy to or from user memory ever happens under it, because a
 * copy may fault and sleep. The owner's i_rwsem serialises writers and
 * truncation. Readers and faults take no sleeping lock: they read i_size
 * once and hold a reference to each page they touch, so a concurrent
 * truncate can make them see old bytes or zeroes but never freed memory.
 * (Holding i_rwsem in the fault path would also invert the order
 * i_rwsem -> mmap_lock that write() establishes when it faults on its
 * user buffer.)
 */
#include "kernel/fs.h"
#include "arch/x86_64/time.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/mm_types.h"

/* The largest file: 1 TiB, far beyond RAM; past it write() says -EFBIG. */
#define MAX_FILE_SIZE (1LL << 40)

/* __find_page - the page at @index or NULL; mapping->lock held, no reference taken. */
static struct page *__find_page(struct address_space *mapping, unsigned long index)
{
	return xa_load(&mapping->i_pages, index);
}

/*
 * __add_page - enter @page at @index (which is free); the cache takes a
 * reference. mapping->lock held. Returns 0, or -ENOMEM (no tree node)
 * with nothing changed.
 */
static int __add_page(struct address_space *mapping, struct page *page, unsigned long index)
{
	if (xa_store(&mapping->i_pages, index, page))
		return -ENOMEM;
	get_page(page);
	page->mapping = mapping;
	page->index = index;
	mapping->nrpages++;
	mod_node_page_state(NR_FILE_PAGES, 1);
	return 0;
}

/*
 * find_get_page - the cached page of @mapping at @index with a new
 * reference (drop it with put_page), or NULL if that part of the file has
 * no page. Takes mapping->lock.
 */
struct page *find_get_page(struct address_space *mapping, unsigned long index)
{
	unsigned long flags;
	struct page *page;

	spin_lock_irqsave(&mapping->lock, flags);
	page = __find_page(mapping, index);
	if (page)
		get_page(page);
	spin_unlock_irqrestore(&mapping->lock, flags);
	return page;
}

/*
 * add_to_page_cache - make @page the page of @mapping at @index. The
 * cache takes its own reference; the caller keeps the one it had. Returns
 * 0, -EEXIST if another page got there first, or -ENOMEM (nothing changed
 * in either case).
 */
int add_to_page_cache(struct page *page, struct address_space *mapping, unsigned long index)
{
	unsigned long flags;
	int ret = -EEXIST;

	spin_lock_irqsave(&mapping->lock, flags);
	if (!__find_page(mapping, index))
		ret = __add_page(mapping, page, index);
	spin_unlock_irqrestore(&mapping->lock, flags);
	return ret;
}

/*
 * find_or_create_page - the page at @index with a new reference; if there
 * is none, a zero-filled one is added first. Losing a race to a fault that
 * added the same index just means using the winner's page. NULL on ENOMEM.
 */
struct page *find_or_create_page(struct address_space *mapping, unsigned long index)
{
	struct page *page;

	for (;;) {
		page = find_get_page(mapping, index);
		if (page)
			return page;
		int err;

		page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!page)
			return NULL;
		err = add_to_page_cache(page, mapping, index);
		if (err == 0)
			return page;   /* the cache's reference + ours */
		put_page(page);
		if (err == -ENOMEM)
			return NULL;
		/* -EEXIST: lost the race, look again */
	}
}

/*
 * truncate_inode_pages - the file now ends at @lstart (i_size already
 * says so, or is about to grow from there): zero the bytes of the page
 * holding @lstart that lie past it, and remove every page wholly past it
 * from the cache. Owner's i_rwsem held for writing (or the inode is dying).
 *
 *          lstart
 *   | page 4 |  v  page 5     | page 6 | page 7 |
 *   |  kept  | kept | zeroed  | removed         |
 */
void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	unsigned long first_gone = PFN_UP(lstart);
	unsigned long partial = lstart & ~PAGE_MASK;
	struct page *page, *next;
	unsigned long flags, index;
	LIST_HEAD(doomed);

	if (partial) {
		page = find_get_page(mapping, lstart >> PAGE_SHIFT);
		if (page) {
			memset((char *)page_address(page) + partial, 0, PAGE_SIZE - partial);
			put_page(page);
		}
	}
	spin_lock_irqsave(&mapping->lock, flags);
	xa_for_each_start(&mapping->i_pages, index, page, first_gone) {
		xa_erase(&mapping->i_pages, index);
		list_add(&page->lru, &doomed);   /* lru is free while a page is cached */
		mapping->nrpages--;
	}
	spin_unlock_irqrestore(&mapping->lock, flags);

	/* Out of the cache; now drop its references (freeing may not hold the lock). */
	list_for_each_entry_safe(page, next, &doomed, lru) {
		list_del(&page->lru);
		page->mapping = NULL;
		ClearPageDirty(page);
		mod_node_page_state(NR_FILE_PAGES, -1);
		put_page(page);
	}
}

/*
 * filemap_read - read() of a regular file: copy from *pos into @to, up to
 * the end of the file, page by page; a missing page is a hole and reads
 * as zeroes. No lock held on entry or exit. Returns the bytes copied
 * (*pos advanced by as much), 0 at or past the end, -EFAULT if nothing
 * could be copied to a bad user buffer, -EINVAL for a negative *pos.
 */
ssize_t filemap_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	struct address_space *mapping = f->f_mapping;
	struct inode *inode = mapping->host;
	ssize_t done = 0;

	if (*pos < 0)
		return -EINVAL;
	while (to->count) {
		loff_t size = READ_ONCE(inode->i_size);
		unsigned long offset = *pos & ~PAGE_MASK;
		size_t n, copied;
		struct page *page;

		if (*pos >= size)
			break;
		n = min(min((size_t)(PAGE_SIZE - offset), to->count), (size_t)(size - *pos));
		page = find_get_page(mapping, *pos >> PAGE_SHIFT);
		if (page) {
			copied = copy_to_iter((char *)page_address(page) + offset, n, to);
			put_page(page);
		} else {
			copied = iov_iter_zero(n, to);
		}
		*pos += copied;
		done += copied;
		if (copied < n)
			return done ? done : -EFAULT;
		cond_resched();
	}
	return done;
}

/*
 * generic_perform_write - write() of a regular file: copy @from into the
 * cache at *pos (at the end of the file with O_APPEND), allocating pages
 * as needed, marking them dirty and growing i_size. Takes the inode's
 * i_rwsem for writing. Returns the bytes written (*pos advanced), or
 * -EFAULT / -ENOMEM / -EFBIG / -EINVAL if nothing could be written.
 */
ssize_t generic_perform_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	struct address_space *mapping = f->f_mapping;
	struct inode *inode = mapping->host;
	ssize_t done = 0, err = 0;

	down_write(&inode->i_rwsem);
	if (READ_ONCE(f->f_flags) & O_APPEND)
		*pos = inode->i_size;
	if (*pos < 0) {
		err = -EINVAL;
		goto out_unlock;
	}
	if (*pos >= MAX_FILE_SIZE) {
		err = -EFBIG;
		goto out_unlock;
	}
	if ((loff_t)from->count > MAX_FILE_SIZE - *pos)
		from->count = MAX_FILE_SIZE - *pos;
	/* Growing: the old last page may hold bytes past EOF (stores through a mapping). */
	if (*pos + (loff_t)from->count > inode->i_size)
		truncate_inode_pages(mapping, inode->i_size);

	while (from->count) {
		unsigned long offset = *pos & ~PAGE_MASK;
		size_t n = min((size_t)(PAGE_SIZE - offset), from->count);
		size_t copied;
		struct page *page = find_or_create_page(mapping, *pos >> PAGE_SHIFT);

		if (!page) {
			err = -ENOMEM;
			break;
		}
		/* No spinlock held: the copy may fault on the user buffer. */
		copied = copy_from_iter((char *)page_address(page) + offset, n, from);
		if (copied)
			SetPageDirty(page);
		put_page(page);
		*pos += copied;
		done += copied;
		if (*pos > inode->i_size)
			WRITE_ONCE(inode->i_size, *pos);
		if (copied < n) {
			err = -EFAULT;
			break;
		}
		cond_resched();
	}
	if (done)
		inode->i_mtime = ktime_get_ns();
out_unlock:
	up_write(&inode->i_rwsem);
	return done ? done : err;
}

/*
 * filemap_fault - vm_ops->fault of every file mapping (Linux
 * filemap_fault(); no readahead, no I/O, no page lock). Called by mm/'s
 * fault path with mmap_lock held for reading, nothing else.
 *
 * Returns 0 with vmf->page = the cache's page at vmf->pgoff and one
 * reference for the caller (a hole gets a new zero-filled page, added to
 * the cache, so that every mapping of the file shares it);
 * VM_FAULT_SIGBUS if vmf->pgoff lies wholly past the end of the file;
 * VM_FAULT_OOM without memory.
 */
unsigned int filemap_fault(struct vm_fault *vmf)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	struct inode *inode = mapping->host;
	unsigned long index = vmf->pgoff;
	struct page *page, *new;
	unsigned long flags;

	if (index >= PFN_UP(READ_ONCE(inode->i_size)))
		return VM_FAULT_SIGBUS;
	page = find_get_page(mapping, index);
	if (page)
		goto found;

	new = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!new)
		return VM_FAULT_OOM;
	spin_lock_irqsave(&mapping->lock, flags);
	/* Re-check under the lock: truncate publishes i_size before it takes it. */
	if (index >= PFN_UP(READ_ONCE(inode->i_size))) {
		spin_unlock_irqrestore(&mapping->lock, flags);
		put_page(new);
		return VM_FAULT_SIGBUS;
	}
	page = __find_page(mapping, index);
	if (page) {
		get_page(page);                 /* someone else filled the hole first */
		spin_unlock_irqrestore(&mapping->lock, flags);
		put_page(new);
		goto found;
	}
	if (__add_page(mapping, new, index)) {  /* the cache's reference; ours is the caller's */
		spin_unlock_irqrestore(&mapping->lock, flags);
		put_page(new);
		return VM_FAULT_OOM;
	}
	spin_unlock_irqrestore(&mapping->lock, flags);
	page = new;
found:
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct generic_file_vm_ops = {
	.fault = filemap_fault,
};

/*
 * generic_file_mmap - f_op->mmap of regular files: the mapping's faults
 * go to filemap_fault(). A shared writable mapping needs a file opened
 * for writing, any mapping one opened for reading. Returns 0 or -EACCES.
 */
int generic_file_mmap(struct file *f, struct vm_area_struct *vma)
{
	if (!(f->f_mode & FMODE_READ))
		return -EACCES;
	if ((vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE) &&
	    !(f->f_mode & FMODE_WRITE))
		return -EACCES;
	vma->vm_ops = &generic_file_vm_ops;
	return 0;
}
