/* peerkit: what every C peer shares. The protocol is bench/peer/PROTOCOL.md and the workloads
 * are defined in workloads/README.md; this kit only implements them: the command line, FNV-1a 64,
 * splitmix64, VmHWM, the hiccup meter, monotonic timing and the result line. */
#ifndef PEERKIT_H
#define PEERKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The protocol's common flags. Start from pk_defaults, set the workload's own defaults, then
 * call pk_parse. The strings point into argv (or at string literals) and are never freed. */
typedef struct {
    int64_t size;        /* --size, >= 0 */
    int64_t iters;       /* --iters, >= 1 */
    int64_t threads;     /* --threads, >= 1 */
    uint64_t seed;       /* --seed, any u64 */
    const char *variant; /* --variant */
    const char *input;   /* --input, "" if not given */
    const char *addr;    /* --addr, "" if not given */
    bool hiccup;         /* --hiccup */
    int64_t workers;     /* --workers, >= 0; -1: the workload does not use it (not echoed) */
    int64_t capacity;    /* --capacity, >= 0; -1: the workload does not use it (not echoed) */
} pk_params;

/* The protocol's fallback values: size 0, iters 1, threads 1, seed 1, and the workload's
 * default variant. */
pk_params pk_defaults(const char *variant);

/* Reads argv[1..argc) into p. On a bad command line (unknown flag, missing value, value that
 * does not parse) prints one line "<program>: <what is wrong>" to stderr and exits 2. */
void pk_parse(pk_params *p, int argc, char **argv);

/* Exits 2 (as pk_usage) unless p->variant is one of the NULL-terminated list known. */
void pk_require_variant(const pk_params *p, const char *const known[]);

/* One line "<program>: <message>" on stderr, then exit 2: a bad command line. */
_Noreturn void pk_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line "<program>: <message>" on stderr, then exit 1: a failure while working. */
_Noreturn void pk_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* FNV-1a 64 of len bytes at data, as 16 lowercase hex digits and a NUL into out. */
void pk_fnv1a64_hex(const void *data, size_t len, char out[17]);

/* splitmix64, the workloads' one input generator: state starts at the seed. */
typedef struct {
    uint64_t state;
} pk_splitmix64;

/* The next 64 random bits. */
uint64_t pk_splitmix64_next(pk_splitmix64 *s);

/* The next value mapped to [-1, 1): (next() >> 11) * 2^-53 * 2.0 - 1.0. */
double pk_splitmix64_float(pk_splitmix64 *s);

/* The peak resident set size, VmHWM from /proc/self/status, in KiB; -1 if unreadable. */
int64_t pk_vmhwm_kib(void);

/* CLOCK_MONOTONIC now, in nanoseconds. */
uint64_t pk_now_ns(void);

/* The protocol's log-linear histogram of nanosecond values: exact below 8, then 8 sub-buckets
 * per power of two, PK_HIST_BUCKETS buckets covering every u64. */
#define PK_HIST_BUCKETS ((63 - 2) * 8 + 8)
typedef struct {
    uint64_t counts[PK_HIST_BUCKETS];
    uint64_t count; /* values recorded */
    uint64_t max;   /* exact largest value, ns */
} pk_hist;

/* The bucket of v: v if v < 8, else (e - 2) * 8 + ((v >> (e - 3)) & 7), e = floor(log2 v). */
int pk_hist_index(uint64_t v);
/* The largest value whose bucket is i. */
uint64_t pk_hist_upper(int i);
/* Adds one value, in ns. */
void pk_hist_record(pk_hist *h, uint64_t v);
/* The upper bound of the smallest bucket whose cumulative count reaches ceil(q * count);
 * 0 for an empty histogram. */
uint64_t pk_hist_quantile(const pk_hist *h, double q);

/* The hiccup object of the result line; every field in ns except count. */
typedef struct {
    uint64_t interval_ns, count, p50_ns, p99_ns, p999_ns, max_ns;
} pk_hiccup;

/* The hiccup meter's sleep between wake-ups, in ns (1 ms). */
#define PK_HICCUP_INTERVAL_NS 1000000u

/* A running hiccup meter: a pthread that notes the monotonic time, sleeps 1 ms, and records
 * how late it woke (clamped at 0) into a pk_hist, until stopped. */
typedef struct pk_meter pk_meter;

/* Starts the meter's thread; a thread that cannot start is a failure (exit 1). */
pk_meter *pk_meter_start(void);
/* Stops the meter, joins its thread, frees it, and returns its summary. */
pk_hiccup pk_meter_stop(pk_meter *m);

/* A timed region: the peer's own monotonic clock, and the hiccup meter when --hiccup was
 * given. Begin it once the input is ready, end it right after the last timed operation. */
typedef struct {
    uint64_t start_ns;   /* pk_now_ns() at the start */
    uint64_t elapsed_ns; /* the region's duration, valid after pk_region_end */
    pk_meter *meter;     /* running meter, or NULL */
    bool has_hiccup;     /* hiccup below is valid */
    pk_hiccup hiccup;
} pk_region;

void pk_region_begin(pk_region *r, const pk_params *p);
void pk_region_end(pk_region *r);

/* Prints the result line (VmHWM read now) as the last line of stdout and flushes it; exits 1
 * if stdout cannot be written. hiccup may be NULL (no hiccup object). */
void pk_report(const char *workload, const pk_params *p, uint64_t ops, uint64_t elapsed_ns,
               const char *checksum, const pk_hiccup *hiccup);

/* One entry of the result line's optional "extra" object. */
typedef struct {
    const char *key;
    uint64_t value;
} pk_kv;

/* pk_report with an "extra" object of n entries (none if n is 0). */
/* Writes the result line to out with the given VmHWM (pk_report_extra reads the peer's own and
 * writes to stdout); the kit's test checks it against bench/peer/testdata/result-lines.txt. */
void pk_write_result(FILE *out, const char *workload, const pk_params *p, uint64_t ops,
                     uint64_t elapsed_ns, const char *checksum, int64_t vmhwm_kib,
                     const pk_hiccup *hiccup, const pk_kv *extra, size_t n);
void pk_report_extra(const char *workload, const pk_params *p, uint64_t ops, uint64_t elapsed_ns,
                     const char *checksum, const pk_hiccup *hiccup, const pk_kv *extra,
                     size_t n);

/* pk_report with the region's elapsed time and hiccup summary. */
void pk_region_report(const pk_region *r, const char *workload, const pk_params *p,
                      uint64_t ops, const char *checksum);

/* A CPU-kernel peer (workloads/README.md, "CPU kernels"), as Go's peerkit.Kernel and Rust's
 * common::Kernel: a program that writes its output for a size n with some threads; the
 * checksum is FNV-1a 64 of that output. */
typedef struct {
    const char *name;
    int64_t default_size;
    int64_t max_size;      /* the largest --size; 0 for no bound */
    const char *size_what; /* what --size is, for the usage line: "a depth", "an order" */
    int64_t warmup_size;   /* the untimed warm-up run's size (or --size, if smaller) */
    size_t out_cap;        /* bytes of output the program may write at most */
    /* The program: writes its whole output for size n with threads threads into out (cap
     * bytes) and returns its length. */
    size_t (*run)(int64_t n, size_t threads, char *out, size_t cap);
} pk_kernel;

/* Runs k as a peer: the protocol's flags (variant std; --size in [1, max_size]), one untimed
 * warm-up run, then --iters timed runs, and the result line with the checksum of the last
 * run's output. Returns the exit status (0); bad flags exit 2 as pk_parse. */
int pk_kernel_main(const pk_kernel *k, int argc, char **argv);

#endif
