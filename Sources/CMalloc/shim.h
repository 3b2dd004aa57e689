#ifndef ALMANAC_CMALLOC_SHIM_H
#define ALMANAC_CMALLOC_SHIM_H
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

/// Returns the free pages of every malloc arena to the system (glibc's malloc_trim, which
/// also releases whole free pages inside an arena, not only at its top). Elsewhere a no-op:
/// other allocators return memory on their own terms.
static inline void almanac_release_free_heap_pages(void) {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}
#endif
