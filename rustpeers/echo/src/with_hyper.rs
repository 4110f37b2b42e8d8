//! Variant `hyper`: hyper's HTTP/1 server, `--threads` OS threads each running its own tokio
//! current_thread runtime and accepting on its own handle (`try_clone`) of the one listening
//! socket. The main thread only waits for SIGTERM.
//!
//! Why one shared socket and not one SO_REUSEPORT socket per thread: either way a keep-alive
//! connection stays for its life on the thread that accepted it (a connection is never handed
//! between runtimes). What differs is who accepts: here the thread that is free first takes the
//! next connection, whereas SO_REUSEPORT hashes each connection to a thread whatever its load,
//! which with the few long connections of a load test can leave a thread with more of them.
//! No timeouts are set (hyper arms none without a timer), as in every echo server.

use std::convert::Infallible;
use std::net::TcpListener as StdListener;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use common::{fail, Measurement, Params};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::sync::watch;

use crate::{announces_too_much, answered, StopSignals, DEFAULT_CONTENT_TYPE, DRAIN, MAX_BODY};

/// Serves until SIGTERM; returns the timed region's measurement (READY to SIGTERM).
pub fn serve(p: &Params, ln: StdListener, threads: usize) -> Measurement {
    let addr = common::bound_addr(&ln);
    let (stop_tx, stop_rx) = watch::channel(false);
    let (ready_tx, ready_rx) = mpsc::channel::<Result<(), String>>();
    let mut workers = Vec::with_capacity(threads);
    for i in 0..threads {
        let ln = ln
            .try_clone()
            .unwrap_or_else(|e| fail(&format!("cannot share the listener: {e}")));
        let (stop, ready) = (stop_rx.clone(), ready_tx.clone());
        let worker = thread::Builder::new()
            .name(format!("echo-hyper-{i}"))
            .spawn(move || worker(ln, stop, ready))
            .unwrap_or_else(|e| fail(&format!("cannot start server thread {i}: {e}")));
        workers.push(worker);
    }
    drop((ln, ready_tx));
    for _ in 0..threads {
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(msg)) => fail(&msg),
            Err(_) => fail("a server thread ended before it was ready"),
        }
    }

    // The main thread's own small runtime only waits for the signal.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap_or_else(|e| fail(&format!("cannot start the tokio runtime: {e}")));
    let m = rt.block_on(async {
        let stop = StopSignals::install();
        let region = common::ready(p, addr);
        stop.wait().await;
        region.end()
    });
    let _ = stop_tx.send(true);
    for w in workers {
        if w.join().is_err() {
            fail("a server thread panicked");
        }
    }
    m
}

/// One server thread: a current_thread runtime accepting on `ln` until told to stop, then
/// letting its connections finish for at most [`DRAIN`].
fn worker(
    ln: StdListener,
    mut stop: watch::Receiver<bool>,
    ready: mpsc::Sender<Result<(), String>>,
) {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = ready.send(Err(format!("cannot start a tokio runtime: {e}")));
            return;
        }
    };
    rt.block_on(async move {
        let listener = match tokio::net::TcpListener::from_std(ln) {
            Ok(l) => l,
            Err(e) => {
                let _ = ready.send(Err(format!("cannot register the listener: {e}")));
                return;
            }
        };
        let _ = ready.send(Ok(()));
        drop(ready);
        let mut http = http1::Builder::new();
        http.keep_alive(true);
        let graceful = GracefulShutdown::new();
        loop {
            tokio::select! {
                biased;
                _ = stop.wait_for(|&stop| stop) => break,
                accepted = listener.accept() => match accepted {
                    Ok((tcp, _)) => {
                        // Like Go's net/http: no Nagle delay on the answers.
                        let _ = tcp.set_nodelay(true);
                        let conn = http.serve_connection(TokioIo::new(tcp), service_fn(handle));
                        let conn = graceful.watch(conn);
                        // A connection's error (a client gone mid-request, a malformed
                        // request) ends that connection only.
                        tokio::spawn(async move {
                            let _ = conn.await;
                        });
                    }
                    // Out of file descriptors or the like: wait a little and go on.
                    Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                },
            }
        }
        drop(listener);
        let _ = tokio::time::timeout(DRAIN, graceful.shutdown()).await;
    });
    // Dropping the runtime drops any connection still open after the drain.
}

type Answer = Response<Full<Bytes>>;

async fn handle(req: Request<Incoming>) -> Result<Answer, Infallible> {
    let res = route(req).await;
    answered();
    Ok(res)
}

async fn route(req: Request<Incoming>) -> Answer {
    match (req.method(), req.uri().path()) {
        (&Method::POST, "/echo") => echo(req).await,
        (&Method::GET, "/health") => {
            let mut res = Response::new(Full::new(Bytes::from_static(b"ok")));
            res.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            res
        }
        _ => status(StatusCode::NOT_FOUND),
    }
}

async fn echo(req: Request<Incoming>) -> Answer {
    // Refuse an announced oversized body before reading any of it; Limited cuts off one that
    // grows past the limit while read (chunked).
    if announces_too_much(req.headers()) {
        return status(StatusCode::PAYLOAD_TOO_LARGE);
    }
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static(DEFAULT_CONTENT_TYPE));
    match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(body) => {
            let mut res = Response::new(Full::new(body.to_bytes()));
            res.headers_mut().insert(CONTENT_TYPE, content_type);
            res
        }
        Err(e) if e.is::<LengthLimitError>() => status(StatusCode::PAYLOAD_TOO_LARGE),
        // The body broke off (the client went away mid-body): 400, if it is still there.
        Err(_) => status(StatusCode::BAD_REQUEST),
    }
}

/// An answer with no body.
fn status(code: StatusCode) -> Answer {
    let mut res = Response::new(Full::new(Bytes::new()));
    *res.status_mut() = code;
    res
}
