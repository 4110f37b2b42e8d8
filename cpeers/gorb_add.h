/* The ffi workload's trivial function (workloads/README.md). */
#ifndef GORB_ADD_H
#define GORB_ADD_H

#include <stdint.h>

/* a + b, wrapping. Never inlined and opaque to interprocedural analysis (noipa: GCC may not
 * use what it knows of the body at call sites), and defined in its own translation unit:
 * the C baseline of "a plain non-inlined call". */
__attribute__((noinline, noipa)) uint64_t gorb_add(uint64_t a, uint64_t b);

#endif
