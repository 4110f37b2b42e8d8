/* peerkit: see peerkit.h. The protocol is bench/peer/PROTOCOL.md. */
#include "peerkit.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- errors ---------------------------------------------------------------------------- */

/* Prints "<program>: <message>\n" to stderr. The program is argv[0]'s last path element
 * (glibc's program_invocation_short_name). */
static void vcomplain(const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", program_invocation_short_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void pk_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vcomplain(fmt, ap);
    va_end(ap);
    exit(2);
}

void pk_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vcomplain(fmt, ap);
    va_end(ap);
    exit(1);
}

/* s in double quotes with '"', '\' and control bytes escaped, so that an error message stays
 * one line; long values are cut. The result lives in a static buffer: it only ever goes into
 * the message printed right before exiting. */
static const char *quote(const char *s)
{
    static char buf[160];
    size_t n = 0;
    buf[n++] = '"';
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (n + 8 >= sizeof buf) {
            memcpy(buf + n, "...", 3);
            n += 3;
            break;
        }
        if (*c == '"' || *c == '\\')
            n += (size_t)snprintf(buf + n, sizeof buf - n, "\\%c", *c);
        else if (*c < 0x20 || *c == 0x7f)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "\\x%02x", *c);
        else
            buf[n++] = (char)*c;
    }
    buf[n++] = '"';
    buf[n] = '\0';
    return buf;
}

/* ---- command line ---------------------------------------------------------------------- */

pk_params pk_defaults(const char *variant)
{
    return (pk_params){.size = 0, .iters = 1, .threads = 1, .seed = 1,
                       .variant = variant, .input = "", .addr = "", .hiccup = false,
                       .workers = -1, .capacity = -1};
}

/* Decimal digits only (no sign, no spaces), fitting a u64. */
static bool parse_digits(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* A decimal integer with an optional sign that fits an i64 (as the Go and Rust kits read
 * it) and is >= min. Every minimum is >= 0, so only "-0" survives a minus sign. */
static bool parse_int(const char *s, int64_t min, int64_t *out)
{
    bool neg = (*s == '-');
    uint64_t mag;
    if (*s == '+' || *s == '-')
        s++;
    if (!parse_digits(s, &mag) || mag > (uint64_t)INT64_MAX || (neg && mag != 0))
        return false;
    if ((int64_t)mag < min)
        return false;
    *out = (int64_t)mag;
    return true;
}

static void int_flag(const char *name, const char *value, int64_t min, int64_t *out)
{
    if (!parse_int(value, min, out))
        pk_usage("--%s: %s is not an integer >= %" PRId64, name, quote(value), min);
}

void pk_parse(pk_params *p, int argc, char **argv)
{
    static const char *const known[] = {"size",  "iters", "threads", "seed",    "variant",
                                        "input", "addr",  "workers", "capacity"};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0')
            pk_usage("unexpected argument %s (flags are --name value)", quote(arg));
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);

        if (len == 6 && strncmp(name, "hiccup", 6) == 0) {
            if (eq)
                pk_usage("--hiccup takes no value");
            p->hiccup = true;
            continue;
        }
        const char *flag = NULL;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (strlen(known[k]) == len && strncmp(name, known[k], len) == 0)
                flag = known[k];
        if (!flag)
            pk_usage("unknown flag --%.*s", (int)(len > 60 ? 60 : len), name);

        const char *value;
        if (eq) {
            value = eq + 1;
        } else {
            if (i + 1 >= argc)
                pk_usage("--%s needs a value", flag);
            value = argv[++i];
        }

        if (strcmp(flag, "size") == 0)
            int_flag(flag, value, 0, &p->size);
        else if (strcmp(flag, "iters") == 0)
            int_flag(flag, value, 1, &p->iters);
        else if (strcmp(flag, "threads") == 0)
            int_flag(flag, value, 1, &p->threads);
        else if (strcmp(flag, "seed") == 0) {
            if (!parse_digits(value, &p->seed))
                pk_usage("--seed: %s is not an unsigned integer", quote(value));
        } else if (strcmp(flag, "variant") == 0)
            p->variant = value;
        else if (strcmp(flag, "input") == 0)
            p->input = value;
        else if (strcmp(flag, "workers") == 0)
            int_flag(flag, value, 0, &p->workers);
        else if (strcmp(flag, "capacity") == 0)
            int_flag(flag, value, 0, &p->capacity);
        else
            p->addr = value;
    }
}

void pk_require_variant(const pk_params *p, const char *const known[])
{
    char have[256] = "";
    size_t n = 0;
    for (size_t k = 0; known[k]; k++) {
        if (strcmp(p->variant, known[k]) == 0)
            return;
        n += (size_t)snprintf(have + n, n < sizeof have ? sizeof have - n : 0, "%s%s",
                              k ? ", " : "", known[k]);
        if (n >= sizeof have)
            n = sizeof have - 1;
    }
    pk_usage("unknown variant %s (have %s)", quote(p->variant), have);
}

