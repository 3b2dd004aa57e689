#ifndef ALMANAC_CFILESYNC_SHIM_H
#define ALMANAC_CFILESYNC_SHIM_H
#include <sys/types.h>

#if defined(__linux__)
// glibc declares sync_file_range only under _GNU_SOURCE, which Swift's Glibc module does not
// set (and setting it here would make this module's system headers differ from the other
// modules'): declared here as in <fcntl.h> (glibc 2.6 and later; off_t is 64 bits on the
// 64-bit platforms Swift runs on), with the flag's value from the kernel's ABI.
extern int sync_file_range(int fd, off_t offset, off_t nbytes, unsigned int flags);
#define ALMANAC_SYNC_FILE_RANGE_WRITE 2u
#endif

/// Asks the kernel to start writing `length` bytes of `fd` from `offset` to disk, without
/// waiting for them (Linux's sync_file_range with SYNC_FILE_RANGE_WRITE). It makes nothing
/// durable: a later fsync still does, and then has less to wait for. 0, or -1 with errno
/// (ignored by callers: a file system that cannot do it loses nothing). Elsewhere a no-op.
static inline int almanac_start_writeback(int fd, off_t offset, off_t length) {
#if defined(__linux__)
  return sync_file_range(fd, offset, length, ALMANAC_SYNC_FILE_RANGE_WRITE);
#else
  (void)fd; (void)offset; (void)length;
  return 0;
#endif
}
#endif
