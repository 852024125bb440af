//! A plain round-robin reverse proxy, as an operator puts in front of several `buurtnet
//! serve` processes of one node: each connection goes to the next backend in turn (to the one
//! after it when that one does not take the connection, as nginx does), and each request
//! carries `X-Forwarded-For` with the address the proxy saw appended. It asks for one request
//! per connection (`Connection: close`), so consecutive requests of one client alternate
//! between the processes and each request's header is set. Bytes are passed on as they are,
//! so streaming answers stream.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The longest request head the proxy reads.
const LONGEST_HEAD: usize = 64 * 1024;

pub struct RoundRobinProxy {
    pub port: u16,
    backends: Arc<Mutex<Vec<u16>>>,
    served: Arc<Mutex<Vec<u16>>>,
    server: tokio::task::JoinHandle<()>,
}

impl RoundRobinProxy {
    /// A proxy on a free port; it passes connections on once told where
    /// ([`Self::forward_to`]), so that the processes behind it can be given its address first.
    pub async fn start() -> anyhow::Result<RoundRobinProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let (backends, served) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(Vec::new())));
        let turn = Arc::new(AtomicUsize::new(0));
        let (shared_backends, shared_served) = (backends.clone(), served.clone());
        let server = tokio::spawn(async move {
            while let Ok((client, seen)) = listener.accept().await {
                let order = in_turn(&shared_backends, turn.fetch_add(1, Ordering::SeqCst));
                tokio::spawn(pass_on(client, seen, order, shared_served.clone()));
            }
        });
        Ok(RoundRobinProxy { port, backends, served, server })
    }

    /// Connections go to the processes listening on `ports`, in turn.
    pub fn forward_to(&self, ports: &[u16]) {
        *self.backends.lock().expect("backends") = ports.to_vec();
    }

    /// The backend port that took each connection so far, in order.
    pub fn served(&self) -> Vec<u16> {
        self.served.lock().expect("served").clone()
    }

    pub fn base_url(&self) -> String {
        format!("http://localhost:{}", self.port)
    }
}

impl Drop for RoundRobinProxy {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The backends starting with the one whose turn `turn` is, then the others.
fn in_turn(backends: &Mutex<Vec<u16>>, turn: usize) -> Vec<u16> {
    let backends = backends.lock().expect("backends");
    let count = backends.len();
    (0..count).map(|i| backends[(turn + i) % count]).collect()
}

async fn pass_on(mut client: TcpStream, seen: SocketAddr, order: Vec<u16>, served: Arc<Mutex<Vec<u16>>>) {
    let Some((head, rest)) = read_head(&mut client).await else { return };
    let head = with_forwarding(&head, seen);
    for port in order {
        let Ok(mut backend) = TcpStream::connect(("127.0.0.1", port)).await else { continue };
        served.lock().expect("served").push(port);
        if backend.write_all(head.as_bytes()).await.is_err() || backend.write_all(&rest).await.is_err() {
            return;
        }
        let _ = tokio::io::copy_bidirectional(&mut client, &mut backend).await;
        return;
    }
    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
}

/// The request head (up to its blank line) and whatever came after it.
async fn read_head(client: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut read = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        if let Some(end) = read.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = read.split_off(end + 4);
            return String::from_utf8(read).ok().map(|head| (head, rest));
        }
        if read.len() > LONGEST_HEAD {
            return None;
        }
        let n = client.read(&mut buffer).await.ok().filter(|n| *n > 0)?;
        read.extend_from_slice(&buffer[..n]);
    }
}

/// The head with `X-Forwarded-For` extended by the address the proxy saw, and
/// `Connection: close` in place of what the client asked.
fn with_forwarding(head: &str, seen: SocketAddr) -> String {
    let mut lines: Vec<&str> = head.trim_end_matches("\r\n").split("\r\n").collect();
    let forwarded_before = lines.iter().find_map(|line| header_value(line, "x-forwarded-for")).map(str::to_string);
    lines.retain(|line| header_value(line, "x-forwarded-for").is_none() && header_value(line, "connection").is_none());
    let forwarded = match forwarded_before {
        Some(before) => format!("{before}, {}", seen.ip()),
        None => seen.ip().to_string(),
    };
    let mut rebuilt = lines.join("\r\n");
    rebuilt.push_str(&format!("\r\nX-Forwarded-For: {forwarded}\r\nConnection: close\r\n\r\n"));
    rebuilt
}

/// The value of the header line `line` when it is the header `name`.
fn header_value<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let (key, value) = line.split_once(':')?;
    key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
}

#[cfg(test)]
mod tests {
    use super::with_forwarding;

    #[test]
    fn the_proxy_adds_the_address_it_saw_and_closes_after_one_request() {
        let seen = "127.0.0.1:5000".parse().expect("address");
        let head = "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n";
        assert_eq!(
            with_forwarding(head, seen),
            "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 203.0.113.9, 127.0.0.1\r\nConnection: close\r\n\r\n"
        );
        assert!(with_forwarding("GET / HTTP/1.1\r\nHost: a\r\n\r\n", seen).contains("X-Forwarded-For: 127.0.0.1\r\n"));
    }
}
