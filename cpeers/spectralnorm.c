/* The C peer of the spectralnorm workload (workloads/README.md): the spectral norm of the
 * infinite matrix A(i,j) = 1/((i+j)(i+j+1)/2 + i + 1) truncated to n x n, by 10 rounds of the
 * power method on AtA; rows of each product split over pthreads in contiguous blocks. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peerkit.h"

#define WARMUP_SIZE 100

static double a(size_t i, size_t j)
{
    return 1.0 / (double)((i + j) * (i + j + 1) / 2 + i + 1);
}

/* One thread's rows [lo, hi) of out = A v (transposed: out = At v). */
typedef struct {
    const double *v;
    double *out;
    size_t n, lo, hi;
    int transposed;
} mul_job;

static void *mul_rows(void *arg)
{
    const mul_job *job = arg;
    const double *v = job->v;
    for (size_t i = job->lo; i < job->hi; i++) {
        double sum = 0.0;
        if (job->transposed)
            for (size_t j = 0; j < job->n; j++)
                sum += a(j, i) * v[j];
        else
            for (size_t j = 0; j < job->n; j++)
                sum += a(i, j) * v[j];
        job->out[i] = sum;
    }
    return NULL;
}

/* out = A v or At v, rows split into `threads` contiguous blocks, one pthread each. */
static void mul(const double *v, double *out, size_t n, int transposed, size_t threads,
                pthread_t *tids, mul_job *jobs)
{
    if (threads == 1) {
        mul_job job = {v, out, n, 0, n, transposed};
        mul_rows(&job);
        return;
    }
    for (size_t t = 0; t < threads; t++) {
        jobs[t] = (mul_job){v, out, n, t * n / threads, (t + 1) * n / threads, transposed};
        int err = pthread_create(&tids[t], NULL, mul_rows, &jobs[t]);
        if (err)
            pk_fail("cannot start thread %zu of %zu: %s", t + 1, threads, strerror(err));
    }
    for (size_t t = 0; t < threads; t++)
        pthread_join(tids[t], NULL);
}

/* The problem's program: the norm printed with %.9f and a newline, into out. */
static size_t run(int64_t size, size_t threads, char *out, size_t cap)
{
    const size_t n = (size_t)size;
    double *u = malloc(n * sizeof *u), *v = malloc(n * sizeof *v), *tmp = malloc(n * sizeof *tmp);
    pthread_t *tids = calloc(threads, sizeof *tids);
    mul_job *jobs = calloc(threads, sizeof *jobs);
    if (!u || !v || !tmp || !tids || !jobs)
        pk_fail("cannot allocate vectors of %zu doubles", n);
    for (size_t i = 0; i < n; i++)
        u[i] = 1.0;
    for (int k = 0; k < 10; k++) {
        mul(u, tmp, n, 0, threads, tids, jobs); /* v = At A u */
        mul(tmp, v, n, 1, threads, tids, jobs);
        mul(v, tmp, n, 0, threads, tids, jobs); /* u = At A v */
        mul(tmp, u, n, 1, threads, tids, jobs);
    }
    double vBv = 0, vv = 0;
    for (size_t i = 0; i < n; i++) {
        vBv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    free(u);
    free(v);
    free(tmp);
    free(tids);
    free(jobs);
    return (size_t)snprintf(out, cap, "%.9f\n", sqrt(vBv / vv));
}

int main(int argc, char **argv)
{
    static const pk_kernel k = {
        .name = "spectralnorm",
        .default_size = 100,
        .max_size = 1 << 24,
        .size_what = "an order",
        .warmup_size = WARMUP_SIZE,
        .out_cap = 64,
        .run = run,
    };
    return pk_kernel_main(&k, argc, argv);
}
