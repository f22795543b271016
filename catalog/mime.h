/* mime.h: the transfer encodings of a bounce message, for the analyzer.
 *
 * Many NDRs (Exchange's, some Gmail and hosting ones) send their text
 * parts base64-encoded. The analyzer reads a message as text, so before it
 * does, such a message is copied with those parts decoded. Everything else
 * (headers, boundaries, other parts) is copied as it is, so the analyzer's
 * reading of the structure does not change.
 */
#ifndef BOUNCE_CATALOG_MIME_H
#define BOUNCE_CATALOG_MIME_H

#include <stddef.h>

/* Copies the message in[0..len) to out with the bodies of its base64 parts
 * of type text/... or message/(global-)delivery-status (or of no type)
 * decoded, and returns the length written. out must have room for len
 * bytes: decoding only shrinks. Characters outside the base64 alphabet are
 * skipped, a partial last group is dropped; a part ends at the next line
 * that starts with "--". */
size_t
mime_decode_b64_parts(const char *in, size_t len, char *out);

#endif