/* ---- hashing, input, memory, time ------------------------------------------------------ */

void pk_fnv1a64_hex(const void *data, size_t len, char out[17])
{
    const unsigned char *b = data;
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < len; i++) {
        h ^= b[i];
        h *= 0x100000001b3u;
    }
    snprintf(out, 17, "%016" PRIx64, h);
}

uint64_t pk_splitmix64_next(pk_splitmix64 *s)
{
    s->state += 0x9E3779B97F4A7C15u;
    uint64_t z = s->state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

double pk_splitmix64_float(pk_splitmix64 *s)
{
    /* 0x1p-53 is 2^-53: (next >> 11) has 53 bits, so the product is exact. */
    return (double)(pk_splitmix64_next(s) >> 11) * 0x1p-53 * 2.0 - 1.0;
}

int64_t pk_vmhwm_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[512];
    int64_t kib = -1;
    while (fgets(line, sizeof line, f)) {
        long long v;
        if (sscanf(line, "VmHWM: %lld", &v) == 1) {
            kib = v;
            break;
        }
    }
    fclose(f);
    return kib;
}

uint64_t pk_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- the hiccup meter ------------------------------------------------------------------ */

int pk_hist_index(uint64_t v)
{
    if (v < 8)
        return (int)v;
    int e = 63 - __builtin_clzll(v);
    return (e - 2) * 8 + (int)((v >> (e - 3)) & 7);
}

uint64_t pk_hist_upper(int i)
{
    if (i < 8)
        return (uint64_t)i;
    int e = i / 8 + 2;
    uint64_t lower = (8 + (uint64_t)(i % 8)) << (e - 3);
    return lower + ((UINT64_C(1) << (e - 3)) - 1);
}

void pk_hist_record(pk_hist *h, uint64_t v)
{
    h->counts[pk_hist_index(v)]++;
    h->count++;
    if (v > h->max)
        h->max = v;
}

uint64_t pk_hist_quantile(const pk_hist *h, double q)
{
    if (h->count == 0)
        return 0;
    /* ceil(q * count) the way the Go and Rust kits compute it, and at least 1. */
    double exact = q * (double)h->count;
    uint64_t target = (uint64_t)exact;
    if ((double)target < exact)
        target++;
    if (target == 0)
        target = 1;
    uint64_t cum = 0;
    for (int i = 0; i < PK_HIST_BUCKETS; i++) {
        cum += h->counts[i];
        if (cum >= target)
            return pk_hist_upper(i);
    }
    return h->max;
}

struct pk_meter {
    pthread_t thread;
    atomic_bool stop;
    pk_hist hist; /* written by the meter's thread only, read after the join */
};

static void *meter_loop(void *arg)
{
    pk_meter *m = arg;
    const struct timespec interval = {0, PK_HICCUP_INTERVAL_NS};
    while (!atomic_load_explicit(&m->stop, memory_order_acquire)) {
        uint64_t before = pk_now_ns();
        nanosleep(&interval, NULL);
        uint64_t slept = pk_now_ns() - before;
        pk_hist_record(&m->hist, slept > PK_HICCUP_INTERVAL_NS ? slept - PK_HICCUP_INTERVAL_NS : 0);
    }
    return NULL;
}

pk_meter *pk_meter_start(void)
{
    pk_meter *m = calloc(1, sizeof *m);
    if (!m)
        pk_fail("cannot start the hiccup meter: out of memory");
    atomic_init(&m->stop, false);
    int err = pthread_create(&m->thread, NULL, meter_loop, m);
    if (err)
        pk_fail("cannot start the hiccup meter: %s", strerror(err));
    return m;
}

pk_hiccup pk_meter_stop(pk_meter *m)
{
    atomic_store_explicit(&m->stop, true, memory_order_release);
    int err = pthread_join(m->thread, NULL);
    if (err)
        pk_fail("cannot join the hiccup meter: %s", strerror(err));
    const pk_hist *h = &m->hist;
    pk_hiccup s = {
        .interval_ns = PK_HICCUP_INTERVAL_NS,
        .count = h->count,
        .p50_ns = pk_hist_quantile(h, 0.50),
        .p99_ns = pk_hist_quantile(h, 0.99),
        .p999_ns = pk_hist_quantile(h, 0.999),
        .max_ns = h->max,
    };
    free(m);
    return s;
}

/* ---- the timed region and the result line ---------------------------------------------- */

void pk_region_begin(pk_region *r, const pk_params *p)
{
    *r = (pk_region){0};
    if (p->hiccup)
        r->meter = pk_meter_start();
    r->start_ns = pk_now_ns();
}

