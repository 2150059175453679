/* The kernel heap: power-of-two size classes (16..2048 bytes) carved from
 * pages, whole pages above that. Callers must hold interrupts off or be in
 * the boot thread (the heap has no lock of its own: kmalloc disables them). */
#ifndef CORE_HEAP_H
#define CORE_HEAP_H

#include <stdint.h>
#include <stddef.h>

void heap_init(void);
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);
/* Usable size of an allocation (its size class). */
size_t ksize(const void *p);
/* Bytes handed out and not yet freed (by class size), for leak checks. */
uint32_t heap_bytes_in_use(void);
/* Pages held by the small-object slabs (kept for reuse, never returned). */
uint32_t heap_slab_pages(void);

#endif
