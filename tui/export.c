/* export.c: --export-db, with its temporary file removed on a signal. */
#include "export.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Written by the engine, read by the handler: the handler may only unlink. */
static struct cat_export_tmp export_tmp;

static const int export_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

enum { N_EXPORT_SIGNALS = sizeof(export_signals) / sizeof(export_signals[0]) };

static void
on_export_signal(int sig)
{
	if (export_tmp.active)
		unlink(export_tmp.name);
	/* then the signal's own action: the exit status says what ended us */
	signal(sig, SIG_DFL);
	raise(sig);
}

int
export_db(struct catalog *cat, const char *path)
{
	struct sigaction sa, old[N_EXPORT_SIGNALS];
	struct cat_error err;
	enum cat_status st;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_export_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < N_EXPORT_SIGNALS; i++)
		sigaddset(&sa.sa_mask, export_signals[i]);
	/* a signal ignored on entry stays ignored (nohup, a background job) */
	for (i = 0; i < N_EXPORT_SIGNALS; i++)
		if (sigaction(export_signals[i], NULL, &old[i]) == 0 && old[i].sa_handler != SIG_IGN)
			sigaction(export_signals[i], &sa, NULL);
	st = cat_export_db_tmp(cat, path, &export_tmp, &err);
	for (i = 0; i < N_EXPORT_SIGNALS; i++)
		sigaction(export_signals[i], &old[i], NULL);
	if (st != CAT_OK) {
		cli_error("%s", err.msg);
		return -1;
	}
	return 0;
}
