/* jsonw.h: a small JSON writer into a growable buffer.
 *
 * The analyzer writes a JSON line per diagnosis, a million times a second
 * on a big log: SQLite's JSON functions are too slow for that, so this is
 * the one JSON writer of the project outside SQLite (tested in
 * tests/unit/test_jsonw.c). Strings are written as valid UTF-8 JSON
 * whatever the input: invalid bytes become U+FFFD, and every control
 * character (C0, DEL, C1) and every character that changes how a terminal
 * shows text (bidi controls, zero-width characters, line separators) is
 * written as a \u escape, so JSON printed on a terminal is inert.
 */
#ifndef BOUNCE_CATALOG_JSONW_H
#define BOUNCE_CATALOG_JSONW_H

#include <stddef.h>

struct jsonw {
	char *buf;  /* caller-owned, malloc'd, grown with realloc */
	size_t len;
	size_t cap;
	int need_comma;
	int oom;    /* set when memory ran out; later calls do nothing */
};

void jw_obj(struct jsonw *w);   /* { */
void jw_end_obj(struct jsonw *w); /* } */
void jw_arr(struct jsonw *w);   /* [ */
void jw_end_arr(struct jsonw *w); /* ] */
/* "key": ... the value follows with one of the calls below */
void jw_key(struct jsonw *w, const char *key);
/* a string of len bytes, or null when s is NULL */
void jw_strn(struct jsonw *w, const char *s, size_t len);
void jw_str(struct jsonw *w, const char *s);
void jw_int(struct jsonw *w, long long v);
void jw_bool(struct jsonw *w, int v);
void jw_null(struct jsonw *w);
/* "key": for a key given as a string literal, measured at compile time */
#define JW_KEY(w, lit) jw_keyn((w), ",\"" lit "\":", sizeof(",\"" lit "\":") - 1)
/* quoted is ,"key": -- the comma is written only when one is needed */
void jw_keyn(struct jsonw *w, const char *quoted, size_t len);
/* "key":v, an integer member, written in one piece */
#define JW_KEY_INT(w, lit, v) jw_keyn_int((w), ",\"" lit "\":", sizeof(",\"" lit "\":") - 1, (v))
void jw_keyn_int(struct jsonw *w, const char *quoted, size_t len, long long v);
/* "key":"s", a string member of n bytes (null when s is NULL) */
#define JW_KEY_STRN(w, lit, s, n) \
	jw_keyn_strn((w), ",\"" lit "\":", sizeof(",\"" lit "\":") - 1, (s), (n))
#define JW_KEY_STR(w, lit, s) jw_keyn_str((w), ",\"" lit "\":", sizeof(",\"" lit "\":") - 1, (s))
void jw_keyn_str(struct jsonw *w, const char *quoted, size_t len, const char *s);
void jw_keyn_strn(struct jsonw *w, const char *quoted, size_t len, const char *s, size_t n);
/* opens an object whose first members are already in JSON form
 * ("{\"k\":v"); more members and jw_end_obj() follow */
void jw_obj_open(struct jsonw *w, const char *json, size_t len);
/* members already in JSON form, each led by its comma (",\"k\":v,\"l\":w"),
 * as a writer makes them after a first member; inside an object that has
 * one */
void jw_members(struct jsonw *w, const char *json, size_t len);
/* a value already in JSON form (from a JSON writer) */
void jw_raw(struct jsonw *w, const char *json, size_t len);

#endif
