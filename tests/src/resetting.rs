//! A peer whose connections break: a TCP proxy in front of a real node that, as the test
//! tells it, passes bytes through, resets each connection as soon as it is opened, or lets
//! the request reach the node and then resets the connection instead of answering (the
//! sender cannot tell whether it arrived). Resets are real TCP resets (`SO_LINGER` 0).

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU16, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does with the next connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Breakage {
    /// Bytes pass both ways.
    None = 0,
    /// Reset at once, before anything is read.
    ResetOnConnect = 1,
    /// The request reaches the node; its answer is thrown away and the connection reset.
    ResetAfterDelivery = 2,
}

pub struct ResettingProxy {
    pub port: u16,
    upstream: Arc<AtomicU16>,
    mode: Arc<AtomicU8>,
    resets: Arc<AtomicUsize>,
    server: tokio::task::JoinHandle<()>,
}

impl ResettingProxy {
    /// A proxy on a free port; it passes connections on once told where ([`Self::forward_to`]),
    /// so the node behind it can be given the proxy's address first.
    pub async fn start() -> anyhow::Result<ResettingProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let upstream = Arc::new(AtomicU16::new(0));
        let (mode, resets) = (Arc::new(AtomicU8::new(Breakage::None as u8)), Arc::new(AtomicUsize::new(0)));
        let (shared_upstream, shared_mode, shared_resets) = (upstream.clone(), mode.clone(), resets.clone());
        let server = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = shared_upstream.load(Ordering::SeqCst);
                tokio::spawn(handle(client, upstream, shared_mode.clone(), shared_resets.clone()));
            }
        });
        Ok(ResettingProxy { port, upstream, mode, resets, server })
    }

    /// Connections go on to the node listening on `port`.
    pub fn forward_to(&self, port: u16) {
        self.upstream.store(port, Ordering::SeqCst);
    }

    pub fn set(&self, breakage: Breakage) {
        self.mode.store(breakage as u8, Ordering::SeqCst);
    }

    /// How many connections were reset so far.
    pub fn resets(&self) -> usize {
        self.resets.load(Ordering::SeqCst)
    }
}

impl Drop for ResettingProxy {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// One connection, looked at with the breakage in force at each read: a connection the
/// sender keeps open between requests breaks as a new one would.
async fn handle(mut client: TcpStream, upstream_port: u16, mode: Arc<AtomicU8>, resets: Arc<AtomicUsize>) {
    let now = || mode.load(Ordering::SeqCst);
    if now() == Breakage::ResetOnConnect as u8 {
        return reset(client, &resets);
    }
    let Ok(mut upstream) = TcpStream::connect(("127.0.0.1", upstream_port)).await else { return };
    let (mut from_client, mut from_upstream) = ([0u8; 8192], [0u8; 8192]);
    loop {
        tokio::select! {
            read = client.read(&mut from_client) => match read {
                Ok(0) | Err(_) => return,
                Ok(_) if now() == Breakage::ResetOnConnect as u8 => return reset(client, &resets),
                Ok(n) => {
                    if upstream.write_all(&from_client[..n]).await.is_err() {
                        return;
                    }
                }
            },
            read = upstream.read(&mut from_upstream) => match read {
                Ok(0) | Err(_) => return,
                Ok(_) if now() == Breakage::ResetAfterDelivery as u8 => return reset(client, &resets),
                Ok(n) => {
                    if client.write_all(&from_upstream[..n]).await.is_err() {
                        return;
                    }
                }
            },
        }
    }
}

/// Closes with a TCP reset rather than an orderly close.
fn reset(client: TcpStream, resets: &AtomicUsize) {
    // Deprecated because a lingering close blocks the thread; a zero linger never waits.
    #[allow(deprecated)]
    let _ = client.set_linger(Some(Duration::ZERO));
    drop(client);
    resets.fetch_add(1, Ordering::SeqCst);
}
