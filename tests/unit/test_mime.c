/*
 * test_mime.c -- mime_decode_parts(), the copy of a bounce message
 * with its base64 and quoted-printable text parts and its encoded-word
 * Subject decoded (catalog/mime.c).
 *
 * Table-driven: each case is a message and the copy it must give, byte for
 * byte. Then 20,000 random inputs (fixed seed) built from MIME-ish pieces:
 * the copy is never longer than the input (the caller's buffer is exactly
 * the input's size, so ASan sees any overrun).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mime.h"

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
	};
	char in[512], *out;
	size_t i, len, n;
	int ok = 1;

	CHECK_CASE("20000 random inputs");
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
		ok = CHECK(mime_decode_parts(in, len, out) <= len);
		free(out);
	}
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct mcase *c = &cases[i];
		size_t len = strlen(c->in), n;
		char *out = malloc(len + 1);

		CHECK_CASE("%s", c->name);
		if (!CHECK(out != NULL))
			continue;
		n = mime_decode_parts(c->in, len, out);
		out[n] = '\0';
		CHECK_STR_EQ(out, c->want);
		free(out);
	}
	test_random();
	return check_done();
}
