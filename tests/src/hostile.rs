//! A hostile peer for attack tests: an HTTP server on a port of its own that keeps every
//! request it receives (so a test can replay what a node sent it) and answers what the test
//! tells it to, slowly or hugely if that is the attack.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A request as the hostile peer received it.
#[derive(Clone, Debug)]
pub struct Captured {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// A server that keeps what it receives. GETs of a path it was given a document for get
/// that document; other GETs 404; everything else 202 (or what it is told to answer).
pub struct HostilePeer {
    pub port: u16,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Captured>>,
    documents: Mutex<HashMap<String, (String, Vec<u8>)>>,
    /// Paths answered with this many bytes, streamed without a length (or with a false one).
    floods: Mutex<HashMap<String, Flood>>,
    /// What POSTs are answered; 202 until told otherwise.
    post_status: Mutex<Option<StatusCode>>,
}

/// An answer far larger than any document.
#[derive(Clone, Copy)]
pub struct Flood {
    pub bytes: usize,
    /// A `Content-Length` to announce (true or not); none: chunked.
    pub announced: Option<u64>,
}

impl HostilePeer {
    pub async fn start() -> anyhow::Result<HostilePeer> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared::default());
        let app = Router::new().fallback(answer).with_state(shared.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(HostilePeer { port, shared, server })
    }

    /// From now on, a GET of `path` answers `body` as `content_type`.
    pub fn serve(&self, path: &str, content_type: &str, body: Vec<u8>) {
        self.shared.documents.lock().expect("documents lock").insert(path.to_string(), (content_type.to_string(), body));
    }

    /// `http://localhost:PORT`, which nodes in development mode talk to.
    pub fn base_url(&self) -> String {
        format!("http://localhost:{}", self.port)
    }

    /// From now on, a GET of `path` answers `flood.bytes` bytes of JSON-looking text.
    pub fn flood(&self, path: &str, flood: Flood) {
        self.shared.floods.lock().expect("floods lock").insert(path.to_string(), flood);
    }

    /// From now on, every POST is answered with `status`.
    pub fn answer_posts_with(&self, status: StatusCode) {
        *self.shared.post_status.lock().expect("status lock") = Some(status);
    }

    /// What it has received so far.
    pub fn received(&self) -> Vec<Captured> {
        self.shared.received.lock().expect("capture lock").clone()
    }
}

impl Drop for HostilePeer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn answer(State(shared): State<Arc<Shared>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    shared.received.lock().expect("capture lock").push(Captured { method: method.clone(), uri: uri.clone(), headers, body });
    if method != Method::GET {
        return shared.post_status.lock().expect("status lock").unwrap_or(StatusCode::ACCEPTED).into_response();
    }
    if let Some(flood) = shared.floods.lock().expect("floods lock").get(uri.path()).copied() {
        return flooding(flood);
    }
    match shared.documents.lock().expect("documents lock").get(uri.path()) {
        Some((content_type, body)) => ([(header::CONTENT_TYPE, content_type.clone())], body.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn flooding(flood: Flood) -> Response {
    const CHUNK: usize = 64 * 1024;
    let chunk = Bytes::from(vec![b' '; CHUNK]);
    let chunks = (0..flood.bytes.div_ceil(CHUNK)).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
    let body = axum::body::Body::from_stream(futures::stream::iter(chunks));
    let mut response = ([(header::CONTENT_TYPE, "application/jrd+json")], body).into_response();
    if let Some(length) = flood.announced {
        response.headers_mut().insert(header::CONTENT_LENGTH, length.into());
    }
    response
}
