/* jobs.c: the ordered job pool that explain --lines and scan cut their input into.
 *
 * A job is free, being filled by the caller, ready, being run, or done;
 * jobs are numbered as they are handed in, and the next to finish is the
 * lowest number, so the output does not depend on the threads' timing. At
 * most n_jobs are in flight, so memory stays flat however long the input.
 * Without a finisher thread, the thread that hands jobs in finishes them
 * (and runs them itself while no worker runs); with one, that thread only
 * waits for a free slot. A helping caller (JOBS_HELP) runs the oldest job
 * not yet started when it would otherwise wait for the next to finish: on
 * two CPUs one worker and the caller then share the work as two threads,
 * where two workers and a caller that only counts (scan: a third of the
 * work) are three threads taking turns on two CPUs, each turn a wake-up.
 */
#ifdef __linux__
#define _GNU_SOURCE /* sched_getaffinity() */
#endif
#include "jobs.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "bounce/catalog.h"

enum job_state { JOB_FREE, JOB_FILLING, JOB_READY, JOB_BUSY, JOB_DONE };

struct slot {
	enum job_state state;
	unsigned long seq;
};

struct jobs {
	const struct jobs_ops *ops;
	void *ctx;
	char *data; /* n_jobs jobs of job_size bytes */
	size_t job_size;
	struct slot *slots;
	size_t n_jobs;
	unsigned long next_seq;   /* of the next job handed in */
	unsigned long finish_seq; /* of the next job to finish */
	void *own;                /* the caller's thread's local */
	unsigned want_threads, n_threads; /* workers */
	pthread_t threads[JOBS_MAX_THREADS];
	int finisher;  /* wanted */
	int help;      /* JOBS_HELP */
	int has_finisher; /* started with the workers: it alone finishes then */
	pthread_t fin;
	pthread_mutex_t mu;
	pthread_cond_t work;  /* a job is ready, or quit */
	pthread_cond_t done;  /* a job is done, or quit */
	pthread_cond_t freed; /* the finisher freed a job's slot, or failed */
	int quit;
	int failed; /* a finish returned -1 (finisher thread) */
};

static void *
job_at(const struct jobs *p, size_t k)
{
	return p->data + k * p->job_size;
}

static size_t
slot_of(const struct jobs *p, const void *job)
{
	return (size_t)((const char *)job - p->data) / p->job_size;
}

/* The job numbered seq when it is ready or later; the lock is held. */
static size_t
find_seq(const struct jobs *p, unsigned long seq)
{
	size_t k;

	for (k = 0; k < p->n_jobs; k++)
		if (p->slots[k].seq == seq && p->slots[k].state >= JOB_READY)
			return k;
	return (size_t)-1;
}

/* The oldest job ready and not started; the lock is held. */
static size_t
oldest_ready(const struct jobs *p)
{
	size_t k, j = (size_t)-1;

	for (k = 0; k < p->n_jobs; k++)
		if (p->slots[k].state == JOB_READY && (j == (size_t)-1 || p->slots[k].seq < p->slots[j].seq))
			j = k;
	return j;
}

static void *
worker(void *arg)
{
	struct jobs *p = arg;
	void *local = NULL;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		/* the oldest ready job: it is the next to be finished */
		size_t j = oldest_ready(p);

		if (j == (size_t)-1) {
			if (p->quit)
				break;
			pthread_cond_wait(&p->work, &p->mu);
			continue;
		}
		p->slots[j].state = JOB_BUSY;
		pthread_mutex_unlock(&p->mu);
		p->ops->run(p->ctx, job_at(p, j), &local);
		pthread_mutex_lock(&p->mu);
		p->slots[j].state = JOB_DONE;
		/* only the next to finish is waited for (the finisher, drain()) */
		if (p->slots[j].seq == p->finish_seq)
			pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	if (p->ops->local_free)
		p->ops->local_free(local);
	return NULL;
}

/* Finishes the jobs in order as they are done, until quit. After an error
 * it finishes no more (their slots are freed): the caller stops. */
