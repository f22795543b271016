/*
 * test_jsonw.c -- the JSON writer (catalog/jsonw.c): every JSON document
 * and NDJSON line of bounce is written by it.
 *
 * Each case writes a small document and compares it byte for byte:
 * integers at the edges of the two-digit formatting (0, 9, 10, 99, 100,
 * negative, the extremes of long long), alone and as members; strings with quotes, backslashes,
 * control bytes, DEL, C1 controls, invisible and bidirectional format
 * characters (escaped, so that a terminal showing the JSON shows them as
 * text), invalid UTF-8 (U+FFFD) and plain UTF-8 (kept); commas between
 * members and elements in nested objects and arrays; members and object
 * openings given in JSON form. Then the buffer is grown from empty many
 * times over and must still hold exactly what was written.
 * jw__plain_len(), which tests a whole log line 64 bytes at a time, and
 * its AVX2 form (where the processor has it) must give the byte loop's
 * count from every start of random lines of up to 200 bytes (plain runs
 * with the bytes at the edges of plain: 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff,
 * '"', '\\', CR, LF), which end at a page that cannot be read, so that a
 * load past the end crashes the test.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "jsonw.h"

static void
want(struct jsonw *w, const char *expected)
{
	CHECK(!w->oom);
	CHECK_STR_EQ(w->buf ? w->buf : "", expected);
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

int
main(void)
{
	struct jsonw w = { 0 };
	static const long long ints[] = { 0, 7, 9, 10, 42, 99, 100, 101, 999, 1000, 12345,
					  -1, -10, -100, 4294967296LL, LLONG_MAX, LLONG_MIN };
	static const char *const want_ints =
		"[0,7,9,10,42,99,100,101,999,1000,12345,-1,-10,-100,4294967296,"
		"9223372036854775807,-9223372036854775808]";
	size_t i;

	CHECK_CASE("integers");
	jw_arr(&w);
	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		jw_int(&w, ints[i]);
	jw_end_arr(&w);
	want(&w, want_ints);

	CHECK_CASE("every integer from -1000 to 100000 reads back");
	for (i = 0; i <= 101000; i++) {
		long long v = (long long)i - 1000;
		char *end;

		w.len = 0;
		w.need_comma = 0;
		jw_int(&w, v);
		if (!CHECK(w.buf && strtoll(w.buf, &end, 10) == v && *end == '\0'))
			break;
	}
	free(w.buf);
	memset(&w, 0, sizeof(w));

	CHECK_CASE("strings: escapes");
	jw_arr(&w);
	jw_str(&w, "say \"hi\" \\ there");
	jw_str(&w, "tab\there\nnew\rcr");
	jw_strn(&w, "nul\0byte", 8);
	jw_str(&w, "\x1b[31mred\x1b[0m \x7f");
	jw_str(&w, "c1 \xc2\x9b and nbsp \xc2\xa0");
	jw_str(&w, "bidi \xe2\x80\xae rlo, zwsp \xe2\x80\x8b, ls \xe2\x80\xa8, bom \xef\xbb\xbf");
	jw_str(&w, "soft\xc2\xadhyphen");
	jw_end_arr(&w);
	want(&w, "[\"say \\\"hi\\\" \\\\ there\",\"tab\\there\\nnew\\rcr\",\"nul\\u0000byte\","
		 "\"\\u001b[31mred\\u001b[0m \\u007f\",\"c1 \\u009b and nbsp \xc2\xa0\","
		 "\"bidi \\u202e rlo, zwsp \\u200b, ls \\u2028, bom \\ufeff\","
		 "\"soft\\u00adhyphen\"]");

	CHECK_CASE("strings: UTF-8 kept, invalid UTF-8 replaced");
	jw_arr(&w);
	jw_str(&w, "Empf\xc3\xa4nger unbekannt, bo\xc3\xaete pleine, \xe2\x82\xac, \xf0\x9f\x93\xa7");
	jw_str(&w, "Empf\xe4nger");       /* Latin-1 */
	jw_str(&w, "\xc3");               /* cut short */
	jw_str(&w, "\xed\xa0\x80 x");     /* a surrogate */
	jw_str(&w, "\xc0\xaf");           /* overlong */
	jw_str(&w, "\xf4\x90\x80\x80");   /* past U+10FFFF */
	jw_end_arr(&w);
	want(&w, "[\"Empf\xc3\xa4nger unbekannt, bo\xc3\xaete pleine, \xe2\x82\xac, "
		 "\xf0\x9f\x93\xa7\",\"Empf\\ufffdnger\",\"\\ufffd\",\"\\ufffd\\ufffd\\ufffd x\","
		 "\"\\ufffd\\ufffd\",\"\\ufffd\\ufffd\\ufffd\\ufffd\"]");

	/* the terminal sanitizer's list (cat_cp_invisible()) is the writer's:
	 * the Arabic letter mark, the Mongolian vowel separator, interlinear
	 * annotation and a tag character (a surrogate pair) */
	CHECK_CASE("strings: the invisible code points of cat_cp_invisible()");
	jw_arr(&w);
	jw_str(&w, "alm \xd8\x9c mvs \xe1\xa0\x8e ia \xef\xbf\xb9 tag \xf3\xa0\x80\x81.");
	jw_end_arr(&w);
	want(&w, "[\"alm \\u061c mvs \\u180e ia \\ufff9 tag \\udb40\\udc01.\"]");

	/* SQLite's JSON text under the same policy (cat_result_json) */
	CHECK_CASE("jw_clean");
	{
		static const char in[] = "{\"a\":\"c1 \xc2\x9b rlo \xe2\x80\xae bad \xff "
					 "del \x7f cut \xe2\x80\",\"b\":[1,\"\xc3\xa4\"]}";
		char *c = jw_clean(in, sizeof(in) - 1);

		if (CHECK(c != NULL))
			CHECK_STR_EQ(c, "{\"a\":\"c1 \\u009b rlo \\u202e bad \\ufffd del \\u007f cut "
					"\\ufffd\\ufffd\",\"b\":[1,\"\xc3\xa4\"]}");
		free(c);
	}

	CHECK_CASE("objects, arrays, keys, null, booleans, commas");
	jw_obj(&w);
	JW_KEY(&w, "a");
	jw_int(&w, 1);
	jw_key(&w, "b c");
	jw_arr(&w);
	jw_obj(&w);
	jw_end_obj(&w);
	jw_arr(&w);
	jw_end_arr(&w);
	jw_null(&w);
	jw_bool(&w, 1);
	jw_bool(&w, 0);
	jw_str(&w, NULL);
	jw_strn(&w, NULL, 3);
	jw_end_arr(&w);
	JW_KEY(&w, "d");
	jw_str(&w, "");
	jw_end_obj(&w);
	want(&w, "{\"a\":1,\"b c\":[{},[],null,true,false,null,null],\"d\":\"\"}");

	CHECK_CASE("integer members in one piece");
	jw_obj(&w);
	JW_KEY_INT(&w, "first", 0);
	JW_KEY_INT(&w, "n", -12345);
	JW_KEY_INT(&w, "big", LLONG_MIN);
	jw_end_obj(&w);
	jw_arr(&w);
	jw_obj(&w);
	JW_KEY_INT(&w, "start", 206);
	jw_end_obj(&w);
	jw_end_arr(&w);
	want(&w, "{\"first\":0,\"n\":-12345,\"big\":-9223372036854775808},[{\"start\":206}]");

	CHECK_CASE("string members in one piece, escaped when they must be");
	jw_obj(&w);
	JW_KEY_STR(&w, "a", "plain@example.com");
	JW_KEY_STR(&w, "b", "say \"x\"\n");
	JW_KEY_STR(&w, "c", NULL);
	JW_KEY_STRN(&w, "d", "abcdef", 3);
	JW_KEY_STRN(&w, "e", "\xff", 1);
	jw_end_obj(&w);
	want(&w, "{\"a\":\"plain@example.com\",\"b\":\"say \\\"x\\\"\\n\",\"c\":null,"
		 "\"d\":\"abc\",\"e\":\"\\ufffd\"}");

	CHECK_CASE("members and object openings in JSON form");
	jw_arr(&w);
	jw_obj_open(&w, "{\"rule\":\"reply:550\"", 19);
	JW_KEY(&w, "start");
	jw_int(&w, 0);
	jw_end_obj(&w);
	jw_obj_open(&w, "{\"rule\":\"x\"", 11);
	jw_end_obj(&w);
	jw_obj(&w);
	JW_KEY(&w, "a");
	jw_int(&w, 1);
	jw_members(&w, ",\"b\":2,\"c\":3", 12);
	JW_KEY(&w, "d");
	jw_raw(&w, "[4]", 3);
	jw_end_obj(&w);
	jw_raw(&w, "5", 1);
	jw_end_arr(&w);
	want(&w, "[{\"rule\":\"reply:550\",\"start\":0},{\"rule\":\"x\"},"
		 "{\"a\":1,\"b\":2,\"c\":3,\"d\":[4]},5]");

	CHECK_CASE("growth: a long document from an empty buffer");
	{
		char *expect = malloc(1 << 20);
		size_t n = 0;

		if (CHECK(expect != NULL)) {
			jw_arr(&w);
			expect[n++] = '[';
			for (i = 0; i < 20000; i++) {
				char num[24];

				snprintf(num, sizeof(num), "%zu", i * 7919);
				jw_str(&w, num);
				n += (size_t)snprintf(expect + n, (1 << 20) - n, "%s\"%s\"", i ? "," : "", num);
			}
			jw_end_arr(&w);
			expect[n++] = ']';
			expect[n] = '\0';
			CHECK_INT_EQ(w.len, n);
			want(&w, expect);
			free(expect);
		}
	}

	CHECK_CASE("plain_len: every start of random lines, against the byte loop");
	{
		static const char edges[] = "\x1f\x20\x7e\x7f\x80\xff\"\\\r\n";
		long page = sysconf(_SC_PAGESIZE);
		char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		unsigned seed = 4242;
		size_t round, len, k, bad = 0;

		if (CHECK(map != MAP_FAILED) &&
		    CHECK(mprotect(map + page, (size_t)page, PROT_NONE) == 0)) {
			for (round = 0; round < 1200; round++) {
				/* no odd byte in some rounds, one in about 200 to 4 */
				unsigned spread = (unsigned[]){ 0, 4, 30, 200 }[round % 4];
				unsigned char *line;

				len = (round / 4) % 201;
				line = (unsigned char *)map + page - len;
				for (k = 0; k < len; k++) {
					unsigned odd;

					seed = seed * 1103515245u + 12345u;
					odd = (seed >> 8) % (sizeof(edges) - 1);
					line[k] = spread && (seed >> 16) % spread == 0
							  ? (unsigned char)edges[odd]
							  : (unsigned char)(0x20 + (seed >> 20) % 0x5f);
					if (line[k] == '"' || line[k] == '\\')
						line[k] = 'q';
				}
				for (k = 0; k <= len; k++) {
					size_t ref = 0;

					while (k + ref < len && jw__plain[line[k + ref]])
						ref++;
					bad += jw__plain_len(line + k, len - k) != ref;
#ifdef JW_HAVE_AVX2
					if (__builtin_cpu_supports("avx2"))
						bad += jw__plain_len_avx2(line + k, len - k) != ref;
#endif
				}
			}
			CHECK_INT_EQ(bad, 0);
		}
		if (map != MAP_FAILED)
			munmap(map, (size_t)page * 2);
	}
	return check_done();
}
