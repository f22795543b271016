/*
 * corpus_names.h -- the names of the *.txt inputs of a directory, sorted,
 * for the unit tests that walk the corpus (test_analyze.c, test_corpus.c,
 * test_memo.c).  Standard C and POSIX only, no engine header.
 */
#ifndef BOUNCE_TESTS_CORPUS_NAMES_H
#define BOUNCE_TESTS_CORPUS_NAMES_H

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static inline int
corpus_names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline void
corpus_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Sets *out to the sorted names of dir's *.txt files (with ".txt" when
 * keep_ext, without it otherwise) and *n to their count; *out is NULL
 * when there are none.  Returns -1, with nothing to free, when the
 * directory cannot be read or memory runs out: a corpus read in part
 * would let a test pass on less than it claims. */
static inline int
corpus_names(const char *dir, int keep_ext, char ***out, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL, **nv;
	size_t cap = 0, k = 0, len;

	*out = NULL;
	*n = 0;
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len <= 4 || strcmp(e->d_name + len - 4, ".txt") != 0)
			continue;
		if (k == cap) {
			cap = cap ? cap * 2 : 256;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				goto fail;
			v = nv;
		}
		if ((v[k] = strndup(e->d_name, keep_ext ? len : len - 4)) == NULL)
			goto fail;
		k++;
	}
	closedir(d);
	if (k > 0)
		qsort(v, k, sizeof(*v), corpus_names_cmp);
	*out = v;
	*n = k;
	return 0;
fail:
	closedir(d);
	corpus_names_free(v, k);
	return -1;
}

#endif
