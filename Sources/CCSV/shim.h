#ifndef ALMANAC_CCSV_SHIM_H
#define ALMANAC_CCSV_SHIM_H
#include <csv.h>
#endif
