/* proctime.c: times whole processes, fork to exit, for bench/run.sh.
 *
 *	proctime [-n RUNS] [-w WARMUP] [-t SECONDS] CMD [ARG]... [:: CMD [ARG]...]...
 *
 * Runs every command WARMUP times untimed, then RUNS times each, interleaved
 * (A B, B A, A B, ...) so that a slow phase of a noisy machine hits all of
 * them alike. Each run is timed with CLOCK_MONOTONIC from just before fork()
 * to the return of wait4(); the child has stdin and stdout on /dev/null
 * (stderr is kept). A run that exits non-zero, dies of a signal or outlives
 * the timeout (default 120 s: it is killed) counts as failed.
 *
 * Prints one tab-separated record per command (times in milliseconds):
 *	cmd	INDEX	MEDIAN	MIN	MAX	RUNS	MAXRSS_KB	FAILED
 * MAXRSS_KB is the largest ru_maxrss that wait4() reported for the command,
 * the figure GNU time -f %M shows. Linux counts the pre-exec image of the
 * child too, that is this small driver; its own VmHWM is printed as
 *	self_hwm_kb	KB
 * so a child figure near it means "no larger than the driver".
 */
#define _POSIX_C_SOURCE 200809L
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* wait4 */
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

enum { MAX_CMDS = 8 };

struct cmd {
	char **argv;
	double *t;
	long maxrss;
	int failed;
};

static volatile sig_atomic_t timed_out;

static void
on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* Runs argv once; returns the wall time in ms, or -1 on failure. */
static double
run_once(char **argv, int devnull, unsigned timeout, long *maxrss)
{
	struct rusage ru;
	double t0, t1;
	pid_t pid, w;
	int status;

	t0 = now_ms();
	pid = fork();
	if (pid < 0) {
		perror("proctime: fork");
		return -1;
	}
	if (pid == 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "proctime: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	timed_out = 0;
	alarm(timeout);
	while ((w = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR)
		if (timed_out) {
			fprintf(stderr, "proctime: %s: killed after %u s\n", argv[0], timeout);
			kill(pid, SIGKILL);
			timed_out = 0;
		}
	t1 = now_ms();
	alarm(0);
	if (w < 0) {
		perror("proctime: wait4");
		return -1;
	}
	if (ru.ru_maxrss > *maxrss)
		*maxrss = ru.ru_maxrss;
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "proctime: %s: killed by signal %d\n", argv[0], WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		fprintf(stderr, "proctime: %s: exit status %d\n", argv[0], WEXITSTATUS(status));
		return -1;
	}
	return t1 - t0;
}

static long
self_hwm_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

static void
usage(void)
{
	fputs("usage: proctime [-n RUNS] [-w WARMUP] [-t SECONDS] CMD [ARG]... [:: CMD...]...\n",
	      stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct cmd cmds[MAX_CMDS];
	struct sigaction sa;
	long runs = 20, warmup = 2, timeout = 120, i;
	int ncmd = 0, a = 1, c, devnull;

	while (a < argc && argv[a][0] == '-' && argv[a][1] && !argv[a][2] && a + 1 < argc) {
		long v = strtol(argv[a + 1], NULL, 10);

		switch (argv[a][1]) {
		case 'n':
			runs = v;
			break;
		case 'w':
			warmup = v;
			break;
		case 't':
			timeout = v;
			break;
		default:
			usage();
		}
		a += 2;
	}
	if (a >= argc || runs < 1 || warmup < 0 || timeout < 1)
		usage();
	memset(cmds, 0, sizeof(cmds));
	while (a < argc) {
		if (ncmd == MAX_CMDS)
			usage();
		cmds[ncmd].argv = argv + a;
		while (a < argc && strcmp(argv[a], "::") != 0)
			a++;
		if (a < argc)
			argv[a++] = NULL; /* terminates the previous command */
		if (!cmds[ncmd].argv[0])
			usage();
		cmds[ncmd].t = calloc((size_t)runs, sizeof(double));
		if (!cmds[ncmd].t)
			return 2;
		ncmd++;
	}
	devnull = open("/dev/null", O_RDWR);
	if (devnull < 0) {
		perror("/dev/null");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: wait4 returns EINTR */

	for (i = 0; i < warmup; i++)
		for (c = 0; c < ncmd; c++)
			if (run_once(cmds[c].argv, devnull, (unsigned)timeout, &cmds[c].maxrss) < 0)
				cmds[c].failed++;
	for (i = 0; i < runs; i++)
		for (c = 0; c < ncmd; c++) {
			struct cmd *m = &cmds[i % 2 ? ncmd - 1 - c : c];
			double t = run_once(m->argv, devnull, (unsigned)timeout, &m->maxrss);

			if (t < 0)
				m->failed++;
			m->t[i] = t;
		}

	printf("self_hwm_kb\t%ld\n", self_hwm_kb());
	for (c = 0; c < ncmd; c++) {
		double *t = cmds[c].t, med;

		qsort(t, (size_t)runs, sizeof(*t), cmp_double);
		med = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
		printf("cmd\t%d\t%.4f\t%.4f\t%.4f\t%ld\t%ld\t%d\n", c, med, t[0], t[runs - 1], runs,
		       cmds[c].maxrss, cmds[c].failed);
		free(t);
	}
	return 0;
}
