/*
 * mesh.h - the MeSH descriptor tree, read from NLM's descriptor XML (desc20xx.xml, or
 * .gz), for exploding [mh] / exp X/ / MH "X+" searches to narrower headings and for
 * mapping entry terms ("Cancer") to their descriptor ("Neoplasms").
 *
 * The file (~300 MB) is streamed with libxml2's reader set up by wn_xml_init /
 * wn_xml_options (no entities, no DTD, no network); only names, tree numbers and entry
 * terms are kept. Names are looked up in the matcher's normalised form (qmatch.h).
 */
#ifndef WINNOW_MESH_H
#define WINNOW_MESH_H

#include <stddef.h>
#include "winnow/err.h"

struct wn_mesh;

/* Load a descriptor file (.gz too). NULL with err: WN_EFORMAT or WN_ELIMIT naming file
 * and line; the input's own error as wn_input_read gave it (WN_EIO, a damaged .gz);
 * WN_ENOMEM "out of memory" for any allocation failure, libxml2's included - never a
 * tree with a heading left out. libxml2's messages never reach stderr; the calling
 * thread's libxml2 error handlers are left as they were. */
struct wn_mesh *wn_mesh_load(const char *path, struct wn_err *err);
/* Build from memory (tests). */
struct wn_mesh *wn_mesh_load_memory(const char *xml, size_t n, const char *name,
				    struct wn_err *err);
void wn_mesh_free(struct wn_mesh *m);

size_t wn_mesh_count(const struct wn_mesh *m);
/* Descriptor by name or entry term (any case, any punctuation), or -1. */
long wn_mesh_find(const struct wn_mesh *m, const char *name, size_t n);
/* Its preferred name. */
const char *wn_mesh_name(const struct wn_mesh *m, long idx);
/* Call fn for idx and every descriptor below it in the tree (each once). fn returns
 * non-zero to stop. -1 on allocation failure. */
int wn_mesh_explode(const struct wn_mesh *m, long idx,
		    int (*fn)(long idx, const char *name, void *data), void *data,
		    struct wn_err *err);

#endif
