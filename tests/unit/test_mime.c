/*
 * test_mime.c -- the MIME reader (catalog/mime.c): its primitives (header
 * block end, field, content type, parameter, transfer encoding, boundary),
 * the part tree mime_walk() gives the message stage, and mime_decode_parts(),
 * the copy of a bounce message with its base64 and quoted-printable text
 * parts and its encoded-word Subject decoded.
 *
 * Table-driven: each primitive with its edge cases; each tree as a line of
 * the parts visited; each message and the copy it must give, byte for byte;
 * and the named rules where the tree and the copy read a message differently
 * (mime.h), shown on one message each. Then 20,000 random inputs (fixed
 * seed) built from MIME-ish pieces: the copy is never longer than the input
 * (the caller's buffer is exactly the input's size, so ASan sees any
 * overrun), and every part of the tree lies inside the input, in order.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mime.h"

/* ------------------------------------------------------------ primitives */

static void
test_primitives(void)
{
	static const char hdr[] = "From: a\r\nContent-Type: multipart/report;\r\n\tboundary=\"b 1\";"
				  " report-type=delivery-status\r\nX-Empty:\r\n\r\nbody\n";
	const char *end = hdr + sizeof(hdr) - 1, *he, *v, *ve, *pv, *pve;
	static const struct {
		const char *v;
		enum mime_type t;
	} types[] = {
		{ "text/plain; charset=utf-8", MIME_T_TEXT },
		{ " \tTEXT/html", MIME_T_TEXT },
		{ "text/rfc822-headers", MIME_T_ORIGINAL_HEADERS },
		{ "multipart/mixed", MIME_T_MULTIPART },
		{ "message/delivery-status", MIME_T_DSN },
		{ "message/global-delivery-status", MIME_T_DSN },
		{ "message/feedback-report", MIME_T_FEEDBACK },
		{ "message/rfc822", MIME_T_ORIGINAL },
		{ "message/global", MIME_T_ORIGINAL },
		{ "image/png", MIME_T_OTHER },
		{ "", MIME_T_OTHER },
	};
	size_t i;

	CHECK_CASE("mime_headers_end: the blank line, CRLF");
	he = mime_headers_end(hdr, end);
	CHECK(he != NULL && strncmp(he, "\r\nbody", 6) == 0);
	CHECK_CASE("mime_headers_end: a line that is no header, or no blank line");
	CHECK(mime_headers_end("From: a\nnot a header\n\n", strchr("", 0) + 0) == NULL);
	{
		static const char t1[] = "From: a\nnot a header\n\nx", t2[] = "From: a\nTo: b\n";

		CHECK(mime_headers_end(t1, t1 + sizeof(t1) - 1) == NULL);
		CHECK(mime_headers_end(t2, t2 + sizeof(t2) - 1) == NULL);
	}
	CHECK_CASE("mime_field: a folded value, unquoted blanks trimmed, any case");
	CHECK(mime_field(hdr, he, "content-type", &v, &ve));
	CHECK_INT_EQ(ve - v, strlen("multipart/report;\r\n\tboundary=\"b 1\"; report-type=delivery-status"));
	CHECK(strncmp(v, "multipart/report;", 17) == 0);
	CHECK_CASE("mime_field: an empty value, a missing field, a prefix of a name");
	CHECK(mime_field(hdr, he, "X-Empty", &pv, &pve) && pv == pve);
	CHECK(!mime_field(hdr, he, "Subject", &pv, &pve));
	CHECK(!mime_field(hdr, he, "Fro", &pv, &pve));
	CHECK_CASE("mime_param: quoted, unquoted, not inside another name");
	CHECK(mime_param(v, ve, "boundary", &pv, &pve) && pve - pv == 3 && memcmp(pv, "b 1", 3) == 0);
	CHECK(mime_param(v, ve, "report-type", &pv, &pve) && pve - pv == 15);
	CHECK(!mime_param(v, ve, "type", &pv, &pve));
	CHECK(!mime_param(v, ve, "charset", &pv, &pve));
	CHECK_CASE("mime_type_of");
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		CHECK_INT_EQ(mime_type_of(types[i].v, types[i].v + strlen(types[i].v)), types[i].t);
	CHECK_CASE("mime_encoding");
	v = " BASE64";
	CHECK_INT_EQ(mime_encoding(v, v + strlen(v)), MIME_ENC_BASE64);
	v = "Quoted-Printable";
	CHECK_INT_EQ(mime_encoding(v, v + strlen(v)), MIME_ENC_QP);
	v = "7bit";
	CHECK_INT_EQ(mime_encoding(v, v + strlen(v)), MIME_ENC_NONE);
	CHECK_CASE("mime_delimiter: a boundary, its closing line, another line, any '--' line");
	v = "--b 1";
	CHECK_INT_EQ(mime_delimiter(v, v + 5, "b 1", 3), 1);
	v = "--b 1--";
	CHECK_INT_EQ(mime_delimiter(v, v + 7, "b 1", 3), 2);
	v = "--b 2";
	CHECK_INT_EQ(mime_delimiter(v, v + 5, "b 1", 3), 0);
	CHECK_INT_EQ(mime_delimiter(v, v + 3, "b 1", 3), 0);
	CHECK_INT_EQ(mime_delimiter(v, v + 5, NULL, 0), 1);
	CHECK_INT_EQ(mime_delimiter(v, v + 1, NULL, 0), 0);
	v = "- -";
	CHECK_INT_EQ(mime_delimiter(v, v + 3, NULL, 0), 0);
}

