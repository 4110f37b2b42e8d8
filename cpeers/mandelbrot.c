/* The C peer of the mandelbrot workload (workloads/README.md): the Mandelbrot set on
 * [-1.5, 0.5] x [-1, 1] as an n x n PBM bitmap, 50 iterations per pixel; row y is computed by
 * pthread y mod threads. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peerkit.h"

#define WARMUP_SIZE 200

typedef struct {
    unsigned char *bits;
    size_t n, row_bytes, first, step;
} rows_job;

/* Rows first, first + step, ...: the leftmost pixel in the high bit, 1 for a point in the set. */
static void *rows(void *arg)
{
    const rows_job *job = arg;
    const size_t n = job->n;
    for (size_t y = job->first; y < n; y += job->step) {
        unsigned char *dst = job->bits + y * job->row_bytes;
        memset(dst, 0, job->row_bytes);
        const double ci = 2 * (double)y / (double)n - 1;
        for (size_t x = 0; x < n; x++) {
            const double cr = 2 * (double)x / (double)n - 1.5;
            double zr = 0, zi = 0, tr = 0, ti = 0;
            for (int i = 0; i < 50 && tr + ti <= 4; i++) {
                zi = 2 * zr * zi + ci;
                zr = tr - ti + cr;
                tr = zr * zr;
                ti = zi * zi;
            }
            if (tr + ti <= 4)
                dst[x / 8] |= (unsigned char)(0x80 >> (x % 8));
        }
    }
    return NULL;
}

/* The problem's program: "P4\nn n\n" then n rows of ceil(n/8) bytes, in a new buffer (as
 * the Go and Rust peers allocate theirs) of *len bytes. */
static unsigned char *run(size_t n, size_t threads, size_t *len, pthread_t *tids, rows_job *jobs)
{
    unsigned char *out = malloc(32 + (n + 7) / 8 * n);
    if (!out)
        pk_fail("cannot allocate a %zu x %zu bitmap", n, n);
    int header = sprintf((char *)out, "P4\n%zu %zu\n", n, n);
    const size_t row_bytes = (n + 7) / 8;
    for (size_t t = 0; t < threads; t++) {
        jobs[t] = (rows_job){out + header, n, row_bytes, t, threads};
        int err = pthread_create(&tids[t], NULL, rows, &jobs[t]);
        if (err)
            pk_fail("cannot start thread %zu of %zu: %s", t + 1, threads, strerror(err));
    }
    for (size_t t = 0; t < threads; t++)
        pthread_join(tids[t], NULL);
    *len = (size_t)header + row_bytes * n;
    return out;
}

int main(int argc, char **argv)
{
    static const char *const variants[] = {"std", NULL};
    pk_params p = pk_defaults("std");
    p.size = 200;
    pk_parse(&p, argc, argv);
    pk_require_variant(&p, variants);
    if (p.size < 1 || p.size > 32768)
        pk_usage("--size: mandelbrot needs a width in [1, 32768]");
    const size_t n = (size_t)p.size, threads = (size_t)p.threads;
    pthread_t *tids = calloc(threads, sizeof *tids);
    rows_job *jobs = calloc(threads, sizeof *jobs);
    if (!tids || !jobs)
        pk_fail("cannot allocate %zu thread slots", threads);
    size_t len = 0;
    free(run(n < WARMUP_SIZE ? n : WARMUP_SIZE, threads, &len, tids, jobs)); /* warm-up */
    unsigned char *out = NULL;
    pk_region r;
    pk_region_begin(&r, &p);
    for (int64_t it = 0; it < p.iters; it++) {
        free(out);
        out = run(n, threads, &len, tids, jobs);
    }
    pk_region_end(&r);
    char sum[17];
    pk_fnv1a64_hex(out, len, sum);
    pk_region_report(&r, "mandelbrot", &p, (uint64_t)p.iters, sum);
    free(out);
    free(tids);
    free(jobs);
    return 0;
}
