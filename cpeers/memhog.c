/* memhog, a C-only calibration peer (workloads/README.md): mallocs --size MiB (default 64) and
 * writes one byte in every 4096, so that every page is resident and VmHWM grows by about that
 * much. Tests check the memory probes against this known answer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peerkit.h"

#define MIB (UINT64_C(1) << 20)
#define STRIDE 4096

int main(int argc, char **argv)
{
    static const char *const variants[] = {"std", NULL};
    pk_params p = pk_defaults("std");
    p.size = 64;
    pk_parse(&p, argc, argv);
    pk_require_variant(&p, variants);
    if ((uint64_t)p.size > SIZE_MAX / MIB)
        pk_usage("--size: %lld MiB does not fit in memory's address space", (long long)p.size);
    const size_t bytes = (size_t)p.size * MIB;

    /* Timed: the allocation and the writes. */
    pk_region r;
    pk_region_begin(&r, &p);
    /* Writes through a volatile pointer: the compiler must do every one of them. */
    volatile unsigned char *mem = malloc(bytes ? bytes : 1);
    if (!mem)
        pk_fail("cannot allocate %zu bytes", bytes);
    for (size_t i = 0; i < bytes; i += STRIDE)
        mem[i] = (unsigned char)(i / STRIDE) | 1;
    pk_region_end(&r);

    char text[40], sum[17];
    snprintf(text, sizeof text, "memhog %lld", (long long)p.size);
    pk_fnv1a64_hex(text, strlen(text), sum);
    pk_region_report(&r, "memhog", &p, 1, sum);
    free((void *)mem);
    return 0;
}