/* ------------------------------------------------------------ the tree */

/* Each part as "depth letter(first bytes of its body)", letters by type,
 * lower case when the part has no header block, '*' after it when it needs
 * the decoded copy. */
struct trace {
	char s[512];
	size_t n;
	const char *in;
	int bad; /* a part outside the input, or out of order */
};

static void
trace_part(void *ctx, const struct mime_part *p)
{
	static const char letters[] = "NTMDFOHX";
	struct trace *t = ctx;
	size_t room = sizeof(t->s) - t->n, k;
	char body[9];
	int w;

	if (p->start < t->in || p->body < p->start || p->end < p->body || p->depth > MIME_DEPTH ||
	    (p->headers && (p->headers < p->start || p->headers > p->body)) || p->ct > p->ct_end)
		t->bad = 1;
	for (k = 0; k < 8 && p->body + k < p->end && p->body[k] != '\n'; k++)
		body[k] = p->body[k];
	body[k] = '\0';
	w = snprintf(t->s + t->n, room, "%s%d%c%s(%s)", t->n ? " " : "", p->depth,
		     p->headers ? letters[p->type] : letters[p->type] + 32,
		     mime_part_needs_decoding(p) ? "*" : "", body);
	if (w > 0 && (size_t)w < room)
		t->n += (size_t)w;
}

struct tcase {
	const char *name;
	const char *in;
	const char *want;
};

