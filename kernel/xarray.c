/*
 * kernel/xarray.c - the radix tree behind the page cache (see xarray.h;
 * Linux lib/xarray.c, much smaller). Every function expects the caller's
 * lock to be held; none sleeps.
 *
 * Invariant after every call: no node is empty (count == 0). A store that
 * fails half-way and an erase both prune empty nodes bottom-up, so an
 * empty array is xa_head == NULL and holds no memory.
 */
#include "kernel/xarray.h"
#include "kernel/errno.h"
#include "mm/slab.h"

/* xa_covers - does a tree whose root has @shift reach @index? (no shift >= 64) */
static bool xa_covers(unsigned int shift, unsigned long index)
{
	return ((index >> shift) >> XA_CHUNK_SHIFT) == 0;
}

static unsigned int xa_offset(const struct xa_node *node, unsigned long index)
{
	return (index >> node->shift) & XA_CHUNK_MASK;
}

static struct xa_node *xa_node_alloc(unsigned int shift, struct xa_node *parent,
				     unsigned int offset)
{
	struct xa_node *node = kzalloc(sizeof(*node), GFP_KERNEL);

	if (node) {
		node->shift = shift;
		node->parent = parent;
		node->offset = offset;
	}
	return node;
}

/* xa_prune - free @node and then its ancestors for as long as they are empty. */
static void xa_prune(struct xarray *xa, struct xa_node *node)
{
	while (node && node->count == 0) {
		struct xa_node *parent = node->parent;

		if (parent) {
			parent->slots[node->offset] = NULL;
			parent->count--;
		} else {
			xa->xa_head = NULL;
		}
		kfree(node);
		node = parent;
	}
}

/* xa_leaf - the leaf node whose slots hold @index, or NULL if there is none. */
static struct xa_node *xa_leaf(const struct xarray *xa, unsigned long index)
{
	struct xa_node *node = xa->xa_head;

	if (!node || !xa_covers(node->shift, index))
		return NULL;
	while (node && node->shift)
		node = node->slots[xa_offset(node, index)];
	return node;
}

void *xa_load(const struct xarray *xa, unsigned long index)
{
	struct xa_node *leaf = xa_leaf(xa, index);

	return leaf ? leaf->slots[index & XA_CHUNK_MASK] : NULL;
}

int xa_store(struct xarray *xa, unsigned long index, void *entry)
{
	struct xa_node *node = xa->xa_head;

	if (!node) {
		unsigned int shift = 0;

		while (!xa_covers(shift, index))
			shift += XA_CHUNK_SHIFT;
		node = xa_node_alloc(shift, NULL, 0);
		if (!node)
			return -ENOMEM;
		xa->xa_head = node;
	}
	/* Too small a tree: put new roots on top; the old root becomes slot 0. */
	while (!xa_covers(xa->xa_head->shift, index)) {
		struct xa_node *root = xa_node_alloc(xa->xa_head->shift + XA_CHUNK_SHIFT, NULL, 0);

		if (!root)
			return -ENOMEM;
		root->slots[0] = xa->xa_head;
		root->count = 1;
		xa->xa_head->parent = root;
		xa->xa_head = root;
	}
	/* Down to the leaf, making the nodes on the way. */
	node = xa->xa_head;
	while (node->shift) {
		unsigned int off = xa_offset(node, index);
		struct xa_node *child = node->slots[off];

		if (!child) {
			child = xa_node_alloc(node->shift - XA_CHUNK_SHIFT, node, off);
			if (!child) {
				xa_prune(xa, node);
				return -ENOMEM;
			}
			node->slots[off] = child;
			node->count++;
		}
		node = child;
	}
	if (!node->slots[index & XA_CHUNK_MASK])
		node->count++;
	node->slots[index & XA_CHUNK_MASK] = entry;
	return 0;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	struct xa_node *leaf = xa_leaf(xa, index);
	void *entry;

	if (!leaf || !(entry = leaf->slots[index & XA_CHUNK_MASK]))
		return NULL;
	leaf->slots[index & XA_CHUNK_MASK] = NULL;
	leaf->count--;
	xa_prune(xa, leaf);
	return entry;
}

/* xa_same_range - do @a and @b fall under the same slot array as @node's? */
static bool xa_same_range(const struct xa_node *node, unsigned long a, unsigned long b)
{
	return ((a >> node->shift) >> XA_CHUNK_SHIFT) == ((b >> node->shift) >> XA_CHUNK_SHIFT);
}

/*
 * xa_find - walk right from *@index: down through a non-empty slot, or
 * past an empty one to the first index of the next slot, going up while
 * that index lies outside the node. Empty subtrees are skipped whole, so
 * the cost is the paths taken plus the empty slots passed over.
 */
void *xa_find(const struct xarray *xa, unsigned long *index)
{
	struct xa_node *node = xa->xa_head;
	unsigned long idx = *index, next;

	if (!node || !xa_covers(node->shift, idx))
		return NULL;
	for (;;) {
		void *e = node->slots[xa_offset(node, idx)];

		if (e) {
			if (!node->shift) {
				*index = idx;
				return e;
			}
			node = e;       /* idx lies inside this child */
			continue;
		}
		next = ((idx >> node->shift) + 1) << node->shift;
		if (next <= idx)        /* wrapped past the last index */
			return NULL;
		while (!xa_same_range(node, idx, next)) {
			node = node->parent;
			if (!node)
				return NULL;
		}
		idx = next;
	}
}
