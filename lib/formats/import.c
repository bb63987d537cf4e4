/*
 * import.c - the import session shared by all format parsers (see import.h).
 *
 * The session is where the rules every importer must follow are enforced once: the
 * --source override, origin, stable ids, canonical field order, skip counting, --strict,
 * and the per-file and per-source counts that go to the ledger. Parsers only build
 * records and say where they start.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/hash.h"
#include "winnow/import.h"

struct wn_import {
	struct wn_import_opts opts;
	struct wn_recb recb;
	struct wn_idgen *ids;
	const char *filename;
	const struct wn_format *fmt;
	unsigned long index;        /* records (kept or skipped) seen in the current file */
	unsigned long records, skipped;
	json_object *summary;       /* ledger material, see wn_import_summary */
	json_object *file_info;     /* current file's entry in summary.files */
	wn_import_filter_fn filter; /* wn_import_set_filter, or NULL */
	void *filter_data;
};

/* json_object_object_add for a value just made: fails when v is NULL (a failed
 * json_object_new_*), which json-c would otherwise store as a JSON null. Takes v's
 * reference either way. */
static int add_new(json_object *obj, const char *key, json_object *v)
{
	if (!v || json_object_object_add(obj, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

struct wn_import *wn_import_new(const struct wn_import_opts *opts, struct wn_err *err)
{
	struct wn_import *imp = wn_calloc(1, sizeof(*imp));

	if (!imp)
		goto oom;
	imp->opts = *opts;
	if (!imp->opts.source_kind)
		imp->opts.source_kind = "database";
	wn_recb_init(&imp->recb);
	imp->ids = wn_idgen_new(err);
	imp->summary = json_object_new_object();
	if (!imp->ids || !imp->summary) {
		wn_import_free(imp);
		goto oom;
	}
	if (add_new(imp->summary, "records", json_object_new_int64(0)) ||
	    add_new(imp->summary, "skipped", json_object_new_int64(0)) ||
	    add_new(imp->summary, "skip_reasons", json_object_new_object()) ||
	    add_new(imp->summary, "sources", json_object_new_object()) ||
	    add_new(imp->summary, "files", json_object_new_array())) {
		wn_import_free(imp);
		goto oom;
	}
	return imp;
oom:
	wn_err_set(err, WN_ENOMEM, "out of memory");
	return NULL;
}

void wn_import_free(struct wn_import *imp)
{
	if (!imp)
		return;
	wn_recb_release(&imp->recb);
	wn_idgen_free(imp->ids);
	if (imp->summary)
		json_object_put(imp->summary);
	wn_free(imp);
}

struct wn_recb *wn_import_recb(struct wn_import *imp) { return &imp->recb; }
const char *wn_import_filename(const struct wn_import *imp) { return imp->filename; }
unsigned long wn_import_next_index(const struct wn_import *imp) { return imp->index + 1; }
int wn_import_strict(const struct wn_import *imp) { return imp->opts.strict; }
size_t wn_import_max_line(const struct wn_import *imp) { return imp->opts.max_line; }
const struct wn_import_opts *wn_import_options(const struct wn_import *imp) { return &imp->opts; }
unsigned long wn_import_records(const struct wn_import *imp) { return imp->records; }
unsigned long wn_import_skipped(const struct wn_import *imp) { return imp->skipped; }
json_object *wn_import_file_info(struct wn_import *imp) { return imp->file_info; }

json_object *wn_import_summary(struct wn_import *imp)
{
	json_object *v;

	json_object_object_get_ex(imp->summary, "records", &v);
	json_object_set_int64(v, (int64_t)imp->records);
	json_object_object_get_ex(imp->summary, "skipped", &v);
	json_object_set_int64(v, (int64_t)imp->skipped);
	return imp->summary;
}

static int bump(json_object *obj, const char *key, struct wn_err *err)
{
	json_object *v;

	if (json_object_object_get_ex(obj, key, &v))
		return json_object_set_int64(v, json_object_get_int64(v) + 1) ? 0
			: wn_err_set(err, WN_ENOMEM, "out of memory");
	v = json_object_new_int64(1);
	if (!v || json_object_object_add(obj, key, v)) {
		json_object_put(v);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 0;
}

static int count_source(struct wn_import *imp, const char *source, struct wn_err *err)
{
	json_object *sources, *entry;

	json_object_object_get_ex(imp->summary, "sources", &sources);
	if (!json_object_object_get_ex(sources, source, &entry)) {
		entry = json_object_new_object();
		if (!entry || json_object_object_add(sources, source, entry)) {
			json_object_put(entry);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
		if (add_new(entry, "kind", json_object_new_string(imp->opts.source_kind)))
			return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	if (bump(entry, "records", err) < 0)
		return -1;
	if (imp->file_info) {
		json_object *fs = NULL;
		if (!json_object_object_get_ex(imp->file_info, "sources", &fs)) {
			fs = json_object_new_object();
			if (!fs || json_object_object_add(imp->file_info, "sources", fs)) {
				json_object_put(fs);
				return wn_err_set(err, WN_ENOMEM, "out of memory");
			}
		}
		if (bump(fs, source, err) < 0)
			return -1;
	}
	return 0;
}

static int finish_record(struct wn_import *imp, json_object *rec, unsigned long line,
			 struct wn_err *err)
{
	json_object *origin;
	const char *source;

	(void)line;
	if (imp->opts.source) {
		if (wn_record_set(rec, WN_F_SOURCE, imp->opts.source, strlen(imp->opts.source), err) < 0)
			return -1;
	} else if (!wn_record_get(rec, WN_F_SOURCE) && imp->fmt && imp->fmt->default_source) {
		if (wn_record_set(rec, WN_F_SOURCE, imp->fmt->default_source,
				  strlen(imp->fmt->default_source), err) < 0)
			return -1;
	}
	origin = json_object_new_object();
	if (!origin || add_new(origin, "file", json_object_new_string(imp->filename ? imp->filename : "-")) ||
	    add_new(origin, "index", json_object_new_int64((int64_t)imp->index))) {
		json_object_put(origin);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	if (add_new(rec, WN_F_ORIGIN, origin))
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	if (wn_idgen_assign(imp->ids, rec, imp->fmt ? imp->fmt->name : NULL, err) < 0)
		return -1;
	source = wn_record_get(rec, WN_F_SOURCE);
	return count_source(imp, source ? source : "unknown", err);
}

void wn_import_set_filter(struct wn_import *imp, wn_import_filter_fn fn, void *data)
{
	imp->filter = fn;
	imp->filter_data = data;
}

/* The filter rejected the record: it uses up its position (so origin.index still finds
 * the others in the file) and is counted under "dropped" - it was not bad input. */
static int drop_record(struct wn_import *imp, json_object *rec, const char *why,
		       unsigned long line, struct wn_err *err)
{
	json_object *dropped;

	json_object_put(rec);
	imp->index++;
	if (!json_object_object_get_ex(imp->summary, "dropped", &dropped)) {
		dropped = json_object_new_object();
		if (!dropped || json_object_object_add(imp->summary, "dropped", dropped)) {
			json_object_put(dropped);
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		}
	}
	if (bump(dropped, why, err) < 0)
		return -1;
	wn_import_diag(imp, WN_DIAG_NOTE, imp->index, line, "record dropped: %s", why);
	return 0;
}

int wn_import_emit_record(struct wn_import *imp, json_object *rec, unsigned long line,
			  struct wn_err *err)
{
	const char *why;

	if (imp->filter && (why = imp->filter(imp->filter_data, rec)) != NULL)
		return drop_record(imp, rec, why, line, err);
	imp->index++;
	if (finish_record(imp, rec, line, err) < 0 || wn_record_canonicalize(rec, err) < 0) {
		json_object_put(rec);
		return -1;
	}
	imp->records++;
	if (imp->file_info) {
		json_object *v;
		json_object_object_get_ex(imp->file_info, "records", &v);
		json_object_set_int64(v, json_object_get_int64(v) + 1);
	}
	return imp->opts.emit(imp->opts.emit_data, rec, err) ? -1 : 0;
}

int wn_import_emit(struct wn_import *imp, unsigned long line, struct wn_err *err)
{
	json_object *rec;

	const char *why;

	if (!imp->recb.rec)
		return wn_err_set(err, WN_EUSAGE, "no record to emit");
	if (imp->filter && (why = imp->filter(imp->filter_data, imp->recb.rec)) != NULL) {
		rec = imp->recb.rec;
		imp->recb.rec = NULL;
		return drop_record(imp, rec, why, line, err);
	}
	imp->index++;
	if (finish_record(imp, imp->recb.rec, line, err) < 0)
		return -1;
	rec = wn_recb_take(&imp->recb, err);
	if (!rec)
		return -1;
	imp->records++;
	if (imp->file_info) {
		json_object *v;
		json_object_object_get_ex(imp->file_info, "records", &v);
		json_object_set_int64(v, json_object_get_int64(v) + 1);
	}
	return imp->opts.emit(imp->opts.emit_data, rec, err) ? -1 : 0;
}

static __attribute__((format(printf, 5, 0)))
void vdiag(struct wn_import *imp, enum wn_diag_level level, unsigned long record,
	   unsigned long line, const char *fmt, va_list ap)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (imp->opts.diag)
		imp->opts.diag(imp->opts.diag_data, level, imp->filename ? imp->filename : "-",
			       record, line, msg);
}

void wn_import_diag(struct wn_import *imp, enum wn_diag_level level, unsigned long record,
		    unsigned long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(imp, level, record, line, fmt, ap);
	va_end(ap);
}

int wn_import_skip(struct wn_import *imp, unsigned long line, const char *reason,
		   struct wn_err *err, const char *fmt, ...)
{
	char detail[1536];
	json_object *reasons;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	imp->index++;
	imp->skipped++;
	if (imp->recb.rec) {
		json_object_put(imp->recb.rec);
		imp->recb.rec = NULL;
	}
	json_object_object_get_ex(imp->summary, "skip_reasons", &reasons);
	if (bump(reasons, reason, err) < 0)
		return -1;
	if (imp->file_info) {
		json_object *v, *fr;
		json_object_object_get_ex(imp->file_info, "skipped", &v);
		json_object_set_int64(v, json_object_get_int64(v) + 1);
		if (!json_object_object_get_ex(imp->file_info, "skip_reasons", &fr)) {
			fr = json_object_new_object();
			if (!fr || json_object_object_add(imp->file_info, "skip_reasons", fr)) {
				json_object_put(fr);
				return wn_err_set(err, WN_ENOMEM, "out of memory");
			}
		}
		if (bump(fr, reason, err) < 0)
			return -1;
	}
	wn_import_diag(imp, imp->opts.strict ? WN_DIAG_ERROR : WN_DIAG_WARNING, imp->index, line,
		       "%s%s%s", reason, *detail ? ": " : "", detail);
	if (imp->opts.strict) {
		if (line)
			return wn_err_set(err, WN_EFORMAT, "'%s' record %lu (line %lu): %s (--strict)",
					  imp->filename, imp->index, line, reason);
		return wn_err_set(err, WN_EFORMAT, "'%s' record %lu: %s (--strict)", imp->filename,
				  imp->index, reason);
	}
	return 0;
}

static const char *tried_formats(char *buf, size_t n)
{
	const struct wn_format *const *f;
	size_t used = 0;

	buf[0] = '\0';
	for (f = wn_formats(); *f && used < n; f++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", (*f)->name);
	return buf;
}

int wn_format_unknown(struct wn_err *err, const char *name)
{
	char names[512];

	return wn_err_set(err, WN_EFORMAT,
			  "'%s' is not in a format winnow can read (tried: %s); use --format to name it",
			  name, tried_formats(names, sizeof(names)));
}

int wn_import_file(struct wn_import *imp, const char *path, const struct wn_format *fmt,
		   struct wn_err *err)
{
	struct wn_input_opts iopts = { 0, NULL };
	struct wn_input *in;
	int rc;

	in = wn_input_open(path, &iopts, err);
	if (!in)
		return -1;
	rc = wn_import_input(imp, in, fmt, err);
	wn_input_close(in);
	return rc;
}

int wn_import_input(struct wn_import *imp, struct wn_input *in, const struct wn_format *fmt,
		    struct wn_err *err)
{
	json_object *files, *info;
	const unsigned char *head;
	ssize_t n;
	unsigned long repaired;
	int rc;

	n = wn_input_peek(in, &head, 65536, err);
	if (n < 0)
		return -1;
	if (!fmt) {
		if (n == 0)
			return wn_err_set(err, WN_EFORMAT, "'%s' is empty: no records to import", wn_input_name(in));
		fmt = wn_format_detect(head, (size_t)n, NULL);
		if (!fmt)
			return wn_format_unknown(err, wn_input_name(in));
	}
	imp->filename = wn_input_name(in);
	imp->fmt = fmt;
	imp->index = 0;
	info = json_object_new_object();
	json_object_object_get_ex(imp->summary, "files", &files);
	if (!info || json_object_array_add(files, info) != 0) {
		json_object_put(info);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	if (add_new(info, "file", json_object_new_string(imp->filename)) ||
	    add_new(info, "format", json_object_new_string(fmt->name)) ||
	    add_new(info, "records", json_object_new_int64(0)) ||
	    add_new(info, "skipped", json_object_new_int64(0)))
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	imp->file_info = info;
	repaired = imp->recb.text.repaired;
	rc = fmt->parse(imp, in, err);
	if (rc == 0 && imp->recb.text.repaired > repaired) {
		/* Latin-1/Windows-1252 text in a file read as UTF-8: repaired by the record
		 * builder, said here, and counted in the file's ledger entry */
		unsigned long k = imp->recb.text.repaired - repaired;
		wn_import_diag(imp, WN_DIAG_WARNING, 0, 0,
			       "%lu byte%s of invalid UTF-8 read as Windows-1252 (is the file Latin-1?); "
			       "check accented letters", k, k == 1 ? "" : "s");
		if (add_new(info, "repaired_bytes", json_object_new_int64((int64_t)k)))
			rc = wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	if (rc == 0) {
		/* fingerprint of the whole file: read what the parser left (trailing bytes) */
		char buf[65536], hex[17];
		struct wn_err e2;
		while (wn_input_read(in, buf, sizeof(buf), &e2) > 0)
			;
		wn_hash_hex(wn_input_raw_hash(in), hex);
		if (add_new(info, "bytes", json_object_new_int64((int64_t)wn_input_raw_bytes(in))) ||
		    add_new(info, "xxh64", json_object_new_string(hex)))
			rc = wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	if (rc == 0 && imp->index == 0)
		wn_import_diag(imp, WN_DIAG_WARNING, 0, 0, "no records found (read as %s)", fmt->name);
	imp->file_info = NULL;
	imp->filename = NULL;
	imp->fmt = NULL;
	return rc;
}