static const struct tcase trees[] = {
	{ "not a message: one part with no headers", "550 5.1.1 User unknown\n", "0n(550 5.1.)" },
	{ "headers with no Content-Type: text", "From: a\nSubject: b\n\nbody\n", "0N(body)" },
	{ "a report: text, DSN, the returned original visited but not entered",
	  "Content-Type: multipart/report; boundary=\"b\"\n\npreamble\n"
	  "--b\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\ndXNlcg==\n"
	  "--b\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n"
	  "--b\nContent-Type: message/rfc822\n\nContent-Type: text/plain\n\nhi\n"
	  "--b--\nepilogue\n",
	  "0M(preamble) 1T*(dXNlcg==) 1D(Status: ) 1O(Content-)" },
	{ "quoted-printable: the copy only for bytes beyond ASCII",
	  "Content-Type: multipart/mixed; boundary=x\n\n"
	  "--x\nContent-Transfer-Encoding: quoted-printable\n\na=3Db\n"
	  "--x\nContent-Transfer-Encoding: quoted-printable\n\nEmpf=C3=A4nger\n--x--\n",
	  "0M(--x) 1N(a=3Db) 1N*(Empf=C3=)" },
	{ "a part whose block has a line that is no header is text with no headers",
	  "Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\nhello\n\n"
	  "--x\nContent-Type: application/pdf\n\n%PDF\n",
	  "0M(--x) 1n(Content-) 1X(%PDF)" },
	{ "no boundary declared: the one the body uses",
	  "Content-Type: multipart/mixed\n\n--x\nContent-Type: text/plain\n\nhi\n", "0M(--x) 1T(hi)" },
	{ "a declared boundary that never appears: the one the body uses",
	  "Content-Type: multipart/report; boundary=\"gone\"\n\npreamble\n--real\n"
	  "Content-Type: text/plain\n\nhi\n--real\nContent-Type: message/delivery-status\n\n"
	  "Status: 5.1.1\n--real--\n",
	  "0M(preamble) 1T(hi) 1D(Status: )" },
	{ "no part under the declared boundary nor any other: the body is text",
	  "Content-Type: multipart/mixed; boundary=b\n\nhello\n", "0M(hello) 1n(hello)" },
	{ "text/plain over a body of parts whose delimiter comes back: a multipart",
	  "Content-Type: text/plain\n\n--b\nContent-Type: text/plain\n\nhi\n--b\n"
	  "Content-Type: message/delivery-status\n\nStatus: 5.1.1\n--b--\n",
	  "0M(--b) 1T(hi) 1D(Status: )" },
	{ "text quoting a message after a line of dashes stays text",
	  "Content-Type: text/plain\n\nwords\n------ This is a copy of the message\n"
	  "Content-Type: text/plain\n\nthe original\n",
	  "0T(words)" },
	{ "nested multiparts stop at MIME_DEPTH",
	  "Content-Type: multipart/a; boundary=1\n\n--1\n"
	  "Content-Type: multipart/a; boundary=2\n\n--2\n"
	  "Content-Type: multipart/a; boundary=3\n\n--3\n"
	  "Content-Type: multipart/a; boundary=4\n\n--4\n"
	  "Content-Type: multipart/a; boundary=5\n\n--5\n"
	  "Content-Type: multipart/a; boundary=6\n\n--6\n"
	  "Content-Type: multipart/a; boundary=7\n\n--7\n"
	  "Content-Type: text/plain\n\ndeep\n",
	  "0M(--1) 1M(--2) 2M(--3) 3M(--4) 4M(--5) 5M(--6) 6M(--7)" },
	{ "an ARF report",
	  "Content-Type: multipart/report; report-type=feedback-report; boundary=f\n\n"
	  "--f\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\n--f--\n",
	  "0M(--f) 1F(Feedback)" },
};

static void
test_trees(void)
{
	size_t i;

	for (i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		struct trace t = { "", 0, trees[i].in, 0 };

		CHECK_CASE("tree: %s", trees[i].name);
		mime_walk(trees[i].in, trees[i].in + strlen(trees[i].in), trace_part, &t);
		CHECK_STR_EQ(t.s, trees[i].want);
		CHECK(!t.bad);
	}
}

struct mcase {
	const char *name;
	const char *in;
	const char *want;
};

