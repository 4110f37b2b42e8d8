/* Unit test of peerkit: known FNV-1a 64 and splitmix64 values, the histogram's buckets and
 * quantiles as PROTOCOL.md defines them, and flag parsing. Exits 1 on the first failure.
 * (Bad command lines exit the process, so test.sh checks those.) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "peerkit.h"

static int failures;

#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "kittest: %s:%d: ", __FILE__, __LINE__);                       \
            fprintf(stderr, __VA_ARGS__);                                                  \
            fputc('\n', stderr);                                                           \
            failures++;                                                                    \
        }                                                                                  \
    } while (0)

static void test_fnv(void)
{
    static const char *const cases[][2] = {
        {"", "cbf29ce484222325"}, {"a", "af63dc4c8601ec8c"}, {"hello, world\n", "e60e7ee648829675"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[17];
        pk_fnv1a64_hex(cases[i][0], strlen(cases[i][0]), got);
        CHECK(strcmp(got, cases[i][1]) == 0, "fnv(%s) = %s, want %s", cases[i][0], got, cases[i][1]);
    }
}

static void test_splitmix(void)
{
    static const uint64_t want[] = {0xe220a8397b1dcdafu, 0x6e789e6aa1b965f4u, 0x06c45d188009454fu};
    pk_splitmix64 s = {0};
    for (size_t i = 0; i < 3; i++) {
        uint64_t got = pk_splitmix64_next(&s);
        CHECK(got == want[i], "splitmix64(0)[%zu] = %#" PRIx64 ", want %#" PRIx64, i, got, want[i]);
    }
    s = (pk_splitmix64){42};
    for (int i = 0; i < 100000; i++) {
        double f = pk_splitmix64_float(&s);
        CHECK(f >= -1.0 && f < 1.0, "float %g outside [-1, 1)", f);
    }
    /* The extremes of the mapping: 0 bits give -1, all bits give 1 - 2^-52. */
    CHECK((double)(UINT64_MAX >> 11) * 0x1p-53 * 2.0 - 1.0 == 1.0 - 0x1p-52, "top of the range");
}

static void test_hist(void)
{
    for (uint64_t v = 0; v < 16; v++)
        CHECK(pk_hist_index(v) == (int)v && pk_hist_upper((int)v) == v, "exact bucket %" PRIu64, v);
    CHECK(pk_hist_index(16) == 16 && pk_hist_index(17) == 16 && pk_hist_index(18) == 17, "pairs");
    CHECK(pk_hist_index(31) == 23 && pk_hist_index(32) == 24, "31, 32");
    CHECK(pk_hist_index(1000000) == 17 * 8 + 7, "1 ms in bucket %d", pk_hist_index(1000000));
    CHECK(pk_hist_index(UINT64_MAX) == PK_HIST_BUCKETS - 1, "largest bucket");
    CHECK(pk_hist_upper(PK_HIST_BUCKETS - 1) == UINT64_MAX, "largest upper bound");
    CHECK(pk_hist_upper(pk_hist_index(50000)) == 53247, "upper of 50000");
    /* Buckets tile the number line: v is in (upper(i-1), upper(i)]. */
    static const uint64_t vs[] = {0, 1, 7, 8, 9, 15, 16, 17, 31, 1000, 999999, 1000000,
                                  UINT64_C(1) << 40, (UINT64_C(1) << 63) + 12345};
    for (size_t k = 0; k < sizeof vs / sizeof vs[0]; k++) {
        int i = pk_hist_index(vs[k]);
        CHECK(pk_hist_upper(i) >= vs[k] && (i == 0 || pk_hist_upper(i - 1) < vs[k]),
              "%" PRIu64 " in bucket %d", vs[k], i);
    }
    for (int i = 1; i < PK_HIST_BUCKETS; i++)
        CHECK(pk_hist_index(pk_hist_upper(i - 1) + 1) == i, "bucket %d starts after %d", i, i - 1);

    pk_hist *h = calloc(1, sizeof *h);
    if (!h)
        abort();
    CHECK(pk_hist_quantile(h, 0.5) == 0, "empty histogram");
    for (uint64_t v = 1; v <= 100; v++)
        pk_hist_record(h, v * 1000); /* 1 us .. 100 us */
    /* ceil(0.5 * 100) = the 50th value, 50000 ns, in bucket [49152, 53247]. */
    CHECK(pk_hist_quantile(h, 0.5) == 53247, "p50 = %" PRIu64, pk_hist_quantile(h, 0.5));
    CHECK(pk_hist_quantile(h, 0.99) == pk_hist_upper(pk_hist_index(99000)), "p99");
    CHECK(pk_hist_quantile(h, 0.999) == pk_hist_upper(pk_hist_index(100000)), "p999");
    CHECK(h->count == 100 && h->max == 100000, "count %" PRIu64 " max %" PRIu64, h->count, h->max);
    free(h);
}

