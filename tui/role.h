/* role.h: what a catalog entry means for the sender, as a drawing role (its badge word
 * is fmt_rating_word() of format.h).
 *
 * The lists, the detail pane and the analyzer colour an entry by the same
 * rule: hard, soft, block, success or info.
 */
#ifndef BOUNCE_TUI_ROLE_H
#define BOUNCE_TUI_ROLE_H

#include "bounce/catalog.h"
#include "draw.h"

/* The role of an entry by what it means for the sender: hard, soft, block,
 * success, info (or entry when it has no severity). */
enum draw_role
view_entry_role(const struct cat_entry *e);

/* The role of a diagnosis's type (hard, soft, block, info; entry for
 * unknown), for the analyzer and the Report view. */
enum draw_role
view_type_role(enum cat_type type);

#endif
