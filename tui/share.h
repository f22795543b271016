/* share.h: what the browser hands to the world: copy, open, pipe and save.
 *
 * The thing shown (an entry, or the analyzer's diagnosis with its input)
 * comes from the view on screen as text (view_ops.text) or as a web page
 * (view_ops.url). y copies the text through OSC 52; o opens the page with
 * xdg-open when there is a display, else shows its address; | and s ask for
 * a command or a file name on the status line (ui->prompt '|' or 's', and
 * 'S' to confirm an overwrite) and then pipe or save the text.
 */
#ifndef BOUNCE_TUI_SHARE_H
#define BOUNCE_TUI_SHARE_H

struct ui;
struct view;

/* y: copies what v shows to the clipboard. */
void
share_copy(struct ui *ui, struct view *v);

/* o: opens the page of what v shows, or shows its address. */
void
share_open_link(struct ui *ui, struct view *v);

/* | (kind '|') or s (kind 's'): opens the prompt for what v shows. */
void
share_ask(struct ui *ui, struct view *v, int kind);

/* A key while one of those prompts is open. */
void
share_key(struct ui *ui, int key);

/* Non-zero when the prompt open is one of share's (not the search's). */
int
share_prompting(const struct ui *ui);

#endif