static const struct mcase cases[] = {
	{ "not a message: copied as it is", "550 5.1.1 User unknown\n",
	  "550 5.1.1 User unknown\n" },
	{ "a top-level text/plain part",
	  "Subject: x\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
	  "NTUyIDUuMi4yIE1haWxib3ggZnVsbA==\n",
	  "Subject: x\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
	  "552 5.2.2 Mailbox full" },
	{ "no Content-Type is text/plain, CRLF lines, wrapped groups",
	  "Subject: x\r\nContent-Transfer-Encoding: BASE64\r\n\r\nNTUy\r\nIDUu\r\nMi4y\r\n",
	  "Subject: x\r\nContent-Transfer-Encoding: BASE64\r\n\r\n552 5.2.2" },
	{ "padding: one and two bytes of a last group",
	  "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nQUI=\n--b\n"
	  "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nQQ==\n",
	  "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nAB--b\n"
	  "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nA" },
	{ "a multipart report: the text part and the DSN decoded, the image kept",
	  "Content-Type: multipart/report; boundary=\"b\"\n\npreamble\n"
	  "--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
	  "dXNlciB1bmtub3du\n"
	  "--b\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n"
	  "U3RhdHVzOiA1LjEuMQ==\n"
	  "--b\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0K\n"
	  "--b--\n",
	  "Content-Type: multipart/report; boundary=\"b\"\n\npreamble\n"
	  "--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
	  "user unknown"
	  "--b\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n"
	  "Status: 5.1.1"
	  "--b\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0K\n"
	  "--b--\n" },
	{ "a folded Content-Transfer-Encoding",
	  "Content-Type: text/plain\nContent-Transfer-Encoding:\n base64\n\nNTUw\n",
	  "Content-Type: text/plain\nContent-Transfer-Encoding:\n base64\n\n550" },
	{ "quoted-printable: escapes, soft breaks, a lone '=', trailing blanks",
	  "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
	  "Postfach des Empf=C3=A4ngers ist =\r\nvoll \r\na=3Db =ZZ =\n--b\nNTUw=\n",
	  "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
	  "Postfach des Empf\xc3\xa4ngers ist voll\r\na=b =ZZ --b\nNTUw=\n" },
	{ "7bit parts and image parts are left alone",
	  "Content-Type: text/plain\nContent-Transfer-Encoding: 7bit\n\nNTUw=3D\n"
	  "--b\nContent-Type: image/gif\nContent-Transfer-Encoding: quoted-printable\n\n=C3=A4\n",
	  "Content-Type: text/plain\nContent-Transfer-Encoding: 7bit\n\nNTUw=3D\n"
	  "--b\nContent-Type: image/gif\nContent-Transfer-Encoding: quoted-printable\n\n=C3=A4\n" },
	{ "Subject: encoded words in Q and B, the space between them dropped, folded lines",
	  "From: x\nSubject: =?utf-8?Q?Empf=C3=A4nger_?= =?UTF-8?b?dW5i?=\n =?utf-8?q?ekannt?= (2)\n\nbody\n",
	  "From: x\nSubject: Empf\xc3\xa4nger unb\n ekannt (2)\n\nbody\n" },
	{ "Subject: broken encoded words stay as they are",
	  "Subject: =?utf-8?Q?no end =?utf-8?X?y?= =?\n\n", "Subject: =?utf-8?Q?no end =?utf-8?X?y?= =?\n\n" },
	{ "a Subject after the message's own headers is not touched",
	  "From: x\n\n--b\nSubject: =?utf-8?Q?a?=\n\n", "From: x\n\n--b\nSubject: =?utf-8?Q?a?=\n\n" },
	{ "blank lines before the headers do not end them",
	  "\n \r\nSubject: =?utf-8?Q?a?=\nContent-Transfer-Encoding: base64\n\nNTUw\n",
	  "\n \r\nSubject: a\nContent-Transfer-Encoding: base64\n\n550" },
	{ "an escape cut by the end of the input stays as it is",
	  "Content-Transfer-Encoding: quoted-printable\n\nab=C", "Content-Transfer-Encoding: quoted-printable\n\nab=C" },
	{ "a '--' line that is not followed by headers stays text",
	  "Subject: x\n\n--\nContent-Transfer-Encoding: base64 is what we use\nNTUw\n",
	  "Subject: x\n\n--\nContent-Transfer-Encoding: base64 is what we use\nNTUw\n" },
	{ "bytes outside the alphabet are skipped", "Content-Transfer-Encoding: base64\n\nNT*U\x01w\n",
	  "Content-Transfer-Encoding: base64\n\n550" },
	{ "an unfinished group is dropped", "Content-Transfer-Encoding: base64\n\nNTUwN\n",
	  "Content-Transfer-Encoding: base64\n\n550" },
	/* the named rules where the copy reads otherwise than the tree (mime.h) */
	{ "MIME_RULE_DECODE_ANY_DASH_LINE: a '--' line inside a part ends its decoding",
	  "Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Transfer-Encoding: base64\n\n"
	  "NTUw\n-- sig\nNTUw\n--x--\n",
	  "Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Transfer-Encoding: base64\n\n"
	  "550-- sig\nNTUw\n--x--\n" },
	{ "MIME_RULE_DECODE_LOOSE_HEADERS: the first line that is no header starts the body",
	  "Content-Transfer-Encoding: base64\nNTUw\n\nNTUw\n",
	  "Content-Transfer-Encoding: base64\nNTUw\n\nNTUw\n" },
	{ "MIME_RULE_DECODE_ORIGINALS: text/rfc822-headers, the parts of a multipart original",
	  "Content-Type: multipart/report; boundary=b\n\n"
	  "--b\nContent-Type: text/rfc822-headers\nContent-Transfer-Encoding: base64\n\nNTUx\n"
	  "--b\nContent-Type: message/rfc822\n\nContent-Type: multipart/alternative; boundary=c\n\n"
	  "--c\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nNTUw\n--c--\n--b--\n",
	  "Content-Type: multipart/report; boundary=b\n\n"
	  "--b\nContent-Type: text/rfc822-headers\nContent-Transfer-Encoding: base64\n\n551"
	  "--b\nContent-Type: message/rfc822\n\nContent-Type: multipart/alternative; boundary=c\n\n"
	  "--c\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n550--c--\n--b--\n" },
	{ "MIME_RULE_DECODE_LOOSE_HEADERS: a '--' line right after another is no header: body",
	  "Content-Transfer-Encoding: base64\n\nNTUw\n--c--\n--b\nContent-Transfer-Encoding: base64\n\nNTUx\n",
	  "Content-Transfer-Encoding: base64\n\n550--c--\n--b\nContent-Transfer-Encoding: base64\n\nNTUx\n" },
	{ "MIME_RULE_WALK_QP_ONLY_BEYOND_ASCII: the copy decodes ASCII quoted-printable too",
	  "Content-Transfer-Encoding: quoted-printable\n\na=3Db=\nc\n",
	  "Content-Transfer-Encoding: quoted-printable\n\na=bc\n" },
};

