//! The hiccup meter (PROTOCOL.md, "The hiccup meter"): a thread that sleeps 1 ms in a loop and
//! records how late it woke, in a log-linear histogram identical in every kit.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long the hiccup meter sleeps between wake-ups.
pub const HICCUP_INTERVAL: Duration = Duration::from_millis(1);

/// Buckets for every u64: exact below 8, then 8 sub-buckets per power of two up to 2^63.
const BUCKETS: usize = (63 - 2) * 8 + 8;

/// The protocol's log-linear histogram of nanosecond values.
#[derive(Clone, Debug)]
pub struct Histogram {
    counts: [u64; BUCKETS],
    count: u64,
    max: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: [0; BUCKETS],
            count: 0,
            max: 0,
        }
    }
}

impl Histogram {
    /// The bucket of `v`: `v` below 8, else `(e - 2) * 8 + ((v >> (e - 3)) & 7)` with
    /// `e = floor(log2(v))`.
    pub fn index(v: u64) -> usize {
        if v < 8 {
            return v as usize;
        }
        let e = 63 - v.leading_zeros() as usize;
        (e - 2) * 8 + ((v >> (e - 3)) & 7) as usize
    }

    /// The largest value whose bucket is `i`.
    pub fn upper(i: usize) -> u64 {
        assert!(i < BUCKETS, "bucket {i} out of range");
        if i < 8 {
            return i as u64;
        }
        let e = i / 8 + 2;
        let m = (i % 8) as u64;
        let lower = (8 + m) << (e - 3);
        lower + ((1u64 << (e - 3)) - 1)
    }

    /// Adds one value.
    pub fn record(&mut self, v: u64) {
        self.counts[Self::index(v)] += 1;
        self.count += 1;
        self.max = self.max.max(v);
    }

    /// The number of values recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The exact largest value recorded; 0 when empty.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The upper bound of the smallest bucket whose cumulative count reaches `ceil(q * count)`;
    /// 0 for an empty histogram.
    pub fn quantile(&self, q: f64) -> u64 {
        if self.count == 0 {
            return 0;
        }
        let exact = q * self.count as f64;
        let mut target = exact as u64;
        if (target as f64) < exact {
            target += 1;
        }
        let target = target.max(1);
        let mut cum = 0u64;
        for (i, &c) in self.counts.iter().enumerate() {
            cum += c;
            if cum >= target {
                return Self::upper(i);
            }
        }
        self.max
    }

    /// The result line's summary of this histogram as the hiccup meter's.
    pub fn summary(&self) -> Hiccup {
        Hiccup {
            interval_ns: HICCUP_INTERVAL.as_nanos() as u64,
            count: self.count,
            p50_ns: self.quantile(0.50),
            p99_ns: self.quantile(0.99),
            p999_ns: self.quantile(0.999),
            max_ns: self.max,
        }
    }
}

/// The hiccup object of the result line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hiccup {
    pub interval_ns: u64,
    pub count: u64,
    pub p50_ns: u64,
    pub p99_ns: u64,
    pub p999_ns: u64,
    pub max_ns: u64,
}

/// A running hiccup meter: start it at the beginning of the timed region, stop it at its end.
pub struct HiccupMeter {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Box<Histogram>>,
}

impl HiccupMeter {
    /// Starts the meter's thread. A thread that cannot be started is a failure while working.
    pub fn start() -> HiccupMeter {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = thread::Builder::new()
            .name("hiccup".into())
            .spawn(move || meter_loop(&flag))
            .unwrap_or_else(|e| crate::fail(&format!("cannot start the hiccup meter: {e}")));
        HiccupMeter { stop, thread }
    }

    /// Stops the meter, waits for its thread, and returns its summary.
    pub fn stop(self) -> Hiccup {
        self.stop.store(true, Ordering::Release);
        match self.thread.join() {
            Ok(hist) => hist.summary(),
            Err(_) => crate::fail("the hiccup meter's thread panicked"),
        }
    }
}

