/* Intrusive circular doubly-linked lists (run queues, sender queues, timeouts). */
#ifndef LIB_LIST_H
#define LIB_LIST_H

#include <stddef.h>
#include <stdbool.h>

struct list {
	struct list *next, *prev;
};

#define LIST_INIT(name) { &(name), &(name) }
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_for_each(it, head) for (struct list *it = (head)->next; it != (head); it = it->next)
#define list_for_each_safe(it, nx, head) \
	for (struct list *it = (head)->next, *nx = it->next; it != (head); it = nx, nx = it->next)

static inline void list_init(struct list *l) { l->next = l->prev = l; }
static inline bool list_empty(const struct list *l) { return l->next == l; }
/* A node that is in no list points at itself (after list_init or list_del). */
static inline bool list_linked(const struct list *n) { return n->next != n; }

static inline void list_insert_before(struct list *pos, struct list *n)
{
	n->prev = pos->prev;
	n->next = pos;
	pos->prev->next = n;
	pos->prev = n;
}

static inline void list_push_back(struct list *head, struct list *n) { list_insert_before(head, n); }

static inline void list_del(struct list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}

static inline struct list *list_pop_front(struct list *head)
{
	if (list_empty(head))
		return NULL;
	struct list *n = head->next;
	list_del(n);
	return n;
}

#endif
