/* role.c: what a catalog entry means for the sender, as a drawing role and a word. */
#include "role.h"

#include <string.h>

enum draw_role
view_entry_role(const struct cat_entry *e)
{
	const char *t = e->reason_type, *s = e->severity;

	/* block means refused for good but not the recipient's fault: only a
	 * permanent answer (or a code seen in no class) can be that; a
	 * transient one is soft whatever its reason */
	if (t && strcmp(t, "block") == 0 && (!s || !*s || strcmp(s, "hard") == 0))
		return ROLE_BLOCK;
	if (!s || !*s)
		s = t;
	if (!s)
		return ROLE_ENTRY;
	if (strcmp(s, "hard") == 0)
		return ROLE_HARD;
	if (strcmp(s, "soft") == 0)
		return ROLE_SOFT;
	if (strcmp(s, "block") == 0)
		return ROLE_BLOCK;
	if (strcmp(s, "success") == 0)
		return ROLE_SUCCESS;
	if (strcmp(s, "informational") == 0 || strcmp(s, "info") == 0)
		return ROLE_INFO;
	return ROLE_ENTRY;
}

const char *
view_role_word(enum draw_role role)
{
	switch (role) {
	case ROLE_HARD:
		return "HARD";
	case ROLE_SOFT:
		return "SOFT";
	case ROLE_BLOCK:
		return "BLOCK";
	case ROLE_SUCCESS:
		return "OK";
	case ROLE_INFO:
		return "INFO";
	default:
		return NULL;
	}
}
