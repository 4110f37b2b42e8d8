package main

import (
	"context"
	"errors"
	"net"

	"github.com/valyala/fasthttp"
)

// fastServer is the fasthttp variant.
type fastServer struct{ srv *fasthttp.Server }

func newFastServer() *fastServer {
	return &fastServer{srv: &fasthttp.Server{
		Handler:            fastHandle,
		ErrorHandler:       fastError,
		MaxRequestBodySize: maxBody,
		// No ReadTimeout or IdleTimeout, as in the other servers (workloads/README.md, echo).
		// net/http sends no Server header; leave it out here too so that both variants
		// put the same headers on the wire.
		NoDefaultServerHeader: true,
	}}
}

// fastHandle routes the service and counts every request it answers.
func fastHandle(ctx *fasthttp.RequestCtx) {
	switch string(ctx.Path()) {
	case "/echo":
		if ctx.IsPost() {
			fastEcho(ctx)
		} else {
			ctx.NotFound()
		}
	case "/health":
		if ctx.IsGet() {
			ctx.SetBodyString("ok")
		} else {
			ctx.NotFound()
		}
	default:
		ctx.NotFound()
	}
	answered.Add(1)
}

// fastError answers a request fasthttp could not read. It is fasthttp's default handler
// except that a body over MaxRequestBodySize is 413, as with net/http, rather than 400.
func fastError(ctx *fasthttp.RequestCtx, err error) {
	switch {
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		ctx.Error("request body larger than 16 MiB", fasthttp.StatusRequestEntityTooLarge)
	case isType[*fasthttp.ErrSmallBuffer](err):
		ctx.Error("request header too large", fasthttp.StatusRequestHeaderFieldsTooLarge)
	case isTimeout(err):
		ctx.Error("request timeout", fasthttp.StatusRequestTimeout)
	default:
		ctx.Error("malformed request", fasthttp.StatusBadRequest)
	}
}

// isType reports whether err wraps an error of type E.
func isType[E error](err error) bool {
	_, ok := errors.AsType[E](err)
	return ok
}

// isTimeout reports whether err is a network timeout.
func isTimeout(err error) bool {
	netErr, ok := errors.AsType[net.Error](err)
	return ok && netErr.Timeout()
}

// fastEcho answers POST /echo with the request body, which fasthttp has read in full
// (up to MaxRequestBodySize, 413 beyond) before calling the handler.
func fastEcho(ctx *fasthttp.RequestCtx) {
	if ct := ctx.Request.Header.ContentType(); len(ct) > 0 {
		ctx.SetContentTypeBytes(ct)
	} else {
		ctx.SetContentType(defaultContentType)
	}
	// The request's body buffer lives until the response is written: no copy needed.
	ctx.Response.SetBodyRaw(ctx.PostBody())
}

func (s *fastServer) serve(ln net.Listener) error { return s.srv.Serve(ln) }

func (s *fastServer) shutdown(ctx context.Context) error { return s.srv.ShutdownWithContext(ctx) }
