/* The C peer of the hello workload (workloads/README.md): prints "hello, world" and the result
 * line, and so measures what it costs a C program to start.
 *
 * Deliberately minimal: no hiccup thread and no other set-up, as the workload says. Every flag
 * is accepted (the protocol asks that) and none is used, --hiccup included: this peer never
 * starts the meter, so it never reports a hiccup object (as the Rust hello peer). */
#include <stdio.h>
#include <string.h>

#include "peerkit.h"

static const char line[] = "hello, world\n";

int main(int argc, char **argv)
{
    static const char *const variants[] = {"std", NULL};
    pk_params p = pk_defaults("std");
    pk_parse(&p, argc, argv);
    pk_require_variant(&p, variants);

    /* Timed: writing the line, flushed so that it is one write(2) inside the region. */
    uint64_t start = pk_now_ns();
    if (fputs(line, stdout) == EOF || fflush(stdout) != 0)
        pk_fail("writing to stdout failed");
    uint64_t elapsed = pk_now_ns() - start;

    char sum[17];
    pk_fnv1a64_hex(line, strlen(line), sum);
    pk_report("hello", &p, 1, elapsed, sum, NULL);
    return 0;
}
