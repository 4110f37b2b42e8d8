/* The C peer of the footprint workload (workloads/README.md): start N pthreads (glibc's default
 * stack size, reported as stack_bytes) that each wait on one shared condition variable, wait
 * until all are parked, read RSS, release them and join. Variant pthread only. Sizes that the
 * machine's thread limits or memory cannot hold are refused before starting (exit 2). */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peerkit.h"

/* Memory insisted on per thread before starting: touched stack plus kernel stack, generous. */
#define RESERVE_KIB 64
/* Threads and mappings the rest of the system may already have. */
#define MARGIN 1024

static struct {
    pthread_mutex_t mu;
    pthread_cond_t parked_cv, release_cv;
    uint64_t parked, n;
    bool released;
} gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0,
          false};

static void *task(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&gate.mu);
    if (++gate.parked == gate.n)
        pthread_cond_signal(&gate.parked_cv);
    while (!gate.released)
        pthread_cond_wait(&gate.release_cv, &gate.mu);
    pthread_mutex_unlock(&gate.mu);
    return NULL;
}

/* The first number on the line of a /proc file that starts with key; -1 if none. */
static int64_t proc_value(const char *path, const char *key, int skip)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    int64_t v = -1;
    size_t len = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, len) != 0)
            continue;
        char *s = line + len;
        for (int i = 0; i <= skip; i++) {
            while (*s == ' ' || *s == '\t')
                s++;
            if (i < skip)
                while (*s && *s != ' ' && *s != '\t')
                    s++;
        }
        v = strtoll(s, NULL, 10);
        break;
    }
    fclose(f);
    return v;
}

static int64_t rss_kib(void)
{
    int64_t v = proc_value("/proc/self/status", "VmRSS:", 0);
    if (v < 0)
        pk_fail("cannot read VmRSS");
    return v;
}

/* Exits 2 with the reason if this machine's limits do not allow n more threads. */
static void check_thread_limits(int64_t n)
{
    struct {
        int64_t v;
        const char *what;
    } lim[4] = {
        {proc_value("/proc/sys/kernel/threads-max", "", 0), "kernel.threads-max"},
        {proc_value("/proc/sys/kernel/pid_max", "", 0), "kernel.pid_max"},
        {proc_value("/proc/sys/vm/max_map_count", "", 0) / 2,
         "vm.max_map_count / 2 (a stack and its guard page each)"},
        {proc_value("/proc/self/limits", "Max processes", 0), "RLIMIT_NPROC (ulimit -u)"},
    };
    int best = -1;
    for (int i = 0; i < 4; i++)
        if (lim[i].v > 0 && (best < 0 || lim[i].v < lim[best].v))
            best = i;
    if (best >= 0 && n + MARGIN > lim[best].v)
        pk_usage("--size %" PRId64 ": too many OS threads here: %s is %" PRId64
                 ", less than %" PRId64 " + %d",
                 n, lim[best].what, lim[best].v, n, MARGIN);
    int64_t avail = proc_value("/proc/meminfo", "MemAvailable:", 0);
    if (avail > 0 && n * RESERVE_KIB > avail)
        pk_usage("--size %" PRId64 ": would need about %" PRId64 " MiB (%d KiB per task), "
                 "MemAvailable is %" PRId64 " MiB",
                 n, n * RESERVE_KIB / 1024, RESERVE_KIB, avail / 1024);
}

int main(int argc, char **argv)
{
    pk_params p = pk_defaults("pthread");
    p.size = 10000;
    pk_parse(&p, argc, argv);
    pk_require_variant(&p, (const char *const[]){"pthread", NULL});
    if (p.size < 1)
        pk_usage("--size: footprint needs at least 1 task");
    if (p.iters != 1)
        pk_usage("--iters: footprint measures one cold spawn, --iters must be 1");
    check_thread_limits(p.size);
    uint64_t n = (uint64_t)p.size;
    gate.n = n;
    pthread_attr_t attr;
    size_t stack = 0;
    pthread_attr_init(&attr);
    pthread_attr_getstacksize(&attr, &stack); /* glibc's default: RLIMIT_STACK, usually 8 MiB */
    pthread_attr_destroy(&attr);
    pthread_t *threads = malloc(n * sizeof *threads);
    if (!threads)
        pk_fail("cannot allocate %" PRIu64 " thread handles", n);

    int64_t rss_before = rss_kib();
    pk_region r;
    pk_region_begin(&r, &p);
    uint64_t t0 = pk_now_ns();
    for (uint64_t i = 0; i < n; i++) {
        int err = pthread_create(&threads[i], NULL, task, NULL);
        if (err)
            pk_fail("cannot start thread %" PRIu64 ": %s", i, strerror(err));
    }
    uint64_t spawned = pk_now_ns();
    pthread_mutex_lock(&gate.mu);
    while (gate.parked < n)
        pthread_cond_wait(&gate.parked_cv, &gate.mu);
    pthread_mutex_unlock(&gate.mu);
    uint64_t parked = pk_now_ns();
    int64_t rss_parked = rss_kib();
    uint64_t released = pk_now_ns();
    pthread_mutex_lock(&gate.mu);
    gate.released = true;
    pthread_cond_broadcast(&gate.release_cv);
    pthread_mutex_unlock(&gate.mu);
    for (uint64_t i = 0; i < n; i++)
        pthread_join(threads[i], NULL);
    uint64_t joined = pk_now_ns();
    pk_region_end(&r);

    char dec[24], sum[17];
    int len = snprintf(dec, sizeof dec, "%" PRIu64, gate.parked);
    pk_fnv1a64_hex(dec, (size_t)len, sum);
    pk_kv extra[] = {
        {"rss_before_kib", (uint64_t)rss_before}, {"rss_parked_kib", (uint64_t)rss_parked},
        {"spawn_ns", spawned - t0},               {"park_ns", parked - spawned},
        {"join_ns", joined - released},           {"stack_bytes", stack},
    };
    pk_report_extra("footprint", &p, n, r.elapsed_ns, sum, r.has_hiccup ? &r.hiccup : NULL,
                    extra, sizeof extra / sizeof extra[0]);
    free(threads);
    return 0;
}
