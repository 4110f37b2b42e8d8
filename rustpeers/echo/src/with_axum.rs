//! Variant `axum`: axum's router and `axum::serve` on one tokio multi-thread runtime with
//! `--threads` worker threads; graceful shutdown on SIGTERM.

use std::future::IntoFuture;
use std::net::TcpListener as StdListener;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::Router;
use common::{fail, Measurement, Params};

use crate::{announces_too_much, answered, StopSignals, DEFAULT_CONTENT_TYPE, DRAIN, MAX_BODY};

/// Serves until SIGTERM; returns the timed region's measurement (READY to SIGTERM).
pub fn serve(p: &Params, ln: StdListener, threads: usize) -> Measurement {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .thread_name("echo-axum")
        .enable_io()
        .enable_time()
        .build()
        .unwrap_or_else(|e| fail(&format!("cannot start the tokio runtime: {e}")));
    let m = rt.block_on(async {
        let addr = common::bound_addr(&ln);
        let listener = tokio::net::TcpListener::from_std(ln)
            .unwrap_or_else(|e| fail(&format!("cannot register the listener: {e}")));
        // Like Go's net/http: no Nagle delay on the answers.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let stop = StopSignals::install();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(
            axum::serve(listener, router())
                .with_graceful_shutdown(async {
                    let _ = stop_rx.await;
                })
                .into_future(),
        );
        let region = common::ready(p, addr);
        stop.wait().await;
        let m = region.end();
        let _ = stop_tx.send(());
        // Stop accepting, let in-flight requests finish, within DRAIN: a connection that is
        // still busy then (a client that never finishes its body) is dropped with the runtime.
        match tokio::time::timeout(DRAIN, server).await {
            Ok(Ok(Ok(()))) | Err(_) => {}
            Ok(Ok(Err(e))) => fail(&format!("serving: {e}")),
            Ok(Err(e)) => fail(&format!("the server task failed: {e}")),
        }
        m
    });
    rt.shutdown_timeout(DRAIN);
    m
}

/// The service. Every answer, 404s and rejections included, passes the counting layer.
fn router() -> Router {
    Router::new()
        .route("/echo", post(echo))
        // `get` would answer HEAD too; the workload answers only GET.
        .route("/health", get(health).head(not_found))
        // Another method on a known path is 404, not axum's 405.
        .method_not_allowed_fallback(not_found)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::map_response(count))
}

async fn count(res: Response) -> Response {
    answered();
    res
}

async fn echo(req: Request) -> Response {
    // Refuse an announced oversized body before reading any of it; DefaultBodyLimit cuts off
    // one that grows past the limit while read (chunked).
    if announces_too_much(req.headers()) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static(DEFAULT_CONTENT_TYPE));
    match Bytes::from_request(req, &()).await {
        Ok(body) => ([(CONTENT_TYPE, content_type)], body).into_response(),
        // 413 past the limit, 400 for a body that broke off.
        Err(rejection) => rejection.into_response(),
    }
}

async fn health() -> &'static str {
    "ok"
}

async fn not_found() -> StatusCode {
    StatusCode::NOT_FOUND
}
