package loadgen

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
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

func TestUnreachableRateIsFlagged(t *testing.T) {
	addr := echoServer(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * time.Millisecond)
		w.Write([]byte("ok"))
	})
	res, err := Run(context.Background(), Config{Addr: addr, Path: "/", Conns: 1, Rate: 5000, Duration: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Bottleneck, "achieved") {
		t.Errorf("one connection to a 2 ms server cannot do 5000/s; bottleneck %q (achieved %.0f)", res.Bottleneck, res.AchievedRate)
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
