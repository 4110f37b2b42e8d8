package results

// Units of samples.bench. Every unit names what it measures and its scale; benchstat tidies
// "ns" to seconds. Better says which direction is an improvement, and Unit lines in
// samples.bench carry it so benchstat and our gate agree.
const (
	UnitExec       = "exec-ns"           // harness clock: just before exec to exit (batch) or READY (server)
	UnitUser       = "user-ns"           // user CPU time from wait4, whole process
	UnitSys        = "sys-ns"            // system CPU time from wait4, whole process
	UnitPeakRSS    = "peak-RSS-B"        // VmHWM: the peer's own report at exit, or /proc read by the harness
	UnitPerOp      = "ns/op"             // the peer's timed region divided by its ops
	UnitHiccupP99  = "hiccup-p99-ns"     // hiccup meter: p99 lateness of a 1 ms sleep
	UnitHiccupMax  = "hiccup-max-ns"     // hiccup meter: worst lateness
	UnitGCPauses   = "gc-pauses"         // Go: stop-the-world pauses in the timed region
	UnitGCPauseMax = "gc-pause-max-ns"   // Go: longest pause (upper bucket bound)
	UnitGCTotal    = "gc-pause-total-ns" // Go: pauses summed
	UnitBuild      = "build-ns"          // wall time of a build
	UnitBinary     = "binary-B"          // size of a built executable as built
	UnitStripped   = "stripped-B"        // the same, after strip
)

// unitMeta is what samples.bench says about each unit. Sizes of files are exact; everything
// timed assumes nothing about its distribution (benchstat's default).
var unitMeta = []struct{ unit, better, assume string }{
	{UnitExec, "lower", ""},
	{UnitUser, "lower", ""},
	{UnitSys, "lower", ""},
	{UnitPeakRSS, "lower", ""},
	{UnitPerOp, "lower", ""},
	{UnitHiccupP99, "lower", ""},
	{UnitHiccupMax, "lower", ""},
	{UnitGCPauses, "lower", ""},
	{UnitGCPauseMax, "lower", ""},
	{UnitGCTotal, "lower", ""},
	{UnitBuild, "lower", ""},
	{UnitBinary, "lower", "exact"},
	{UnitStripped, "lower", "exact"},
}
