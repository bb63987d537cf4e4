/*
 * formats.h - the format descriptors defined in lib/formats/ (private to the area;
 * tools reach them through wn_formats() / wn_format_by_name()).
 */
#ifndef WINNOW_FORMATS_PRIVATE_H
#define WINNOW_FORMATS_PRIVATE_H

#include "winnow/import.h"

#endif
