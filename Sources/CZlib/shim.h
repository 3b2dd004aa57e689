#ifndef ALMANAC_CZLIB_SHIM_H
#define ALMANAC_CZLIB_SHIM_H
#include <zlib.h>

/// inflateInit2 is a macro; Swift cannot call macros, so wrap it.
/// windowBits 15 + 32 accepts both gzip and zlib headers.
static inline int almanac_inflate_init_gzip(z_stream *strm) {
  return inflateInit2(strm, 15 + 32);
}
#endif
