/*
 * wos.h - the meaning of Web of Science field tags, shared by the plain-text reader
 * (wos.c: "PT J" ... "ER") and the tab-delimited reader (wos_tab.c: the same tags as
 * column headers), so the two exports of the same search give the same records.
 *
 * A record is built in a struct wn_wos_rec: wn_wos_rec_begin, then one
 * wn_wos_rec_field call per value, then wn_wos_rec_finish, which settles what needs the
 * whole record (AF full names preferred over AU, BP/EP/AR into pages, PD+PY into a date,
 * the source database from the UT prefix).
 */
#ifndef WINNOW_FORMATS_WOS_H
#define WINNOW_FORMATS_WOS_H

#include "winnow/buf.h"
#include "winnow/import.h"
#include "winnow/record.h"

struct wn_wos_rec {
	struct wn_recb *b;
	struct wn_buf au, af;      /* author items, each followed by '\n' (decided at finish) */
	struct wn_buf bp, ep, ar, ps, pd, py, ut;
};

void wn_wos_rec_init(struct wn_wos_rec *r, struct wn_recb *b);
void wn_wos_rec_release(struct wn_wos_rec *r);
/* Start a new record in the builder. -1 on allocation failure. */
int wn_wos_rec_begin(struct wn_wos_rec *r, struct wn_err *err);
/* One field value. `tag` is the 2-character tag (NUL-terminated). `joined`: the value
 * may hold several items separated by ';' (tab-delimited export); in the plain-text
 * export each AU/AF/CR/C1 line is one item and comes in its own call.
 * Returns 0, -1 on error. */
int wn_wos_rec_field(struct wn_wos_rec *r, const char *tag, const char *v, size_t n,
		     int joined, struct wn_err *err);
/* Settle the fields that need the whole record. -1 on error. */
int wn_wos_rec_finish(struct wn_wos_rec *r, struct wn_err *err);
/* 1 if each line of this tag in the plain-text export is a separate item. */
int wn_wos_item_tag(const char *tag);

#endif
