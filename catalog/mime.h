/* mime.h: the transfer encodings of a bounce message, for the analyzer.
 *
 * Many NDRs (Exchange's, some Gmail and hosting ones) send their text
 * parts base64-encoded, and NDRs in other languages than English send
 * theirs quoted-printable with "=C3=A4" for an umlaut. The analyzer reads a
 * message as text, so before it does, such a message is copied with those
 * parts decoded, and so is a Subject written as "=?utf-8?Q?...?=". Everything else
 * (headers, boundaries, other parts) is copied as it is, so the analyzer's
 * reading of the structure does not change.
 */
#ifndef BOUNCE_CATALOG_MIME_H
#define BOUNCE_CATALOG_MIME_H

#include <stddef.h>

/* Copies the message in[0..len) to out with the bodies of its base64 and
 * quoted-printable parts of type text/... or message/(global-)delivery-status
 * (or of no type) decoded, and returns the length written. out must have
 * room for len bytes: decoding only shrinks. In base64, characters outside
 * the alphabet are skipped and a partial last group is dropped; in
 * quoted-printable, "=XX" is a byte, a final "=" joins lines, and anything
 * else is itself. A part ends at the next line that starts with "--".
 * The encoded words of the message's Subject (RFC 2047) are decoded too;
 * charsets are not converted. */
size_t
mime_decode_parts(const char *in, size_t len, char *out);

#endif
