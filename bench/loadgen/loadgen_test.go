package loadgen

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func echoServer(t *testing.T, handler http.HandlerFunc) string {
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func echo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", r.Header.Get("Content-Type"))
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

func TestClosedLoopCountsEveryAnswer(t *testing.T) {
	addr := echoServer(t, echo)
	res, err := Run(context.Background(), Config{Addr: addr, Path: "/echo", Payload: make([]byte, 1024), ContentType: "application/octet-stream",
		Conns: 4, Warmup: 50 * time.Millisecond, Duration: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != "closed" || res.Requests < 10 || res.Errors != 0 || res.Non2xx != 0 || res.Latency.P50 <= 0 || res.Latency != res.Uncorrected {
		t.Errorf("got %+v", res)
	}
}

func TestNon2xxAndErrorsAreCounted(t *testing.T) {
	var n atomic.Int64
	addr := echoServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 0 {
			http.Error(w, "no", http.StatusInternalServerError)
			return
		}
		w.Write([]byte("ok"))
	})
	res, err := Run(context.Background(), Config{Addr: addr, Path: "/", Conns: 2, Duration: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Non2xx == 0 || res.Non2xx > res.Requests || res.Errors != 0 {
		t.Errorf("got %+v", res)
	}
	// A server that hangs up without answering: errors, with the first one quoted.
	hangup := echoServer(t, func(w http.ResponseWriter, r *http.Request) {
		c, _, _ := w.(http.Hijacker).Hijack()
		c.Close()
	})
	res, err = Run(context.Background(), Config{Addr: hangup, Path: "/", Conns: 1, Duration: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors == 0 || res.FirstError == "" || res.Requests != 0 {
		t.Errorf("got %+v", res)
	}
}

func TestUnreachableServer(t *testing.T) {
	_, err := Run(context.Background(), Config{Addr: "127.0.0.1:1", Path: "/", Conns: 1, Duration: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "cannot connect to 127.0.0.1:1") {
		t.Errorf("got %v", err)
	}
}

// A stall in the server must show in the corrected latency of the requests that were due
// during it, while the uncorrected latency (from the late send) hides it: that is the
// coordinated omission the open loop corrects.
func TestOpenLoopCorrectsCoordinatedOmission(t *testing.T) {
	var n atomic.Int64
	addr := echoServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 100 {
			time.Sleep(300 * time.Millisecond)
		}
		w.Write([]byte("ok"))
	})
	res, err := Run(context.Background(), Config{Addr: addr, Path: "/", Conns: 1, Rate: 500, Duration: 1500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != "open" || res.Requests < 300 {
		t.Fatalf("got %+v", res)
	}
	if res.Latency.Max < int64(250*time.Millisecond) {
		t.Errorf("corrected max %v should include the 300 ms stall", time.Duration(res.Latency.Max))
	}
	if res.Latency.P90 <= res.Uncorrected.P90 && res.Latency.P99 <= res.Uncorrected.P99 {
		t.Errorf("corrected latency (%+v) should exceed uncorrected (%+v) after a stall", res.Latency, res.Uncorrected)
	}
}

// One connection to a 2 ms server cannot do 5000/s: the requests that never went out waited
// for the server's answers, which is the server's pace at this connection count, not the
// generator's, and the result says so rather than blame the generator.
func TestServerLimitedRateIsNotTheGenerators(t *testing.T) {
	addr := echoServer(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * time.Millisecond)
		w.Write([]byte("ok"))
	})
	res, err := Run(context.Background(), Config{Addr: addr, Path: "/", Conns: 1, Rate: 5000, Duration: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.AchievedRate > 1000 || res.Unsent < 1000 || res.UnsentWaiting != res.Unsent {
		t.Errorf("achieved %.0f, unsent %d of which waiting %d", res.AchievedRate, res.Unsent, res.UnsentWaiting)
	}
	if strings.Contains(res.Bottleneck, "achieved") || strings.Contains(res.Bottleneck, "never sent") {
		t.Errorf("blamed on the generator: %q", res.Bottleneck)
	}
}

func TestVerifyEcho(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /echo", echo)
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	mux.HandleFunc("/", http.NotFound)
	good := echoServer(t, mux.ServeHTTP)
	if err := VerifyEcho(good); err != nil {
		t.Errorf("a correct echo server fails: %v", err)
	}
	for name, h := range map[string]http.HandlerFunc{
		"drops a byte": func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/echo" {
				mux.ServeHTTP(w, r)
				return
			}
			b, _ := io.ReadAll(r.Body)
			if len(b) > 0 {
				b = b[1:]
			}
			w.Write(b)
		},
		"wrong content type": func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/echo" {
				mux.ServeHTTP(w, r)
				return
			}
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "text/plain")
			w.Write(b)
		},
		"200 everywhere": func(w http.ResponseWriter, r *http.Request) { echo(w, r) },
	} {
		if err := VerifyEcho(echoServer(t, h)); err == nil {
			t.Errorf("%s: verification passed", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

// Every request of the recorded window is accounted for: answered, failed or never sent, and
// the per-connection shares of the schedule add up to rate x duration.
func TestOpenLoopSendsTheWholeSchedule(t *testing.T) {
	addr := echoServer(t, echo)
	res, err := Run(context.Background(), Config{Addr: addr, Path: "/echo", Payload: make([]byte, 100), ContentType: "application/octet-stream",
		Conns: 7, Rate: 1000, Warmup: 50 * time.Millisecond, Duration: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Requests + res.Errors + res.Unsent; n < 299 || n > 301 {
		t.Errorf("%d answered + %d failed + %d unsent, want the 300 due in 300 ms at 1000/s", res.Requests, res.Errors, res.Unsent)
	}
	if res.Errors != 0 || res.Lag.P50 <= 0 && res.Lag.Max <= 0 && res.Latency.P50 <= 0 {
		t.Errorf("got %+v", res)
	}
	if res.CPUPerReq <= 0 {
		t.Errorf("CPU per request %v", res.CPUPerReq)
	}
}

// With a slack, requests due close together go out in one burst, some early; an early
// request's latency counts from its send, so the corrected latency never falls below the
// uncorrected and no send counts as late for being early.
func TestSlackSendsDueRequestsTogether(t *testing.T) {
	var mu sync.Mutex
	var arrivals []time.Time
	addr := echoServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		echo(w, r)
	})
	// 1000/s is a request every millisecond; a 5 ms slack sends about six at each wake-up.
	res, err := Run(context.Background(), Config{Addr: addr, Path: "/echo", Payload: make([]byte, 64), ContentType: "application/octet-stream",
		Conns: 8, Rate: 1000, Duration: 300 * time.Millisecond, Slack: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests < 290 || res.Errors != 0 || res.SlackNs != int64(5*time.Millisecond) {
		t.Fatalf("got %+v", res)
	}
	mu.Lock()
	defer mu.Unlock()
	slices.SortFunc(arrivals, func(a, b time.Time) int { return a.Compare(b) })
	close := 0
	for i := 1; i < len(arrivals); i++ {
		if arrivals[i].Sub(arrivals[i-1]) < 300*time.Microsecond {
			close++
		}
	}
	if 2*close < len(arrivals) {
		t.Errorf("%d of %d requests arrived within 300 µs of the previous one: not sent in bursts", close, len(arrivals))
	}
	if res.Latency.P50 < res.Uncorrected.P50 || res.Latency.P99 < res.Uncorrected.P99 {
		t.Errorf("corrected latency %+v below uncorrected %+v: an early send counted from its due time", res.Latency, res.Uncorrected)
	}
	// Most sends are early (lag 0); counted as late by how early they were, the median would
	// be about half the slack. A noisy machine makes some sends really late, so allow 1 ms.
	if res.Lag.P50 >= int64(time.Millisecond) {
		t.Errorf("schedule lag p50 %v: the early sends count as late", time.Duration(res.Lag.P50))
	}
}

// At 10 requests/s the open loop wakes only to send, every 100 ms, and reads the previous
// answers then; their latency is when they reached the socket (the kernel's receive
// timestamp), not when the engine got round to reading them.
func TestAnswersAreTimedOnArrivalNotOnRead(t *testing.T) {
	addr := echoServer(t, echo)
	res, err := Run(context.Background(), Config{Addr: addr, Path: "/echo", Payload: make([]byte, 64), ContentType: "application/octet-stream",
		Conns: 4, Rate: 10, Duration: 600 * time.Millisecond, Slack: DefaultSlack})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests < 5 || res.Errors != 0 {
		t.Fatalf("got %+v", res)
	}
	if res.Uncorrected.P50 > int64(50*time.Millisecond) {
		t.Errorf("latency p50 %v: the answers were timed when read at the next send, not on arrival", time.Duration(res.Uncorrected.P50))
	}
}

// The kernel stamps a TCP segment when it reaches the socket, and recv finds that stamp
// however late the read comes. (The first segments after a process turns stamping on may come
// unstamped: the kernel enables it in deferred work; the engine then times answers when read
// and wakes for them until stamps come.)
func TestReceiverGivesTheArrivalTime(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	raw, err := client.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var rerr error
	raw.Control(func(fd uintptr) { rerr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1) })
	if rerr != nil {
		t.Fatal(rerr)
	}
	var rx receiver
	buf := make([]byte, 64)
	for range 20 {
		before := time.Now()
		server.Write([]byte("hello"))
		time.Sleep(50 * time.Millisecond)
		read := time.Now()
		var n int
		var stamp int64
		raw.Control(func(fd uintptr) { n, stamp, rerr = rx.recv(int(fd), buf) })
		if rerr != nil || n != 5 {
			t.Fatalf("recv: %d bytes, %v", n, rerr)
		}
		if stamp == 0 {
			continue
		}
		if at := time.Unix(0, stamp); at.Before(before.Add(-time.Millisecond)) || at.After(read.Add(-40*time.Millisecond)) {
			t.Errorf("stamped %v after the write began; read %v after it", at.Sub(before), read.Sub(before))
		}
		return
	}
	t.Error("no receive timestamp in 20 reads")
}

// Requests larger than a socket buffer are written in parts and still answered whole; the
// open loop wakes to write the rest as soon as the socket takes it, not at its next send
// (every 100 ms at 10/s).
func TestLargeRequests(t *testing.T) {
	addr := echoServer(t, echo)
	var closed int64 // the closed loop's p50: what a 32 MiB echo costs on this machine now
	for _, rate := range []float64{0, 10} {
		res, err := Run(context.Background(), Config{Addr: addr, Path: "/echo", Payload: make([]byte, 32<<20), ContentType: "application/octet-stream",
			Conns: 2, Rate: rate, Duration: 300 * time.Millisecond, Slack: DefaultSlack})
		if err != nil {
			t.Fatal(err)
		}
		if res.Requests < 2 || res.Errors != 0 {
			t.Errorf("rate %v: got %+v", rate, res)
		}
		if rate == 0 {
			closed = res.Uncorrected.P50
		}
		// Waiting for the next send adds about its period (100 ms) to the echo's own time;
		// a busy machine makes both loops slower alike.
		if rate > 0 && res.Uncorrected.P50 > closed+int64(70*time.Millisecond) {
			t.Errorf("rate %v: latency p50 %v, closed loop %v: the rest of a request waited for the next send", rate, time.Duration(res.Uncorrected.P50), time.Duration(closed))
		}
	}
}

// A generator that cannot keep its schedule (each send burns 2 ms of CPU, at 1000 requests/s)
// says so, with the reason; the same run without the burden is not flagged.
func TestStarvedGeneratorIsFlagged(t *testing.T) {
	addr := echoServer(t, echo)
	cfg := Config{Addr: addr, Path: "/echo", Payload: make([]byte, 64), ContentType: "application/octet-stream",
		Conns: 4, Rate: 1000, Warmup: 50 * time.Millisecond, Duration: 300 * time.Millisecond}
	testSendDelay = 2 * time.Millisecond
	res, err := Run(context.Background(), cfg)
	testSendDelay = 0
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Bottleneck, "sent late") || res.Unsent == 0 {
		t.Errorf("a starved generator: bottleneck %q (lag p99 %v, unsent %d, achieved %.0f)", res.Bottleneck, time.Duration(res.Lag.P99), res.Unsent, res.AchievedRate)
	}
	// Healthy: the machine may be noisy, so one clean run out of five is enough.
	var why []string
	for range 5 {
		res, err = Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Bottleneck == "" {
			return
		}
		why = append(why, res.Bottleneck)
	}
	starved := false
	for _, w := range why {
		late := strings.Contains(w, "sent late")
		starved = starved || late
		if !(late || strings.Contains(w, "never sent although their connection was free")) || strings.Contains(w, "CPU") {
			t.Fatalf("a healthy generator at 1000/s flagged in five runs out of five: %q", why)
		}
	}
	if !starved { // requests left unsent in every run, and never late: the generator drops them
		t.Fatalf("a healthy generator at 1000/s left requests unsent in five runs out of five: %q", why)
	}
	// Only lateness (and what follows from it: a request whose slot passed before the window
	// closed is never sent), seen at least once: the test's process did not get the CPU on
	// time, which is the machine's state, not the generator's; check-loadgen gates the lag.
	t.Skipf("machine too busy to judge a healthy run: %q", why)
}

func TestBottleneckRules(t *testing.T) {
	open := func(f func(*Result)) Result {
		r := Result{Mode: "open", TargetRate: 10000, AchievedRate: 10000, Requests: 100000, CPUUtil: 0.5}
		r.Lag.P99 = int64(50 * time.Microsecond)
		f(&r)
		return r
	}
	for _, tc := range []struct {
		name string
		r    Result
		want string // "" for not flagged
	}{
		{"healthy", open(func(*Result) {}), ""},
		{"busy CPU on schedule", open(func(r *Result) { r.CPUUtil = 0.99 }), ""},
		{"busy CPU and slipping", open(func(r *Result) { r.CPUUtil = 0.99; r.Lag.P99 = int64(400 * time.Microsecond) }), "CPU 99% busy"},
		{"late", open(func(r *Result) { r.Lag.P99 = int64(2 * time.Millisecond) }), "sent late"},
		{"one unsent at the end", open(func(r *Result) { r.Unsent = 1 }), ""},
		{"many unsent", open(func(r *Result) { r.Unsent = 1000 }), "never sent"},
		{"many unsent, waiting for the server", open(func(r *Result) { r.Unsent, r.UnsentWaiting, r.AchievedRate = 10000, 9990, 9000 }), ""},
		{"rate not reached", open(func(r *Result) { r.AchievedRate, r.Unsent = 9000, 10000 }), "achieved 9000 of 10000"},
		{"closed loop, busy CPU", Result{Mode: "closed", CPUUtil: 0.99}, "CPU 99% busy"},
		{"closed loop", Result{Mode: "closed", CPUUtil: 0.8}, ""},
	} {
		got := bottleneck(tc.r)
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s: bottleneck %q, want %q", tc.name, got, tc.want)
		}
	}
}
