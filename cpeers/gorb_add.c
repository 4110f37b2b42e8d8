/* The ffi workload's trivial C function (workloads/README.md), in its own translation unit. */
#include "gorb_add.h"

__attribute__((noinline, noipa)) uint64_t gorb_add(uint64_t a, uint64_t b)
{
    return a + b;
}
