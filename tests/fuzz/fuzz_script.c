/* fuzz_script.c: a libFuzzer target for the --script parser (tui/script.c):
 * the input is a script read from memory; every event is taken until the
 * end or an error, and a paste is read to its end (an overflow of the
 * paste buffer shows under ASan). See tests/fuzz/README. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script_event ev;
	struct script *s;
	unsigned long sum = 0;
	FILE *f;
	size_t i, events = 0;

	if (size == 0)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	s = script_open_stream(f, "fuzz.keys");
	if (!s)
		return 0;
	do {
		script_next(s, &ev);
		if (ev.kind == SCRIPT_PASTE)
			for (i = 0; i < ev.paste_len; i++)
				sum += (unsigned char)ev.paste[i];
		if (ev.kind == SCRIPT_ERROR && strncmp(ev.error, "fuzz.keys:", 10) != 0)
			abort();
	} while (ev.kind != SCRIPT_EOF && ev.kind != SCRIPT_ERROR && ++events < 100000);
	script_close(s);
	return (int)(sum & 0);
}
