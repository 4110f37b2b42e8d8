package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
)

// stdServer is the std variant: net/http with a ServeMux.
type stdServer struct{ srv *http.Server }

func newStdServer() *stdServer {
	// No read, header or idle timeouts, as in the Rust servers (workloads/README.md, echo):
	// each would arm a deadline timer per request, work the other servers do not do.
	return &stdServer{srv: &http.Server{Handler: counted(newMux())}}
}

// newMux routes the service. The Go 1.22 patterns "POST /echo" and "GET /health" alone
// would answer a wrong method on those paths with 405 (and HEAD /health with 200); the
// method-less patterns and HEAD /health are less specific or exact catch-alls that make
// every other request on them 404, as the service definition says. Other paths have no
// pattern and get the ServeMux's own 404.
func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /echo", stdEcho)
	mux.HandleFunc("GET /health", stdHealth)
	mux.HandleFunc("/echo", http.NotFound)
	mux.HandleFunc("/health", http.NotFound)
	mux.HandleFunc("HEAD /health", http.NotFound)
	return mux
}

// counted counts every request h answers.
func counted(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		answered.Add(1)
	})
}

// stdEcho answers POST /echo with the request body. It reads the whole body before it
// writes: net/http's HTTP/1 server does not read a request while it writes the response
// (unless full duplex is asked for), and a client may well send the whole request before
// it reads anything, so echoing while reading could stall both on full socket buffers.
func stdEcho(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			http.Error(w, "request body larger than 16 MiB", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "cannot read request body", http.StatusBadRequest)
		}
		return
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		ct = defaultContentType
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// readBody reads r's body, at most maxBody bytes, into a buffer of exactly its size when
// the request states its Content-Length (and growing as it reads when it is chunked).
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > maxBody {
		return nil, &http.MaxBytesError{Limit: maxBody}
	}
	body := http.MaxBytesReader(w, r.Body, maxBody)
	if r.ContentLength < 0 {
		return io.ReadAll(body)
	}
	buf := make([]byte, r.ContentLength)
	_, err := io.ReadFull(body, buf)
	return buf, err
}

// stdHealth answers GET /health.
func stdHealth(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", "2")
	io.WriteString(w, "ok")
}

func (s *stdServer) serve(ln net.Listener) error {
	if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (s *stdServer) shutdown(ctx context.Context) error {
	if err := s.srv.Shutdown(ctx); err != nil {
		s.srv.Close()
		return err
	}
	return nil
}
