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

	// Server workloads.
	UnitFirst200     = "first200-ns"  // harness clock: just before exec to the first 200 from GET /health
	UnitIdleRSS      = "idle-RSS-B"   // VmRSS read by the harness once the server has settled after READY
	UnitThroughput   = "req/s"        // answered requests per second in the recorded window
	UnitTargetRate   = "target-req/s" // the open-loop rate asked for
	UnitLatP50       = "lat-p50-ns"   // open loop: from the scheduled send (coordinated omission corrected)
	UnitLatP90       = "lat-p90-ns"
	UnitLatP99       = "lat-p99-ns"  //
	UnitLatP999      = "lat-p999-ns" //
	UnitLatMax       = "lat-max-ns"  //
	UnitLatP99Uncorr = "lat-p99-uncorrected-ns"
	UnitCPUPerReq    = "server-cpu-ns/req" // server's schedstat run time over the window / requests answered
	UnitServerRSS    = "server-RSS-B"      // server's VmRSS at the end of the window
	UnitLimited      = "loadgen-limited"   // 1 when the load generator, not the server, may have set the pace
	UnitErrors       = "errors"            // requests with no answer, and non-2xx answers
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
	{UnitFirst200, "lower", ""},
	{UnitIdleRSS, "lower", ""},
	{UnitThroughput, "higher", ""},
	{UnitLatP50, "lower", ""},
	{UnitLatP90, "lower", ""},
	{UnitLatP99, "lower", ""},
	{UnitLatP999, "lower", ""},
	{UnitLatMax, "lower", ""},
	{UnitLatP99Uncorr, "lower", ""},
	{UnitCPUPerReq, "lower", ""},
	{UnitServerRSS, "lower", ""},
	{UnitErrors, "lower", ""},
}
