/* The C peer of the nbody workload (workloads/README.md): the n-body problem (the Sun and the
 * four gas giants, symplectic Euler steps of dt = 0.01), single-threaded. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "peerkit.h"

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define NBODIES 5
#define WARMUP_STEPS 1000

typedef struct {
    double x, y, z, vx, vy, vz, mass;
} body;

static void init_system(body b[NBODIES])
{
    const body sys[NBODIES] = {
        {0, 0, 0, 0, 0, 0, SOLAR_MASS}, /* Sun */
        {/* Jupiter */ 4.84143144246472090e+00, -1.16032004402742839e+00,
         -1.03622044471123109e-01, 1.66007664274403694e-03 * DAYS_PER_YEAR,
         7.69901118419740425e-03 * DAYS_PER_YEAR, -6.90460016972063023e-05 * DAYS_PER_YEAR,
         9.54791938424326609e-04 * SOLAR_MASS},
        {/* Saturn */ 8.34336671824457987e+00, 4.12479856412430479e+00,
         -4.03523417114321381e-01, -2.76742510726862411e-03 * DAYS_PER_YEAR,
         4.99852801234917238e-03 * DAYS_PER_YEAR, 2.30417297573763929e-05 * DAYS_PER_YEAR,
         2.85885980666130812e-04 * SOLAR_MASS},
        {/* Uranus */ 1.28943695621391310e+01, -1.51111514016986312e+01,
         -2.23307578892655734e-01, 2.96460137564761618e-03 * DAYS_PER_YEAR,
         2.37847173959480950e-03 * DAYS_PER_YEAR, -2.96589568540237556e-05 * DAYS_PER_YEAR,
         4.36624404335156298e-05 * SOLAR_MASS},
        {/* Neptune */ 1.53796971148509165e+01, -2.59193146099879641e+01,
         1.79258772950371181e-01, 2.68067772490389322e-03 * DAYS_PER_YEAR,
         1.62824170038242295e-03 * DAYS_PER_YEAR, -9.51592254519715870e-05 * DAYS_PER_YEAR,
         5.15138902046611451e-05 * SOLAR_MASS},
    };
    for (int i = 0; i < NBODIES; i++)
        b[i] = sys[i];
}

/* Gives the Sun the velocity that makes the total momentum zero. */
static void offset_momentum(body b[NBODIES])
{
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < NBODIES; i++) {
        px += b[i].vx * b[i].mass;
        py += b[i].vy * b[i].mass;
        pz += b[i].vz * b[i].mass;
    }
    b[0].vx = -px / SOLAR_MASS;
    b[0].vy = -py / SOLAR_MASS;
    b[0].vz = -pz / SOLAR_MASS;
}

static double energy(const body b[NBODIES])
{
    double e = 0.0;
    for (int i = 0; i < NBODIES; i++) {
        const body *bi = &b[i];
        e += 0.5 * bi->mass * (bi->vx * bi->vx + bi->vy * bi->vy + bi->vz * bi->vz);
        for (int j = i + 1; j < NBODIES; j++) {
            const body *bj = &b[j];
            double dx = bi->x - bj->x, dy = bi->y - bj->y, dz = bi->z - bj->z;
            e -= bi->mass * bj->mass / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

/* One step of dt: velocities from every pair, then positions. */
static void advance(body b[NBODIES], double dt)
{
    for (int i = 0; i < NBODIES; i++) {
        body *bi = &b[i];
        for (int j = i + 1; j < NBODIES; j++) {
            body *bj = &b[j];
            double dx = bi->x - bj->x, dy = bi->y - bj->y, dz = bi->z - bj->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt(d2));
            bi->vx -= dx * bj->mass * mag;
            bi->vy -= dy * bj->mass * mag;
            bi->vz -= dz * bj->mass * mag;
            bj->vx += dx * bi->mass * mag;
            bj->vy += dy * bi->mass * mag;
            bj->vz += dz * bi->mass * mag;
        }
    }
    for (int i = 0; i < NBODIES; i++) {
        b[i].x += dt * b[i].vx;
        b[i].y += dt * b[i].vy;
        b[i].z += dt * b[i].vz;
    }
}

/* The problem's program: the energy (%.9f) before and after `steps` steps, into out. */
static size_t run(int64_t steps, size_t threads, char *out, size_t cap)
{
    (void)threads; /* nbody is sequential */
    body b[NBODIES];
    init_system(b);
    offset_momentum(b);
    size_t len = (size_t)snprintf(out, cap, "%.9f\n", energy(b));
    for (int64_t s = 0; s < steps; s++)
        advance(b, 0.01);
    return len + (size_t)snprintf(out + len, cap - len, "%.9f\n", energy(b));
}

int main(int argc, char **argv)
{
    static const pk_kernel k = {
        .name = "nbody",
        .default_size = 1000,
        .size_what = "a step count",
        .warmup_size = WARMUP_STEPS,
        .out_cap = 128,
        .run = run,
    };
    return pk_kernel_main(&k, argc, argv);
}