void pk_region_end(pk_region *r)
{
    r->elapsed_ns = pk_now_ns() - r->start_ns;
    if (r->meter) {
        r->hiccup = pk_meter_stop(r->meter);
        r->has_hiccup = true;
        r->meter = NULL;
    }
}

/* s as a JSON string literal. */
static void put_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
    }
    fputc('"', out);
}

void pk_report(const char *workload, const pk_params *p, uint64_t ops, uint64_t elapsed_ns,
               const char *checksum, const pk_hiccup *hiccup)
{
    pk_report_extra(workload, p, ops, elapsed_ns, checksum, hiccup, NULL, 0);
}

void pk_write_result(FILE *out, const char *workload, const pk_params *p, uint64_t ops,
                     uint64_t elapsed_ns, const char *checksum, int64_t vmhwm_kib,
                     const pk_hiccup *hiccup, const pk_kv *extra, size_t n)
{
    fprintf(out, "{\"protocol\":1,\"workload\":");
    put_json_string(out, workload);
    fprintf(out, ",\"lang\":\"c\",\"variant\":");
    put_json_string(out, p->variant);
    fprintf(out,
            ",\"params\":{\"size\":%" PRId64 ",\"iters\":%" PRId64 ",\"threads\":%" PRId64
            ",\"seed\":%" PRIu64,
            p->size, p->iters, p->threads, p->seed);
    if (p->workers >= 0)
        fprintf(out, ",\"workers\":%" PRId64, p->workers);
    if (p->capacity >= 0)
        fprintf(out, ",\"capacity\":%" PRId64, p->capacity);
    fprintf(out, "},\"ops\":%" PRIu64 ",\"elapsed_ns\":%" PRIu64 ",\"checksum\":", ops, elapsed_ns);
    put_json_string(out, checksum);
    fprintf(out, ",\"vmhwm_kib\":%" PRId64, vmhwm_kib);
    if (hiccup)
        fprintf(out,
                ",\"hiccup\":{\"interval_ns\":%" PRIu64 ",\"count\":%" PRIu64 ",\"p50_ns\":%" PRIu64
                ",\"p99_ns\":%" PRIu64 ",\"p999_ns\":%" PRIu64 ",\"max_ns\":%" PRIu64 "}",
                hiccup->interval_ns, hiccup->count, hiccup->p50_ns, hiccup->p99_ns,
                hiccup->p999_ns, hiccup->max_ns);
    if (n > 0) {
        fprintf(out, ",\"extra\":{");
        for (size_t i = 0; i < n; i++) {
            if (i > 0)
                fputc(',', out);
            put_json_string(out, extra[i].key);
            fprintf(out, ":%" PRIu64, extra[i].value);
        }
        fputc('}', out);
    }
    fprintf(out, "}\n");
}

void pk_report_extra(const char *workload, const pk_params *p, uint64_t ops, uint64_t elapsed_ns,
                     const char *checksum, const pk_hiccup *hiccup, const pk_kv *extra,
                     size_t n)
{
    pk_write_result(stdout, workload, p, ops, elapsed_ns, checksum, pk_vmhwm_kib(), hiccup, extra,
                    n);
    if (fflush(stdout) != 0 || ferror(stdout))
        pk_fail("writing the result line: %s", strerror(errno));
}

void pk_region_report(const pk_region *r, const char *workload, const pk_params *p,
                      uint64_t ops, const char *checksum)
{
    pk_report(workload, p, ops, r->elapsed_ns, checksum, r->has_hiccup ? &r->hiccup : NULL);
}

int pk_kernel_main(const pk_kernel *k, int argc, char **argv)
{
    static const char *const variants[] = {"std", NULL};
    pk_params p = pk_defaults("std");
    p.size = k->default_size;
    pk_parse(&p, argc, argv);
    pk_require_variant(&p, variants);
    if (p.size < 1 || (k->max_size > 0 && p.size > k->max_size)) {
        if (k->max_size > 0)
            pk_usage("--size: %s needs %s in [1, %lld]", k->name, k->size_what, (long long)k->max_size);
        pk_usage("--size: %s needs %s at least 1", k->name, k->size_what);
    }
    const size_t threads = (size_t)p.threads;
    char *out = malloc(k->out_cap);
    if (!out)
        pk_fail("cannot allocate %zu bytes of output", k->out_cap);
    k->run(p.size < k->warmup_size ? p.size : k->warmup_size, threads, out, k->out_cap); /* warm-up */
    size_t len = 0;
    pk_region r;
    pk_region_begin(&r, &p);
    for (int64_t it = 0; it < p.iters; it++)
        len = k->run(p.size, threads, out, k->out_cap);
    pk_region_end(&r);
    char sum[17];
    pk_fnv1a64_hex(out, len, sum);
    pk_region_report(&r, k->name, &p, (uint64_t)p.iters, sum);
    free(out);
    return 0;
}
