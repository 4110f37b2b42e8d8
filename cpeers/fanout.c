/* The C peer of the fanout workload (workloads/README.md): one producer thread sends M numbers
 * through a bounded ring (one mutex, two condition variables) to K worker pthreads, which mix
 * each one and put the result into a second ring that the main thread collects and sums.
 * Variant pthread only. With --threads T below the CPUs available the process is pinned to T
 * of them, as the Rust thread variants are. The ring has no rendezvous mode: --capacity 0 is
 * refused (exit 2). */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peerkit.h"

/* A ring starts on its own cache line (64 bytes on x86-64), so the producer-side `in` ring and
 * the collector-side `out` ring of one job never share a line (no false sharing between them).
 * Slots are indexed with a wrap compare, not a modulo (a 64-bit division per operation). */
typedef struct {
    _Alignas(64) pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    uint64_t *buf;
    size_t cap, head, n;
    bool closed;
} ring;

static void ring_init(ring *r, size_t cap)
{
    r->buf = malloc(cap * sizeof *r->buf);
    if (!r->buf)
        pk_fail("cannot allocate a ring of %zu", cap);
    r->cap = cap;
    r->head = r->n = 0;
    r->closed = false;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->not_empty, NULL);
    pthread_cond_init(&r->not_full, NULL);
}

static void ring_destroy(ring *r)
{
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->not_empty);
    pthread_cond_destroy(&r->not_full);
    free(r->buf);
}

/* Signals go out while the lock is held. Signalling after the unlock was measured (issue 20) and
 * made this peer 1.5x slower in CPU time with glibc 2.36 here (K = 4, B = 64, on 1 and on 2
 * CPUs), most likely because between the unlock and the late signal another thread takes the
 * slot and waits again, and the signal then wakes a thread for nothing. */
static void ring_put(ring *r, uint64_t v)
{
    pthread_mutex_lock(&r->mu);
    while (r->n == r->cap)
        pthread_cond_wait(&r->not_full, &r->mu);
    size_t tail = r->head + r->n; /* < 2 * cap */
    if (tail >= r->cap)
        tail -= r->cap;
    r->buf[tail] = v;
    r->n++;
    pthread_cond_signal(&r->not_empty);
    pthread_mutex_unlock(&r->mu);
}

/* The next value into *v; false once the ring is closed and empty. */
static bool ring_get(ring *r, uint64_t *v)
{
    pthread_mutex_lock(&r->mu);
    while (r->n == 0 && !r->closed)
        pthread_cond_wait(&r->not_empty, &r->mu);
    if (r->n == 0) {
        pthread_mutex_unlock(&r->mu);
        return false;
    }
    *v = r->buf[r->head];
    r->head = r->head + 1 == r->cap ? 0 : r->head + 1;
    r->n--;
    pthread_cond_signal(&r->not_full);
    pthread_mutex_unlock(&r->mu);
    return true;
}

static void ring_close(ring *r)
{
    pthread_mutex_lock(&r->mu);
    r->closed = true;
    pthread_cond_broadcast(&r->not_empty);
    pthread_mutex_unlock(&r->mu);
}

/* The per-message computation: four rounds of splitmix64's step on the value. */
static uint64_t work(uint64_t v)
{
    for (int r = 0; r < 4; r++) {
        v += 0x9E3779B97F4A7C15u;
        v = (v ^ (v >> 30)) * 0xBF58476D1CE4E5B9u;
        v = (v ^ (v >> 27)) * 0x94D049BB133111EBu;
        v ^= v >> 31;
    }
    return v;
}

typedef struct {
    ring in, out;
    uint64_t m, seed;
} job;
_Static_assert(offsetof(job, out) % 64 == 0, "the out ring starts its own cache line");

static void *producer(void *arg)
{
    job *j = arg;
    for (uint64_t i = 0; i < j->m; i++)
        ring_put(&j->in, j->seed + i);
    ring_close(&j->in);
    return NULL;
}

static void *worker(void *arg)
{
    job *j = arg;
    uint64_t v;
    while (ring_get(&j->in, &v))
        ring_put(&j->out, work(v));
    return NULL;
}

static void start(pthread_t *t, void *(*fn)(void *), void *arg)
{
    int err = pthread_create(t, NULL, fn, arg);
    if (err)
        pk_fail("cannot start a thread: %s", strerror(err));
}

/* One fan-out of m messages through k workers; returns the wrapping sum of the results. The
 * output ring is closed by the collector once it has all m results, then workers are joined. */
static uint64_t fanout(uint64_t m, uint64_t seed, size_t k, size_t cap, pthread_t *workers)
{
    job j = {.m = m, .seed = seed};
    ring_init(&j.in, cap);
    ring_init(&j.out, cap);
    pthread_t prod;
    start(&prod, producer, &j);
    for (size_t w = 0; w < k; w++)
        start(&workers[w], worker, &j);
    uint64_t sum = 0, v;
    for (uint64_t got = 0; got < m; got++) {
        if (!ring_get(&j.out, &v))
            pk_fail("output ring closed early");
        sum += v;
    }
    pthread_join(prod, NULL);
    for (size_t w = 0; w < k; w++)
        pthread_join(workers[w], NULL);
    ring_destroy(&j.in);
    ring_destroy(&j.out);
    return sum;
}

/* Restricts the process to the first `threads` CPUs it may run on, if it may run on more. */
static void pin_to(int64_t threads)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return;
    int64_t kept = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &set)) {
            if (kept >= threads)
                CPU_CLR(cpu, &set);
            kept++;
        }
    }
    if (kept > threads && sched_setaffinity(0, sizeof set, &set) != 0)
        pk_fail("cannot pin to %" PRId64 " CPUs: %s", threads, strerror(errno));
}

int main(int argc, char **argv)
{
    pk_params p = pk_defaults("pthread");
    p.size = 100000;
    p.workers = 4;
    p.capacity = 64;
    pk_parse(&p, argc, argv);
    pk_require_variant(&p, (const char *const[]){"pthread", NULL});
    if (p.workers < 1)
        pk_usage("--workers: fanout needs at least 1 worker");
    if (p.capacity < 1)
        pk_usage("--capacity: the pthread ring needs a capacity >= 1 (it has no rendezvous mode)");
    if (p.size < 1)
        pk_usage("--size: fanout needs at least 1 message");
    pin_to(p.threads);
    size_t k = (size_t)p.workers, cap = (size_t)p.capacity;
    pthread_t *workers = malloc(k * sizeof *workers);
    if (!workers)
        pk_fail("cannot allocate %zu thread handles", k);
    uint64_t m = (uint64_t)p.size;
    fanout(m < 10000 ? m : 10000, p.seed, k, cap, workers); /* warm-up, untimed */
    uint64_t sum = 0;
    pk_region r;
    pk_region_begin(&r, &p);
    for (int64_t it = 0; it < p.iters; it++)
        sum = fanout(m, p.seed, k, cap, workers);
    pk_region_end(&r);
    char dec[24], sumhex[17];
    int len = snprintf(dec, sizeof dec, "%" PRIu64, sum);
    pk_fnv1a64_hex(dec, (size_t)len, sumhex);
    pk_region_report(&r, "fanout", &p, (uint64_t)(p.iters * p.size), sumhex);
    free(workers);
    return 0;
}
