package peerkit

// FNV1a64 is FNV-1a 64 over b, the protocol's exact checksum, as 16 lowercase hex digits.
func FNV1a64(b []byte) string {
	h := uint64(0xcbf29ce484222325)
	for _, c := range b {
		h ^= uint64(c)
		h *= 0x100000001b3
	}
	const hex = "0123456789abcdef"
	var out [16]byte
	for i := 15; i >= 0; i-- {
		out[i] = hex[h&0xf]
		h >>= 4
	}
	return string(out[:])
}

// SplitMix64 is the workloads' one input generator (workloads/README.md).
type SplitMix64 struct{ state uint64 }

// NewSplitMix64 starts the generator at seed.
func NewSplitMix64(seed uint64) *SplitMix64 { return &SplitMix64{state: seed} }

// Next returns the next 64 random bits.
func (s *SplitMix64) Next() uint64 {
	s.state += 0x9E3779B97F4A7C15
	z := s.state
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// Float returns the next value mapped to [-1, 1): (Next() >> 11) * 2^-53 * 2 - 1.
func (s *SplitMix64) Float() float64 {
	return float64(s.Next()>>11)*(1.0/(1<<53))*2 - 1
}
