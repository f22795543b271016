/* fuzz_mime.c: a libFuzzer target for the MIME reader (catalog/mime.c):
 * mime_walk() of the input, whose every part must lie inside it in order,
 * and mime_decode_parts() into a buffer exactly as long as the input (an
 * overflow shows under ASan), which may only shrink it; the decoded copy is
 * walked again. See tests/fuzz/README. */
#include "fuzz.h"

#include "mime.h"

struct walk {
	const char *s, *end;
	size_t parts;
};

static void
visit(void *ctx, const struct mime_part *p)
{
	struct walk *w = ctx;

	w->parts++;
	/* headers is NULL for a part without a header block */
	if (p->start < w->s || p->end > w->end || p->start > p->body || p->body > p->end ||
	    (p->headers && (p->start > p->headers || p->headers > p->body)))
		fuzz_die("fuzz_mime", "a part outside the message or out of order");
	if (p->ct && (p->ct < w->s || p->ct_end > w->end || p->ct > p->ct_end))
		fuzz_die("fuzz_mime", "a Content-Type outside the message");
	if (p->depth < 0 || p->depth > MIME_DEPTH)
		fuzz_die("fuzz_mime", "a part deeper than MIME_DEPTH");
	(void)mime_part_needs_decoding(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct walk w = { in, in + size, 0 };
	char *out;
	size_t n;

	mime_walk(in, in + size, visit, &w);
	out = malloc(size ? size : 1);
	if (!out)
		return 0;
	n = mime_decode_parts(in, size, out, size);
	if (n > size)
		fuzz_die("fuzz_mime", "the decoded copy is longer than the input");
	w.s = out;
	w.end = out + n;
	mime_walk(out, out + n, visit, &w);
	free(out);
	return 0;
}