static void
test_random(void)
{
	static const char *const pieces[] = {
		"Content-Type: text/plain\n", "Content-Transfer-Encoding: base64\n", "\n", "\r\n",
		"--b\n", "--b--\n", "QUJD", "QQ==", "QUI=", "=", "==\n", " base64\n", "x: y\n",
		"Content-Type: message/delivery-status\n", "\x80\xff", "-", "AAAA\n",
		"Content-Transfer-Encoding: quoted-printable\n", "=C3", "=A", "=\r\n", " \t",
		"Subject: ", "=?utf-8?Q?", "=?x?B?", "?=", "_", "?",
		"Content-Type: multipart/mixed; boundary=b\n", "Content-Type: message/rfc822\n",
	};
	char in[512], *out;
	size_t i, len, n;
	int ok = 1;

	CHECK_CASE("20000 random inputs: the copy no longer, the tree inside the input");
	for (i = 0; i < 20000 && ok; i++) {
		len = 0;
		for (n = check_rand() % 24; n > 0; n--) {
			const char *p = pieces[check_rand() % (sizeof(pieces) / sizeof(pieces[0]))];
			size_t pl = strlen(p);

			if (len + pl > sizeof(in))
				break;
			memcpy(in + len, p, pl);
			len += pl;
		}
		out = malloc(len ? len : 1);
		if (!out)
			break;
		ok = CHECK(mime_decode_parts(in, len, out, len) <= len);
		free(out);
		{
			struct trace t = { "", 0, in, 0 };

			mime_walk(in, in + len, trace_part, &t);
			ok = ok && CHECK(!t.bad);
		}
	}
}

/* Multiparts nested down to MIME_DEPTH, the deepest with a boundary that
 * never appears: its body is a part of its own one level down, which must
 * not pass MIME_DEPTH (found by fuzz_mime). */
static void
test_depth(void)
{
	char in[2048];
	size_t len = 0;
	int d;
	struct trace t = { "", 0, in, 0 };

	CHECK_CASE("a body read as text below the deepest multipart stays within MIME_DEPTH");
	for (d = 0; d < MIME_DEPTH; d++)
		len += (size_t)snprintf(in + len, sizeof(in) - len,
					"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n", d, d);
	len += (size_t)snprintf(in + len, sizeof(in) - len,
				"Content-Type: multipart/mixed; boundary=zz\n\nno delimiter line here\n");
	for (d = MIME_DEPTH - 1; d >= 0; d--)
		len += (size_t)snprintf(in + len, sizeof(in) - len, "--b%d--\n", d);
	mime_walk(in, in + len, trace_part, &t);
	CHECK(!t.bad);
}

int
main(void)
{
	size_t i;

	test_primitives();
	test_trees();
	test_depth();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct mcase *c = &cases[i];
		size_t len = strlen(c->in), n;
		char *out = malloc(len + 1);

		CHECK_CASE("%s", c->name);
		if (!CHECK(out != NULL))
			continue;
		n = mime_decode_parts(c->in, len, out, len);
		out[n] = '\0';
		CHECK_STR_EQ(out, c->want);
		free(out);
	}
	test_random();
	return check_done();
}
