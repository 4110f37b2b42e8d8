//! The workloads' checksum and input generator (workloads/README.md, "Shared building blocks").

/// FNV-1a 64 over `bytes`: offset basis 0xcbf29ce484222325, prime 0x100000001b3.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// FNV-1a 64 over `bytes` as the protocol's exact checksum: 16 lowercase hex digits.
pub fn fnv1a64_hex(bytes: &[u8]) -> String {
    format!("{:016x}", fnv1a64(bytes))
}

/// splitmix64, the workloads' one input generator.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// Starts the generator at `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// The next value mapped to [-1, 1): `(next() >> 11) * 2^-53 * 2.0 - 1.0`.
    pub fn next_f64(&mut self) -> f64 {
        const TWO_POW_MINUS_53: f64 = 1.0 / (1u64 << 53) as f64;
        (self.next() >> 11) as f64 * TWO_POW_MINUS_53 * 2.0 - 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_known_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64_hex(b""), "cbf29ce484222325");
        assert_eq!(fnv1a64_hex(b"a"), "af63dc4c8601ec8c");
        assert_eq!(fnv1a64_hex(b"foobar"), "85944171f73967e8");
        assert_eq!(fnv1a64_hex(b"hello, world\n"), "e60e7ee648829675");
        // Leading zeros are kept: always 16 digits.
        assert_eq!(format!("{:016x}", 0x1u64), "0000000000000001");
    }

    #[test]
    fn splitmix64_seed_0() {
        let mut s = SplitMix64::new(0);
        assert_eq!(s.next(), 0xe220a8397b1dcdaf);
        assert_eq!(s.next(), 0x6e789e6aa1b965f4);
        assert_eq!(s.next(), 0x06c45d188009454f);
    }

    #[test]
    fn splitmix64_float_mapping() {
        // The mapping itself, at its ends: 0 -> -1, all ones -> just below 1.
        assert_eq!(0f64 * (1.0 / (1u64 << 53) as f64) * 2.0 - 1.0, -1.0);
        let top = (u64::MAX >> 11) as f64 * (1.0 / (1u64 << 53) as f64) * 2.0 - 1.0;
        assert!(top < 1.0 && top > 0.999_999_999);
        // The first value for seed 0, from the first output above.
        let first = (0xe220a8397b1dcdafu64 >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
        assert_eq!(SplitMix64::new(0).next_f64(), first);
        let mut s = SplitMix64::new(42);
        for _ in 0..10_000 {
            let f = s.next_f64();
            assert!((-1.0..1.0).contains(&f), "{f} outside [-1, 1)");
        }
    }
}
