/* role.c: what a catalog entry means for the sender, as a drawing role. */
#include "role.h"

#include "format.h"

enum draw_role
view_entry_role(const struct cat_entry *e)
{
	switch (fmt_entry_rating(e)) {
	case FMT_RATING_HARD:
		return ROLE_HARD;
	case FMT_RATING_SOFT:
		return ROLE_SOFT;
	case FMT_RATING_BLOCK:
		return ROLE_BLOCK;
	case FMT_RATING_SUCCESS:
		return ROLE_SUCCESS;
	case FMT_RATING_INFO:
		return ROLE_INFO;
	default:
		return ROLE_ENTRY;
	}
}

enum draw_role
view_type_role(enum cat_type type)
{
	switch (type) {
	case CAT_TYPE_HARD:
		return ROLE_HARD;
	case CAT_TYPE_SOFT:
		return ROLE_SOFT;
	case CAT_TYPE_BLOCK:
		return ROLE_BLOCK;
	case CAT_TYPE_INFO:
		return ROLE_INFO;
	default:
		return ROLE_ENTRY;
	}
}
