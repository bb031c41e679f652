#ifndef BEDSIDE_CVECTORSCAN_SHIM_H
#define BEDSIDE_CVECTORSCAN_SHIM_H
#include <hs/hs.h>
#endif
