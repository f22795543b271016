/* pipetime.c: times whole processes that write to a pipe, for bench/run.sh.
 *
 *	pipetime [-n RUNS] [-w WARMUP] [-t SECONDS] CMD [ARG]... [:: CMD [ARG]...]...
 *
 * Like proctime, but the child's standard output is a pipe that this
 * process drains (counting bytes and newlines), as in 'CMD | consumer':
 * GNU grep stops at the first match when its output is /dev/null, even with
 * -c, and a program that writes much pays for the pipe as it would in real
 * use. Standard input is /dev/null, standard error is kept. Every command
 * runs WARMUP times untimed, then RUNS times each, interleaved (A B, B A,
 * ...). A run is timed with CLOCK_MONOTONIC from just before fork() to the
 * return of wait4(), after the pipe reached end of file. A run that exits
 * non-zero, dies of a signal or outlives the timeout (default 300 s: it is
 * killed) counts as failed.
 *
 * Prints one tab-separated record per command (times in milliseconds):
 *	cmd	INDEX	MEDIAN	MIN	MAX	RUNS	MAXRSS_KB	FAILED	OUT_BYTES	OUT_LINES
 * OUT_BYTES and OUT_LINES are those of the last run. MAXRSS_KB is wait4's
 * ru_maxrss (it counts the pre-exec image too; bench/hwm.c gives VmHWM).
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

enum { MAX_CMDS = 8, BUF = 1 << 20 };

struct cmd {
	char **argv;
	double *t;
	long maxrss;
	int failed;
	unsigned long long bytes, lines;
};

static volatile sig_atomic_t timed_out;
static char buf[BUF];

static void
on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* Runs c once; returns the wall time in ms, or -1 on failure. */
static double
run_once(struct cmd *c, int devnull, unsigned timeout)
{
	unsigned long long bytes = 0, lines = 0;
	struct rusage ru;
	double t0, t1;
	int fd[2], status, killed = 0;
	pid_t pid, w;

	if (pipe(fd) != 0) {
		perror("pipetime: pipe");
		return -1;
	}
	t0 = now_ms();
	pid = fork();
	if (pid < 0) {
		perror("pipetime: fork");
		return -1;
	}
	if (pid == 0) {
		close(fd[0]);
		dup2(devnull, STDIN_FILENO);
		dup2(fd[1], STDOUT_FILENO);
		close(fd[1]);
		execvp(c->argv[0], c->argv);
		fprintf(stderr, "pipetime: %s: %s\n", c->argv[0], strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	timed_out = 0;
	alarm(timeout);
	for (;;) {
		ssize_t r = read(fd[0], buf, sizeof(buf));
		const char *p, *end;

		if (r < 0 && errno == EINTR) {
			if (timed_out && !killed) {
				fprintf(stderr, "pipetime: %s: killed after %u s\n", c->argv[0], timeout);
				kill(pid, SIGKILL);
				killed = 1;
			}
			continue;
		}
		if (r <= 0)
			break;
		bytes += (unsigned long long)r;
		for (p = buf, end = buf + r; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
			lines++;
	}
	close(fd[0]);
	while ((w = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR)
		if (timed_out && !killed) {
			kill(pid, SIGKILL);
			killed = 1;
		}
	t1 = now_ms();
	alarm(0);
	if (w < 0) {
		perror("pipetime: wait4");
		return -1;
	}
	if (ru.ru_maxrss > c->maxrss)
		c->maxrss = ru.ru_maxrss;
	c->bytes = bytes;
	c->lines = lines;
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "pipetime: %s: killed by signal %d\n", c->argv[0], WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		fprintf(stderr, "pipetime: %s: exit status %d\n", c->argv[0], WEXITSTATUS(status));
		return -1;
	}
	return t1 - t0;
}

static void
usage(void)
{
	fputs("usage: pipetime [-n RUNS] [-w WARMUP] [-t SECONDS] CMD [ARG]... [:: CMD...]...\n",
	      stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct cmd cmds[MAX_CMDS];
	struct sigaction sa;
	long runs = 5, warmup = 1, timeout = 300, i;
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
			argv[a++] = NULL;
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
	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: read and wait4 return EINTR */

	for (i = 0; i < warmup; i++)
		for (c = 0; c < ncmd; c++)
			if (run_once(&cmds[c], devnull, (unsigned)timeout) < 0)
				cmds[c].failed++;
	for (i = 0; i < runs; i++)
		for (c = 0; c < ncmd; c++) {
			struct cmd *m = &cmds[i % 2 ? ncmd - 1 - c : c];
			double t = run_once(m, devnull, (unsigned)timeout);

			if (t < 0)
				m->failed++;
			m->t[i] = t;
		}
	for (c = 0; c < ncmd; c++) {
		double *t = cmds[c].t, med;

		qsort(t, (size_t)runs, sizeof(*t), cmp_double);
		med = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
		printf("cmd\t%d\t%.4f\t%.4f\t%.4f\t%ld\t%ld\t%d\t%llu\t%llu\n", c, med, t[0],
		       t[runs - 1], runs, cmds[c].maxrss, cmds[c].failed, cmds[c].bytes,
		       cmds[c].lines);
		free(t);
	}
	return 0;
}
