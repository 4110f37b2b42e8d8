/* The ffi workload's trivial C function (workloads/README.md), built by build.rs at -O2. */
#include <stdint.h>

uint64_t gorb_add(uint64_t a, uint64_t b) { return a + b; }
