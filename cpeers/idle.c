/* idle, a C-only calibration peer (workloads/README.md). Variant std: with --hiccup, the
 * hiccup meter alone for --size milliseconds (default 1000) while the main thread sleeps. Run
 * on a server's CPU, it measures the machine's own stalls, the floor below which no latency can
 * be resolved. Variant burn: spins until the process has used --size milliseconds of CPU, a
 * known answer for the harness's CPU clock (gorustbench calibrate). */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "peerkit.h"

static int64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    static const char *const variants[] = {"std", "burn", NULL};
    pk_params p = pk_defaults("std");
    p.size = 1000;
    pk_parse(&p, argc, argv);
    pk_require_variant(&p, variants);

    pk_region r;
    pk_region_begin(&r, &p);
    if (strcmp(p.variant, "burn") == 0) {
        /* Timed: CPU, and nothing else, until the process has used --size ms of it. */
        const int64_t until = cpu_ns() + (int64_t)p.size * 1000000;
        volatile uint64_t spin = 0;
        while (cpu_ns() < until) {
            for (int i = 0; i < 20000; i++) /* user time between the clock's system calls */
                spin += (uint64_t)i;
        }
    } else {
        /* Timed: nothing but sleeping, so the meter is all that runs. */
        struct timespec ts = {.tv_sec = p.size / 1000, .tv_nsec = (long)(p.size % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) != 0) {
        }
    }
    pk_region_end(&r);

    char sum[17];
    pk_fnv1a64_hex("idle", 4, sum);
    pk_region_report(&r, "idle", &p, 1, sum);
    return 0;
}
