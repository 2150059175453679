/* Quota accounting over the embedder's allocator, and the module's bump arena. */
#include "internal.h"

void *wheap_alloc(wasm_heap *h, size_t size) {
  if (size == 0) size = 8;
  if (size > h->quota || h->used > h->quota - size) return NULL;
  void *p = h->alloc(h->ctx, size);
  if (!p) return NULL;
  h->used += size;
  return p;
}

void wheap_free(wasm_heap *h, void *p, size_t size) {
  if (!p) return;
  if (size == 0) size = 8;
  h->free(h->ctx, p, size);
  h->used -= size;
}

struct warena_chunk {
  warena_chunk *next;
  size_t size;
};

#define ARENA_CHUNK 16384u

void *warena_alloc(warena *a, size_t size) {
  void *p = warena_alloc_raw(a, size);
  if (p) wu_memset(p, 0, size);
  return p;
}

/* Chunks are not cleared up front: most of the arena is translated code, written in full at once. */
void *warena_alloc_raw(warena *a, size_t size) {
  size = (size + 7u) & ~(size_t)7u;
  if (size == 0) size = 8;
  if (size > a->left) {
    size_t hdr = (sizeof(warena_chunk) + 7u) & ~(size_t)7u;
    size_t want = size + hdr;
    /* Big requests get a chunk of their own so the current one keeps serving small ones. */
    bool own = size > ARENA_CHUNK / 4;
    if (!own && want < ARENA_CHUNK) want = ARENA_CHUNK;
    if (want < size) return NULL;
    warena_chunk *c = wheap_alloc(a->heap, want);
    if (!c) return NULL;
    c->size = want;
    c->next = a->chunks;
    a->chunks = c;
    uint8_t *mem = (uint8_t *)c + hdr;
    if (own) return mem;
    a->cur = mem;
    a->left = want - hdr;
  }
  void *p = a->cur;
  a->cur += size;
  a->left -= size;
  return p;
}

void warena_release(warena *a) {
  warena_chunk *c = a->chunks;
  while (c) {
    warena_chunk *next = c->next;
    wheap_free(a->heap, c, c->size);
    c = next;
  }
  a->chunks = NULL;
  a->cur = NULL;
  a->left = 0;
}
