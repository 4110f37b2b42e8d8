/* The C peer of the fannkuch workload (workloads/README.md): the fannkuch-redux problem, every
 * permutation of 0..n-1 in the problem's order, its pancake flips counted; the permutation
 * indices are split into contiguous blocks, one pthread each. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peerkit.h"

#define MAX_N 12
#define WARMUP_SIZE 7

/* One thread's block of permutation indices [lo, hi) and what it found. */
typedef struct {
    int n;
    const int64_t *fact;
    int64_t lo, hi;
    int64_t checksum;
    int max_flips;
} block_job;

/* Moves p's first element to the end of p[0..len). */
static void rotate(int *p, int len)
{
    int first = p[0];
    memmove(p, p + 1, (size_t)(len - 1) * sizeof *p);
    p[len - 1] = first;
}

/* Visits permutations [lo, hi): the signed flip sum (+ for even indices, - for odd) and the
 * largest flip count. */
static void *block(void *arg)
{
    block_job *job = arg;
    const int n = job->n;
    job->checksum = 0;
    job->max_flips = 0;
    if (job->lo >= job->hi)
        return NULL;
    int perm[MAX_N], count[MAX_N] = {0}, flipped[MAX_N];
    /* The permutation with index lo: its digits in the factorial base say how far to rotate
     * each prefix. */
    for (int i = 0; i < n; i++)
        perm[i] = i;
    int64_t rest = job->lo;
    for (int i = n - 1; i > 0; i--) {
        int64_t d = rest / job->fact[i];
        rest %= job->fact[i];
        count[i] = (int)d;
        for (int64_t k = 0; k < d; k++)
            rotate(perm, i + 1);
    }
    for (int64_t idx = job->lo;; idx++) {
        if (perm[0] != 0) {
            memcpy(flipped, perm, (size_t)n * sizeof *perm);
            int flips = 0;
            for (int k = flipped[0]; k != 0; k = flipped[0]) {
                for (int i = 0, j = k; i < j; i++, j--) {
                    int t = flipped[i];
                    flipped[i] = flipped[j];
                    flipped[j] = t;
                }
                flips++;
            }
            if (flips > job->max_flips)
                job->max_flips = flips;
            job->checksum += idx % 2 == 0 ? flips : -flips;
        }
        if (idx + 1 == job->hi)
            return NULL;
        /* The next permutation: rotate the prefix of length i+1 left by one, carrying into
         * longer prefixes as the counters wrap. */
        for (int i = 1;; i++) {
            rotate(perm, i + 1);
            if (++count[i] <= i)
                break;
            count[i] = 0;
        }
    }
}

/* The problem's program: the checksum, then "Pfannkuchen(n) = maxflips", into out. */
static size_t run(int64_t size, size_t threads, char *out, size_t cap)
{
    const int n = (int)size;
    int64_t fact[MAX_N + 1];
    fact[0] = 1;
    for (int i = 1; i <= n; i++)
        fact[i] = fact[i - 1] * i;
    const int64_t total = fact[n];
    block_job *jobs = calloc(threads, sizeof *jobs);
    pthread_t *tids = calloc(threads, sizeof *tids);
    if (!jobs || !tids)
        pk_fail("cannot allocate %zu thread slots", threads);
    for (size_t t = 0; t < threads; t++) {
        jobs[t] = (block_job){n, fact, (int64_t)t * total / (int64_t)threads,
                              (int64_t)(t + 1) * total / (int64_t)threads, 0, 0};
        int err = pthread_create(&tids[t], NULL, block, &jobs[t]);
        if (err)
            pk_fail("cannot start thread %zu of %zu: %s", t + 1, threads, strerror(err));
    }
    int64_t checksum = 0;
    int max_flips = 0;
    for (size_t t = 0; t < threads; t++) {
        pthread_join(tids[t], NULL);
        checksum += jobs[t].checksum;
        if (jobs[t].max_flips > max_flips)
            max_flips = jobs[t].max_flips;
    }
    free(jobs);
    free(tids);
    return (size_t)snprintf(out, cap, "%lld\nPfannkuchen(%d) = %d\n", (long long)checksum, n, max_flips);
}

int main(int argc, char **argv)
{
    static const pk_kernel k = {
        .name = "fannkuch",
        .default_size = 7,
        .max_size = MAX_N,
        .size_what = "n",
        .warmup_size = WARMUP_SIZE,
        .out_cap = 96,
        .run = run,
    };
    return pk_kernel_main(&k, argc, argv);
}
