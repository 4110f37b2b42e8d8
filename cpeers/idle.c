/* idle, a C-only calibration peer (workloads/README.md): with --hiccup, the hiccup meter alone
 * for --size milliseconds (default 1000) while the main thread sleeps. Run on a server's CPU,
 * it measures the machine's own stalls, the floor below which no latency can be resolved. */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "peerkit.h"

int main(int argc, char **argv)
{
    static const char *const variants[] = {"std", NULL};
    pk_params p = pk_defaults("std");
    p.size = 1000;
    pk_parse(&p, argc, argv);
    pk_require_variant(&p, variants);

    /* Timed: nothing but sleeping, so the meter is all that runs. */
    pk_region r;
    pk_region_begin(&r, &p);
    struct timespec ts = {.tv_sec = p.size / 1000, .tv_nsec = (long)(p.size % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
    pk_region_end(&r);

    char sum[17];
    pk_fnv1a64_hex("idle", 4, sum);
    pk_region_report(&r, "idle", &p, 1, sum);
    return 0;
}
