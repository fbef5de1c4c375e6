/*
 * kernel/xarray.h - a sparse array of pointers indexed by unsigned long,
 * after Linux's XArray (include/linux/xarray.h, lib/xarray.c), the
 * structure behind the page cache: file page index -> struct page.
 *
 * It is a radix tree of 64-slot nodes. Each level consumes 6 bits of the
 * index, so a lookup visits ceil(bits used / 6) nodes: 2 for any index
 * below 4096 (a 16 MiB file), 3 below 262144 (1 GiB), whatever the number
 * of entries - where a list would walk them all.
 *
 *   xa_head ─▶ node shift=6  slots[0..63]            index = 0b 000011 000101
 *                              │ [3]                            \____/ \____/
 *                              ▼                                 shift 6  shift 0
 *              node shift=0  slots[0..63]
 *                              │ [5]
 *                              ▼
 *                            entry (a struct page *, say)
 *
 * Leaves out Linux's multi-index entries, marks, value entries, RCU and the
 * built-in lock: the caller serialises every call with its own lock (the
 * page cache holds mapping->lock). Nodes come from kmalloc(), which never
 * sleeps here, so xa_store() may run under a spinlock.
 */
#ifndef KERNEL_XARRAY_H
#define KERNEL_XARRAY_H

#include "kernel/types.h"

#define XA_CHUNK_SHIFT 6
#define XA_CHUNK_SIZE  (1UL << XA_CHUNK_SHIFT)
#define XA_CHUNK_MASK  (XA_CHUNK_SIZE - 1)

struct xa_node {
	unsigned char shift;        /* index bits below this level: 0 for leaves */
	unsigned char offset;       /* our slot in the parent */
	unsigned short count;       /* non-NULL slots */
	struct xa_node *parent;     /* NULL for the root */
	void *slots[XA_CHUNK_SIZE]; /* entries (shift 0) or child nodes */
};

struct xarray {
	struct xa_node *xa_head;    /* NULL when empty */
};

#define XARRAY_INIT { .xa_head = NULL }

static inline void xa_init(struct xarray *xa)
{
	xa->xa_head = NULL;
}

static inline bool xa_empty(const struct xarray *xa)
{
	return xa->xa_head == NULL;
}

/* xa_load - the entry at @index, or NULL. */
void *xa_load(const struct xarray *xa, unsigned long index);

/*
 * xa_store - make @entry (not NULL: use xa_erase) the entry at @index,
 * growing the tree as needed. Returns 0, or -ENOMEM with nothing changed
 * but perhaps an empty node allocated (freed again by xa_destroy or the
 * next erase under it).
 */
int xa_store(struct xarray *xa, unsigned long index, void *entry);

/* xa_erase - remove the entry at @index; returns it (NULL if none). Empty nodes are freed. */
void *xa_erase(struct xarray *xa, unsigned long index);

/*
 * xa_find - the first entry at an index >= *@index; sets *@index to its
 * index. NULL (and *@index undefined) if there is none.
 */
void *xa_find(const struct xarray *xa, unsigned long *index);

/* xa_for_each - every entry in index order; the body may xa_erase() the current one. */
#define xa_for_each(xa, index, entry)                                     \
	for ((index) = 0, (entry) = xa_find((xa), &(index)); (entry);     \
	     (entry) = ++(index) ? xa_find((xa), &(index)) : NULL)

/* xa_for_each_start - the same from index @start on. */
#define xa_for_each_start(xa, index, entry, start)                        \
	for ((index) = (start), (entry) = xa_find((xa), &(index)); (entry); \
	     (entry) = ++(index) ? xa_find((xa), &(index)) : NULL)

#endif