static void test_parse(void)
{
    char *argv[] = {"kittest", "--size", "512", "--iters=3", "--threads", "2", "--seed",
                    "18446744073709551615", "--variant", "faer", "--hiccup", "--addr",
                    "127.0.0.1:0", "--input=x=y", "--size=+7", NULL};
    pk_params p = pk_defaults("std");
    pk_parse(&p, (int)(sizeof argv / sizeof argv[0]) - 1, argv);
    CHECK(p.size == 7 && p.iters == 3 && p.threads == 2 && p.seed == UINT64_MAX, "numbers");
    CHECK(strcmp(p.variant, "faer") == 0 && p.hiccup, "variant, hiccup");
    CHECK(strcmp(p.addr, "127.0.0.1:0") == 0 && strcmp(p.input, "x=y") == 0, "addr, input");
    pk_params d = pk_defaults("naive");
    CHECK(d.size == 0 && d.iters == 1 && d.threads == 1 && d.seed == 1 && !d.hiccup, "defaults");
}

static void test_meter(void)
{
    pk_meter *m = pk_meter_start();
    struct timespec ts = {0, 20 * 1000000};
    nanosleep(&ts, NULL);
    pk_hiccup h = pk_meter_stop(m);
    CHECK(h.interval_ns == 1000000 && h.count >= 1 && h.count <= 21, "meter count %" PRIu64, h.count);
    CHECK(h.p50_ns <= h.p99_ns && h.p99_ns <= h.p999_ns, "quantiles ordered");
    /* Fewer than 1000 wake-ups: ceil(0.999 * count) = count, the bucket holding the max. */
    CHECK(h.p999_ns == pk_hist_upper(pk_hist_index(h.max_ns)), "p999 %" PRIu64 " max %" PRIu64,
          h.p999_ns, h.max_ns);
}

/* A known stall: a child stops this whole process for 50 ms (SIGSTOP, then SIGCONT), a
 * stall no runtime reports about itself. The meter must see it. */
static void test_meter_sees_stall(void)
{
    pk_meter *m = pk_meter_start();
    struct timespec settle = {0, 10 * 1000000}, stall = {0, 50 * 1000000};
    nanosleep(&settle, NULL);
    pid_t parent = getpid(), child = fork();
    if (child == 0) {
        kill(parent, SIGSTOP);
        nanosleep(&stall, NULL);
        kill(parent, SIGCONT);
        _exit(0);
    }
    CHECK(child > 0, "fork failed");
    if (child > 0)
        waitpid(child, NULL, 0);
    nanosleep(&settle, NULL);
    pk_hiccup h = pk_meter_stop(m);
    CHECK(h.max_ns >= 40 * 1000000, "a 50 ms stall shows as max %" PRIu64 " ns", h.max_ns);
}

/* The result lines every kit must print for the same inputs: the C rows of the table the Go
 * and Rust kits and the harness's validator read too, byte for byte. */
static void test_shared_result_lines(void)
{
    FILE *table = fopen("../bench/peer/testdata/result-lines.txt", "r");
    if (!table)
        table = fopen("bench/peer/testdata/result-lines.txt", "r");
    CHECK(table != NULL, "cannot open bench/peer/testdata/result-lines.txt");
    if (!table)
        return;
    char row[4096];
    int n = 0;
    while (fgets(row, sizeof row, table)) {
        if (row[0] == '#')
            continue;
        row[strcspn(row, "\n")] = 0;
        char *col[14];
        int k = 0;
        for (char *s = row; k < 14; k++) {
            col[k] = s;
            char *tab = strchr(s, '\t');
            if (!tab) {
                k++;
                break;
            }
            *tab = 0;
            s = tab + 1;
        }
        CHECK(k == 14, "a table row with %d columns", k);
        if (k != 14 || strcmp(col[1], "c") != 0)
            continue;
        pk_params p = pk_defaults(col[2]);
        p.size = strtoll(col[3], NULL, 10);
        p.iters = strtoll(col[4], NULL, 10);
        p.threads = strtoll(col[5], NULL, 10);
        p.seed = strtoull(col[6], NULL, 10);
        p.workers = strcmp(col[7], "-") == 0 ? -1 : strtoll(col[7], NULL, 10);
        p.capacity = strcmp(col[8], "-") == 0 ? -1 : strtoll(col[8], NULL, 10);
        char got[4096] = {0};
        FILE *out = fmemopen(got, sizeof got - 1, "w");
        pk_write_result(out, col[0], &p, strtoull(col[9], NULL, 10), strtoull(col[10], NULL, 10),
                        col[11], strtoll(col[12], NULL, 10), NULL, NULL, 0);
        fclose(out);
        char want[4096];
        snprintf(want, sizeof want, "%s\n", col[13]);
        CHECK(strcmp(got, want) == 0, "%s %s:\n got %s want %s", col[0], col[2], got, want);
        n++;
    }
    fclose(table);
    CHECK(n > 0, "no C row in the shared table");
}

int main(void)
{
    test_shared_result_lines();
    test_fnv();
    test_splitmix();
    test_hist();
    test_parse();
    test_meter();
    test_meter_sees_stall();
    if (failures) {
        fprintf(stderr, "kittest: %d failure(s)\n", failures);
        return 1;
    }
    puts("kittest: ok");
    return 0;
}