fn meter_loop(stop: &AtomicBool) -> Box<Histogram> {
    let mut hist = Box::<Histogram>::default();
    while !stop.load(Ordering::Acquire) {
        let before = Instant::now();
        thread::sleep(HICCUP_INTERVAL);
        let late = before.elapsed().saturating_sub(HICCUP_INTERVAL);
        hist.record(u64::try_from(late.as_nanos()).unwrap_or(u64::MAX));
    }
    hist
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_matches_the_definition() {
        for v in 0..8 {
            assert_eq!(Histogram::index(v), v as usize);
        }
        // e = 3: 8..15 are exact too, buckets 8..15.
        assert_eq!(Histogram::index(8), 8);
        assert_eq!(Histogram::index(15), 15);
        // e = 4: pairs.
        assert_eq!(Histogram::index(16), 16);
        assert_eq!(Histogram::index(17), 16);
        assert_eq!(Histogram::index(18), 17);
        assert_eq!(Histogram::index(31), 23);
        assert_eq!(Histogram::index(32), 24);
        // 1 ms: e = 19, (1_000_000 >> 16) & 7 = 15 & 7 = 7.
        assert_eq!(Histogram::index(1_000_000), 17 * 8 + 7);
        assert_eq!(Histogram::index(u64::MAX), BUCKETS - 1);
    }

    #[test]
    fn upper_bounds() {
        for i in 0..16 {
            assert_eq!(Histogram::upper(i), i as u64);
        }
        assert_eq!(Histogram::upper(16), 17);
        assert_eq!(Histogram::upper(23), 31);
        assert_eq!(Histogram::upper(Histogram::index(50_000)), 53247);
        assert_eq!(Histogram::upper(BUCKETS - 1), u64::MAX);
    }

    #[test]
    fn buckets_tile_the_number_line() {
        for v in [
            0,
            1,
            7,
            8,
            9,
            15,
            16,
            17,
            31,
            1000,
            999_999,
            1_000_000,
            1 << 40,
            (1 << 63) + 12345,
            u64::MAX,
        ] {
            let i = Histogram::index(v);
            assert!(Histogram::upper(i) >= v, "v={v}: bucket {i}");
            assert!(i == 0 || Histogram::upper(i - 1) < v, "v={v}: bucket {i}");
        }
        // Every bucket's upper bound maps back to it, and the next value to the next bucket.
        for i in 0..BUCKETS {
            let u = Histogram::upper(i);
            assert_eq!(Histogram::index(u), i);
            if i + 1 < BUCKETS {
                assert_eq!(Histogram::index(u + 1), i + 1);
            }
        }
    }

    #[test]
    fn quantiles() {
        let h = Histogram::default();
        assert_eq!(h.quantile(0.5), 0);
        assert_eq!(
            h.summary(),
            Hiccup {
                interval_ns: 1_000_000,
                ..Hiccup::default()
            }
        );

        let mut h = Histogram::default();
        for v in 1..=100u64 {
            h.record(v * 1000); // 1 µs .. 100 µs
        }
        // ceil(0.5 * 100) = the 50th value, 50000 ns, in bucket [49152, 53247].
        assert_eq!(h.quantile(0.5), 53247);
        // ceil(0.99 * 100) = the 99th value, 99000 ns, in bucket [98304, 106495].
        assert_eq!(h.quantile(0.99), 106495);
        // ceil(0.999 * 100) = 100: the 100th value, 100000 ns, same bucket.
        assert_eq!(h.quantile(0.999), 106495);
        assert_eq!(h.quantile(0.0), Histogram::upper(Histogram::index(1000)));
        assert_eq!((h.count(), h.max()), (100, 100_000));

        let mut h = Histogram::default();
        h.record(3);
        h.record(3);
        h.record(1000);
        // ceil(0.5 * 3) = 2: both 3s reach it.
        assert_eq!(h.quantile(0.5), 3);
        assert_eq!(h.quantile(0.99), 1023);
        assert_eq!(
            h.summary(),
            Hiccup {
                interval_ns: 1_000_000,
                count: 3,
                p50_ns: 3,
                p99_ns: 1023,
                p999_ns: 1023,
                max_ns: 1000,
            }
        );
    }

    #[test]
    fn meter_runs_and_stops() {
        let meter = HiccupMeter::start();
        thread::sleep(Duration::from_millis(30));
        let h = meter.stop();
        assert_eq!(h.interval_ns, 1_000_000);
        // Some wake-ups in 30 ms (even on a loaded machine), and no more than one per interval.
        assert!(h.count >= 1 && h.count <= 32, "count {}", h.count);
        assert!(h.p50_ns <= h.p99_ns && h.p99_ns <= h.p999_ns);
        assert!(h.p999_ns <= Histogram::upper(Histogram::index(h.max_ns)));
    }

    /// A known stall: a shell stops this whole process for 50 ms (SIGSTOP, then SIGCONT), a
    /// stall no runtime reports about itself. The meter must see it.
    #[test]
    fn meter_sees_a_stall() {
        let meter = HiccupMeter::start();
        thread::sleep(Duration::from_millis(10));
        let pid = std::process::id();
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("kill -STOP {pid}; sleep 0.05; kill -CONT {pid}"))
            .status()
            .expect("running sh");
        assert!(status.success(), "stalling the process: {status}");
        thread::sleep(Duration::from_millis(10));
        let h = meter.stop();
        assert!(
            h.max_ns >= 40_000_000,
            "a 50 ms stall shows as max {} ns",
            h.max_ns
        );
    }
}
