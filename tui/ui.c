/* ui.c: the status line and dying, which every part of the browser uses. */
#include "ui.h"

#include <stdarg.h>
#include <stdio.h>

#include "display.h"

void
ui_die(const char *what)
{
	display_die("%s", what);
}

void
ui_status(struct ui *ui, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	ui->status_error = error;
}
