/* The C peer of the binarytrees workload (workloads/README.md): the binary-trees problem, every
 * node its own malloc and free (glibc's allocator); the trees of each depth are split into
 * contiguous shares, one pthread each. */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peerkit.h"

#define MIN_DEPTH 4
#define WARMUP_SIZE 10

typedef struct node {
    struct node *left, *right;
} node;

/* A perfect tree of the given depth (depth 0 is one node). */
static node *bottom_up(int depth)
{
    node *n = malloc(sizeof *n);
    if (!n)
        pk_fail("out of memory");
    if (depth > 0) {
        n->left = bottom_up(depth - 1);
        n->right = bottom_up(depth - 1);
    } else {
        n->left = n->right = NULL;
    }
    return n;
}

/* The number of nodes. */
static int64_t check(const node *n)
{
    if (!n->left)
        return 1;
    return 1 + check(n->left) + check(n->right);
}

static void free_tree(node *n)
{
    if (n->left) {
        free_tree(n->left);
        free_tree(n->right);
    }
    free(n);
}

/* One thread's share of the trees of one depth. */
typedef struct {
    int depth;
    int64_t count, check;
} share_job;

static void *share(void *arg)
{
    share_job *job = arg;
    job->check = 0;
    for (int64_t i = 0; i < job->count; i++) {
        node *t = bottom_up(job->depth);
        job->check += check(t);
        free_tree(t);
    }
    return NULL;
}

/* Appends to the output text out (len bytes used of cap). */
__attribute__((format(printf, 4, 5))) static void emit(char *out, size_t cap, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    *len += (size_t)vsnprintf(out + *len, cap - *len, fmt, ap);
    va_end(ap);
}

/* The problem's program and its output lines, into out; returns the length. */
static size_t run(int64_t size, size_t threads, char *out, size_t cap)
{
    const int n = (int)size;
    const int max_depth = n > MIN_DEPTH + 2 ? n : MIN_DEPTH + 2;
    size_t len = 0;
    node *stretch = bottom_up(max_depth + 1);
    emit(out, cap, &len, "stretch tree of depth %d\t check: %lld\n", max_depth + 1,
         (long long)check(stretch));
    free_tree(stretch);
    node *long_lived = bottom_up(max_depth);
    share_job *jobs = calloc(threads, sizeof *jobs);
    pthread_t *tids = calloc(threads, sizeof *tids);
    if (!jobs || !tids)
        pk_fail("cannot allocate %zu thread slots", threads);
    for (int depth = MIN_DEPTH; depth <= max_depth; depth += 2) {
        const int64_t iters = INT64_C(1) << (max_depth - depth + MIN_DEPTH);
        for (size_t t = 0; t < threads; t++) {
            int64_t lo = (int64_t)t * iters / (int64_t)threads;
            int64_t hi = (int64_t)(t + 1) * iters / (int64_t)threads;
            jobs[t] = (share_job){depth, hi - lo, 0};
            int err = pthread_create(&tids[t], NULL, share, &jobs[t]);
            if (err)
                pk_fail("cannot start thread %zu of %zu: %s", t + 1, threads, strerror(err));
        }
        int64_t total = 0;
        for (size_t t = 0; t < threads; t++) {
            pthread_join(tids[t], NULL);
            total += jobs[t].check;
        }
        emit(out, cap, &len, "%lld\t trees of depth %d\t check: %lld\n", (long long)iters, depth,
             (long long)total);
    }
    emit(out, cap, &len, "long lived tree of depth %d\t check: %lld\n", max_depth,
         (long long)check(long_lived));
    free_tree(long_lived);
    free(jobs);
    free(tids);
    return len;
}

int main(int argc, char **argv)
{
    static const pk_kernel k = {
        .name = "binarytrees",
        .default_size = 10,
        .max_size = 30,
        .size_what = "a depth",
        .warmup_size = WARMUP_SIZE,
        .out_cap = 1024,
        .run = run,
    };
    return pk_kernel_main(&k, argc, argv);
}
