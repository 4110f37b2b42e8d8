/* The C peer of the ffi workload (workloads/README.md): iters calls of a trivial add. C has
 * only the variant "plain": a direct call of gorb_add (gorb_add.c), which GCC may neither
 * inline nor analyse across the call. It is the baseline for Go's cgo and Rust's extern "C". */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gorb_add.h"
#include "peerkit.h"

int main(int argc, char **argv)
{
    static const char *const variants[] = {"plain", NULL};
    pk_params p = pk_defaults("plain");
    p.iters = 100000000;
    pk_parse(&p, argc, argv);
    pk_require_variant(&p, variants);

    const uint64_t iters = (uint64_t)p.iters;
    /* One untimed warm-up operation (PROTOCOL.md): the first call resolves and faults in
     * the code; the volatile store keeps it. */
    volatile uint64_t warm = gorb_add(0, 0);
    (void)warm;

    pk_region r;
    pk_region_begin(&r, &p);
    uint64_t acc = 0;
    for (uint64_t i = 0; i < iters; i++)
        acc = gorb_add(acc, i);
    pk_region_end(&r);

    char dec[24], sum[17];
    snprintf(dec, sizeof dec, "%" PRIu64, acc);
    pk_fnv1a64_hex(dec, strlen(dec), sum);
    pk_region_report(&r, "ffi", &p, iters, sum);
    return 0;
}
