/* The C peer of the matmul workload (workloads/README.md): dense double C = A x B, n x n,
 * row-major flat arrays, by the naive i-k-j loop (variant "naive", rows split over pthreads in
 * contiguous blocks) or by OpenBLAS's cblas_dgemm (variant "openblas"). */
#include <cblas.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peerkit.h"

/* One thread's share of the naive multiply: rows [lo, hi) of C. */
typedef struct {
    const double *a, *b;
    double *c;
    size_t n, lo, hi;
} rows_job;

/* The naive kernel over rows [lo, hi): those rows of C zeroed, then
 * for i { for k { a = A[i*n+k]; for j { C[i*n+j] += a * B[k*n+j] } } }.
 * The pointers are `restrict`: C never aliases A or B, and saying so is what a C programmer
 * writes in a numeric kernel. Without it GCC at -O2 must assume C[i*n+j] may overlap B and
 * leaves the inner loop scalar (scripts/check-vectorized.sh checks the built binary). */
static void *naive_rows(void *arg)
{
    const rows_job *job = arg;
    const double *restrict a = job->a, *restrict b = job->b;
    double *restrict c = job->c;
    const size_t n = job->n;
    memset(c + job->lo * n, 0, (job->hi - job->lo) * n * sizeof *c);
    for (size_t i = job->lo; i < job->hi; i++)
        for (size_t k = 0; k < n; k++) {
            const double aik = a[i * n + k];
            for (size_t j = 0; j < n; j++)
                c[i * n + j] += aik * b[k * n + j];
        }
    return NULL;
}

/* C = A x B by the naive loop; with threads > 1 the rows are split into `threads` contiguous
 * blocks, rows [t*n/threads, (t+1)*n/threads), one pthread each. */
static void naive(const double *a, const double *b, double *c, size_t n, size_t threads,
                  pthread_t *tids, rows_job *jobs)
{
    if (threads == 1) {
        rows_job job = {a, b, c, n, 0, n};
        naive_rows(&job);
        return;
    }
    for (size_t t = 0; t < threads; t++) {
        jobs[t] = (rows_job){a, b, c, n, t * n / threads, (t + 1) * n / threads};
        int err = pthread_create(&tids[t], NULL, naive_rows, &jobs[t]);
        if (err)
            pk_fail("cannot start matmul thread %zu of %zu: %s", t + 1, threads, strerror(err));
    }
    for (size_t t = 0; t < threads; t++) {
        int err = pthread_join(tids[t], NULL);
        if (err)
            pk_fail("cannot join matmul thread %zu: %s", t + 1, strerror(err));
    }
}

static double *alloc_doubles(size_t count)
{
    double *p = malloc(count * sizeof *p);
    if (!p)
        pk_fail("cannot allocate %zu doubles", count);
    return p;
}

int main(int argc, char **argv)
{
    static const char *const variants[] = {"naive", "openblas", NULL};
    pk_params p = pk_defaults("naive");
    p.size = 256;
    p.seed = 42;
    pk_parse(&p, argc, argv);
    pk_require_variant(&p, variants);
    if (p.size < 1)
        pk_usage("--size: matmul needs a matrix order >= 1");
    /* cblas_dgemm takes the order as an int; n*n doubles must fit the address space. */
    if (p.size > INT_MAX || (uint64_t)p.size * (uint64_t)p.size > SIZE_MAX / sizeof(double))
        pk_usage("--size: %lld is too large", (long long)p.size);
    const size_t n = (size_t)p.size, nn = n * n, threads = (size_t)p.threads;
    const bool blas = strcmp(p.variant, "openblas") == 0;

    /* Input, not timed: A then B from one splitmix64 stream. */
    pk_splitmix64 rng = {p.seed};
    double *a = alloc_doubles(nn), *b = alloc_doubles(nn), *c = alloc_doubles(nn);
    for (size_t i = 0; i < nn; i++)
        a[i] = pk_splitmix64_float(&rng);
    for (size_t i = 0; i < nn; i++)
        b[i] = pk_splitmix64_float(&rng);
    memset(c, 0, nn * sizeof *c);
    pthread_t *tids = calloc(threads, sizeof *tids);
    rows_job *jobs = calloc(threads, sizeof *jobs);
    if (!tids || !jobs)
        pk_fail("cannot allocate %zu thread slots", threads);
    if (blas)
        openblas_set_num_threads((int)threads);

    /* One untimed warm-up multiply (PROTOCOL.md) before the timed ones: it starts
     * OpenBLAS's thread pool and touches every page, so the timed region holds only
     * steady-state multiplies. Every multiply computes C from zero: the result is the same. */
    pk_region r;
    for (int64_t it = -1; it < p.iters; it++) {
        if (it == 0)
            pk_region_begin(&r, &p);
        if (blas)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n,
                        1.0, a, (int)n, b, (int)n, 0.0, c, (int)n);
        else
            naive(a, b, c, n, threads, tids, jobs);
    }
    pk_region_end(&r);

    /* Checksum: the sum of all entries in row-major order in one accumulator, then C[idx_k]
     * for k = 0..7, idx_k = (k * 0x9E3779B97F4A7C15 mod 2^64) mod (n*n); %.17g each. */
    double total = 0.0;
    for (size_t i = 0; i < nn; i++)
        total += c[i];
    char sum[9 * 32];
    int len = snprintf(sum, sizeof sum, "%.17g", total);
    for (uint64_t k = 0; k < 8; k++) {
        uint64_t idx = (k * UINT64_C(0x9E3779B97F4A7C15)) % (uint64_t)nn;
        len += snprintf(sum + len, sizeof sum - (size_t)len, " %.17g", c[idx]);
    }
    pk_region_report(&r, "matmul", &p, (uint64_t)p.iters, sum);
    free(a);
    free(b);
    free(c);
    free(tids);
    free(jobs);
    return 0;
}
