/* jobs.h: an ordered pool of jobs: worker threads run them in any order,
 * and they are finished (written, counted) in the order they were handed in. */
#ifndef BOUNCE_TUI_JOBS_H
#define BOUNCE_TUI_JOBS_H

#include <stddef.h>

/* The most worker threads a pool starts. */
enum { JOBS_MAX_THREADS = 8 };

/* How the thread that hands jobs in takes part (jobs_new()'s flags). */
enum {
	/* a thread of its own finishes the jobs once workers run (a writer
	 * that may block on a pipe leaves the reader free) */
	JOBS_FINISHER = 1,
	/* the caller's thread runs jobs too while it waits for the next one
	 * to finish, and counts as one of the threads */
	JOBS_HELP = 2,
};

/* What a pool does with its jobs; each gets the pool's ctx and a job (the
 * caller's struct, job_size bytes, zeroed when the pool is made). */
struct jobs_ops {
	/* Does a job's work. Any thread, the pool's lock not held; *local is
	 * the calling thread's own pointer (NULL at first), kept across its
	 * jobs and given to local_free at the end. */
	void (*run)(void *ctx, void *job, void **local);
	/* Finishes a job (writes its output, counts it), in the order jobs
	 * were handed in: by the thread that hands them in, or by the finisher
	 * thread when the pool has one. -1 stops the pool: no job after it is
	 * finished. */
	int (*finish)(void *ctx, void *job);
	/* Frees what a job holds (jobs_free()); may be NULL. */
	void (*clear)(void *ctx, void *job);
	/* Frees a thread's *local; may be NULL. */
	void (*local_free)(void *local);
};

struct jobs;

/* A pool of n_jobs slots (at least 1) of job_size bytes, run by `threads`
 * threads (0: one per CPU; at most JOBS_MAX_THREADS workers): workers,
 * started when the second job is handed in so that a short input never
 * starts one, and with JOBS_HELP the caller's thread; with one thread the
 * caller's thread runs every job itself. flags: JOBS_FINISHER, JOBS_HELP.
 * Returns owned memory, free with jobs_free(); NULL when out of memory. */
struct jobs *
jobs_new(const struct jobs_ops *ops, void *ctx, size_t job_size, unsigned threads, size_t n_jobs,
	 int flags);

/* A free job for the caller to fill; jobs done are finished to make one.
 * NULL after an error (a finish returned -1). */
void *
jobs_take(struct jobs *p);

/* Gives a job taken and not filled back. */
void
jobs_drop(struct jobs *p, void *job);

/* Hands a filled job in; without threads it is run and finished here.
 * Returns -1 after an error. */
int
jobs_submit(struct jobs *p, void *job);

/* Finishes every job handed in. Returns -1 after an error. */
int
jobs_wait(struct jobs *p);

/* Stops the threads (jobs handed in and not started are dropped), clears
 * every job and frees the pool. NULL is ignored. */
void
jobs_free(struct jobs *p);

/* A local_free for threads whose *local is a struct cat_analysis (of
 * cat_analyze()), as those of explain and scan are. */
void
jobs_free_analysis(void *local);

/* The CPUs this process may run on (its affinity: a container, taskset),
 * from 1 to JOBS_MAX_THREADS: the default number of worker threads. */
unsigned
jobs_cpu_count(void);

#endif
