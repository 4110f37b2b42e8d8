//! The Rust peer of the nbody workload (workloads/README.md): the n-body problem (the Sun and
//! the four gas giants, symplectic Euler steps of dt = 0.01), single-threaded.

use std::f64::consts::PI;
use std::fmt::Write as _;

const SOLAR_MASS: f64 = 4.0 * PI * PI;
const DAYS_PER_YEAR: f64 = 365.24;
const WARMUP_STEPS: u64 = 1000;

#[derive(Clone, Copy)]
struct Body {
    x: f64,
    y: f64,
    z: f64,
    vx: f64,
    vy: f64,
    vz: f64,
    mass: f64,
}

fn main() {
    common::Kernel {
        name: "nbody",
        default_size: 1000,
        max_size: 0,
        size_what: "a step count",
        warmup_size: WARMUP_STEPS,
        run: |n, _| run(n as u64),
    }
    .main();
}

/// The problem's program: the energy (%.9f) before and after `steps` steps.
fn run(steps: u64) -> String {
    let mut bodies = system();
    offset_momentum(&mut bodies);
    let mut out = String::new();
    let _ = writeln!(out, "{:.9}", energy(&bodies));
    for _ in 0..steps {
        advance(&mut bodies, 0.01);
    }
    let _ = writeln!(out, "{:.9}", energy(&bodies));
    out
}

const fn planet(pos: [f64; 3], vel: [f64; 3], mass: f64) -> Body {
    Body {
        x: pos[0],
        y: pos[1],
        z: pos[2],
        vx: vel[0] * DAYS_PER_YEAR,
        vy: vel[1] * DAYS_PER_YEAR,
        vz: vel[2] * DAYS_PER_YEAR,
        mass: mass * SOLAR_MASS,
    }
}

// The problem's published initial conditions, digits as published.
#[allow(clippy::excessive_precision)]
fn system() -> [Body; 5] {
    [
        planet([0.0; 3], [0.0; 3], 1.0), // Sun
        planet(
            [
                4.84143144246472090e+00,
                -1.16032004402742839e+00,
                -1.03622044471123109e-01,
            ],
            [
                1.66007664274403694e-03,
                7.69901118419740425e-03,
                -6.90460016972063023e-05,
            ],
            9.54791938424326609e-04,
        ), // Jupiter
        planet(
            [
                8.34336671824457987e+00,
                4.12479856412430479e+00,
                -4.03523417114321381e-01,
            ],
            [
                -2.76742510726862411e-03,
                4.99852801234917238e-03,
                2.30417297573763929e-05,
            ],
            2.85885980666130812e-04,
        ), // Saturn
        planet(
            [
                1.28943695621391310e+01,
                -1.51111514016986312e+01,
                -2.23307578892655734e-01,
            ],
            [
                2.96460137564761618e-03,
                2.37847173959480950e-03,
                -2.96589568540237556e-05,
            ],
            4.36624404335156298e-05,
        ), // Uranus
        planet(
            [
                1.53796971148509165e+01,
                -2.59193146099879641e+01,
                1.79258772950371181e-01,
            ],
            [
                2.68067772490389322e-03,
                1.62824170038242295e-03,
                -9.51592254519715870e-05,
            ],
            5.15138902046611451e-05,
        ), // Neptune
    ]
}

/// Gives the Sun the velocity that makes the total momentum zero.
fn offset_momentum(bodies: &mut [Body; 5]) {
    let (mut px, mut py, mut pz) = (0.0, 0.0, 0.0);
    for b in bodies.iter() {
        px += b.vx * b.mass;
        py += b.vy * b.mass;
        pz += b.vz * b.mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

fn energy(bodies: &[Body; 5]) -> f64 {
    let mut e = 0.0;
    for (i, bi) in bodies.iter().enumerate() {
        e += 0.5 * bi.mass * (bi.vx * bi.vx + bi.vy * bi.vy + bi.vz * bi.vz);
        for bj in &bodies[i + 1..] {
            let (dx, dy, dz) = (bi.x - bj.x, bi.y - bj.y, bi.z - bj.z);
            e -= bi.mass * bj.mass / (dx * dx + dy * dy + dz * dz).sqrt();
        }
    }
    e
}

/// One step of dt: velocities from every pair, then positions.
fn advance(bodies: &mut [Body; 5], dt: f64) {
    for i in 0..bodies.len() {
        let (head, tail) = bodies.split_at_mut(i + 1);
        let bi = &mut head[i];
        for bj in tail.iter_mut() {
            let (dx, dy, dz) = (bi.x - bj.x, bi.y - bj.y, bi.z - bj.z);
            let d2 = dx * dx + dy * dy + dz * dz;
            let mag = dt / (d2 * d2.sqrt());
            bi.vx -= dx * bj.mass * mag;
            bi.vy -= dy * bj.mass * mag;
            bi.vz -= dz * bj.mass * mag;
            bj.vx += dx * bi.mass * mag;
            bj.vy += dy * bi.mass * mag;
            bj.vz += dz * bi.mass * mag;
        }
    }
    for b in bodies.iter_mut() {
        b.x += dt * b.vx;
        b.y += dt * b.vy;
        b.z += dt * b.vz;
    }
}
