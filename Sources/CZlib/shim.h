#ifndef ALMANAC_CZLIB_SHIM_H
#define ALMANAC_CZLIB_SHIM_H
#include <zlib.h>

/// inflateInit2 is a macro; Swift cannot call macros, so wrap it.
/// windowBits 15 + 32 accepts both gzip and zlib headers.
static inline int almanac_inflate_init_gzip(z_stream *strm) {
  return inflateInit2(strm, 15 + 32);
}

/// deflateInit2 is a macro too. windowBits 15 + 16 writes a gzip wrapper; with no gz_header
/// set, zlib writes mtime 0 and no file name, so the output depends only on the input.
static inline int almanac_deflate_init_gzip(z_stream *strm, int level) {
  return deflateInit2(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
#endif