static void *
finisher(void *arg)
{
	struct jobs *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		size_t k = p->quit ? (size_t)-1 : find_seq(p, p->finish_seq);
		int rc = 0, skip = p->failed;

		if (k == (size_t)-1 || p->slots[k].state != JOB_DONE) {
			if (p->quit)
				break;
			pthread_cond_wait(&p->done, &p->mu);
			continue;
		}
		pthread_mutex_unlock(&p->mu);
		if (!skip)
			rc = p->ops->finish(p->ctx, job_at(p, k));
		pthread_mutex_lock(&p->mu);
		p->slots[k].state = JOB_FREE;
		p->finish_seq++;
		if (rc)
			p->failed = 1;
		pthread_cond_broadcast(&p->freed);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Finishes every job that is done, in order; with `wait`, waits for the
 * next one first (or runs it, when no worker does or this thread helps).
 * -1 after an error. */
static int
drain(struct jobs *p, int wait)
{
	for (;;) {
		size_t k, h;
		int rc, run;

		pthread_mutex_lock(&p->mu);
		for (;;) {
			k = find_seq(p, p->finish_seq);
			if (k == (size_t)-1 || p->slots[k].state == JOB_DONE || !wait)
				break;
			if (p->slots[k].state == JOB_READY && (p->n_threads == 0 || p->help))
				break; /* nobody else will, or this thread helps: it runs it */
			if (p->help && (h = oldest_ready(p)) != (size_t)-1) {
				/* the next one is being run: a later one meanwhile */
				p->slots[h].state = JOB_BUSY;
				pthread_mutex_unlock(&p->mu);
				p->ops->run(p->ctx, job_at(p, h), &p->own);
				pthread_mutex_lock(&p->mu);
				p->slots[h].state = JOB_DONE;
				continue;
			}
			pthread_cond_wait(&p->done, &p->mu);
		}
		/* a helping caller runs a job only when it would wait: right
		 * after handing one in, the worker would find nothing to do */
		run = k != (size_t)-1 && p->slots[k].state == JOB_READY &&
		      (p->n_threads == 0 || (p->help && wait));
		if (run) {
			p->slots[k].state = JOB_BUSY;
		} else if (k == (size_t)-1 || p->slots[k].state != JOB_DONE) {
			pthread_mutex_unlock(&p->mu);
			return 0;
		}
		pthread_mutex_unlock(&p->mu);
		if (run)
			p->ops->run(p->ctx, job_at(p, k), &p->own);
		rc = p->ops->finish(p->ctx, job_at(p, k));
		pthread_mutex_lock(&p->mu);
		p->slots[k].state = JOB_FREE;
		p->finish_seq++;
		pthread_mutex_unlock(&p->mu);
		if (rc)
			return -1;
		wait = 0;
	}
}

static void
start_threads(struct jobs *p)
{
	while (p->n_threads < p->want_threads &&
	       pthread_create(&p->threads[p->n_threads], NULL, worker, p) == 0)
		p->n_threads++;
	/* without a finisher the caller's thread finishes (drain()) */
	if (p->finisher && p->n_threads && pthread_create(&p->fin, NULL, finisher, p) == 0)
		p->has_finisher = 1;
}

/* Whether the finisher thread failed; the lock is not held. */
static int
finisher_failed(struct jobs *p)
{
	int failed;

	pthread_mutex_lock(&p->mu);
	failed = p->failed;
	pthread_mutex_unlock(&p->mu);
	return failed;
}

struct jobs *
jobs_new(const struct jobs_ops *ops, void *ctx, size_t job_size, unsigned threads, size_t n_jobs,
	 int flags)
{
	struct jobs *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->ops = ops;
	p->ctx = ctx;
	p->job_size = job_size ? job_size : 1;
	p->n_jobs = n_jobs ? n_jobs : 1;
	if (!threads)
		threads = jobs_cpu_count();
	p->help = (flags & JOBS_HELP) != 0;
	/* a helping caller is one of the threads; one thread is the caller's */
	p->want_threads = p->help ? threads - 1 : threads > 1 ? threads : 0;
	if (p->want_threads > JOBS_MAX_THREADS)
		p->want_threads = JOBS_MAX_THREADS;
	p->finisher = (flags & JOBS_FINISHER) != 0;
	p->data = calloc(p->n_jobs, p->job_size);
	p->slots = calloc(p->n_jobs, sizeof(*p->slots));
	if (!p->data || !p->slots) {
		free(p->data);
		free(p->slots);
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	pthread_cond_init(&p->freed, NULL);
	return p;
}

void *
jobs_take(struct jobs *p)
{
	for (;;) {
		size_t k;

		pthread_mutex_lock(&p->mu);
		for (k = 0; k < p->n_jobs; k++)
			if (p->slots[k].state == JOB_FREE) {
				p->slots[k].state = JOB_FILLING;
				pthread_mutex_unlock(&p->mu);
				return job_at(p, k);
			}
		if (p->has_finisher) {
			/* the finisher frees them */
			if (p->failed) {
				pthread_mutex_unlock(&p->mu);
				return NULL;
			}
			pthread_cond_wait(&p->freed, &p->mu);
			pthread_mutex_unlock(&p->mu);
			continue;
		}
		pthread_mutex_unlock(&p->mu);
		if (drain(p, 1) != 0)
			return NULL;
	}
}

void
jobs_drop(struct jobs *p, void *job)
{
	pthread_mutex_lock(&p->mu);
	p->slots[slot_of(p, job)].state = JOB_FREE;
	pthread_mutex_unlock(&p->mu);
}

int
jobs_submit(struct jobs *p, void *job)
{
	struct slot *s = &p->slots[slot_of(p, job)];

	pthread_mutex_lock(&p->mu);
	s->seq = p->next_seq++;
	s->state = JOB_READY;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	/* the second job means a long input: now threads pay */
	if (p->n_threads == 0 && p->want_threads && s->seq >= 1)
		start_threads(p);
	if (p->has_finisher)
		return finisher_failed(p) ? -1 : 0;
	return drain(p, p->n_threads == 0);
}

int
jobs_wait(struct jobs *p)
{
	int rc = 0;

	if (p->has_finisher) {
		pthread_mutex_lock(&p->mu);
		while (!p->failed && p->finish_seq < p->next_seq)
			pthread_cond_wait(&p->freed, &p->mu);
		rc = p->failed ? -1 : 0;
		pthread_mutex_unlock(&p->mu);
	}
	while (rc == 0 && p->finish_seq < p->next_seq)
		rc = drain(p, 1);
	return rc;
}

void
jobs_free(struct jobs *p)
{
	size_t k;

	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	for (k = 0; k < p->n_jobs; k++)
		if (p->slots[k].state == JOB_READY)
			p->slots[k].state = JOB_FREE; /* not started: dropped */
	pthread_cond_broadcast(&p->work);
	pthread_cond_broadcast(&p->done);
	pthread_mutex_unlock(&p->mu);
	while (p->n_threads)
		pthread_join(p->threads[--p->n_threads], NULL);
	if (p->has_finisher)
		pthread_join(p->fin, NULL);
	for (k = 0; k < p->n_jobs && p->ops->clear; k++)
		p->ops->clear(p->ctx, job_at(p, k));
	if (p->ops->local_free)
		p->ops->local_free(p->own);
	free(p->data);
	free(p->slots);
	pthread_cond_destroy(&p->freed);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

void
jobs_free_analysis(void *local)
{
	cat_analysis_free(local);
}

unsigned
jobs_cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
#ifdef CPU_COUNT
	cpu_set_t set;

	/* the CPUs this process may run on (a container, taskset) */
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		n = CPU_COUNT(&set);
#endif
	return n < 1 ? 1 : n > JOBS_MAX_THREADS ? JOBS_MAX_THREADS : (unsigned)n;
}
