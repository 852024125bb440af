//! Production safety: outside development mode we never fetch from or deliver to `http://`,
//! loopback, private or link-local addresses. The check runs on the URL and again at connect
//! time (a DNS resolver that refuses such addresses), so DNS rebinding cannot get round it.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use url::{Host, Url};

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum UnsafeTarget {
    #[error("{0}: only https:// peers are allowed outside development mode (BUURTNET_DEV=1)")]
    NotHttps(String),
    #[error("{0}: loopback and private addresses are refused outside development mode (BUURTNET_DEV=1)")]
    PrivateAddress(String),
    #[error("{0}: not a usable peer address")]
    NoHost(String),
}

/// Whether an address is one a public server must never reach for a peer.
pub fn is_private(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => {
            v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified() || v4.is_broadcast() || v4.is_documentation()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1]) // carrier-grade NAT
                || v4.octets()[0] == 0
        }
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.is_unspecified() || (v6.segments()[0] & 0xfe00) == 0xfc00 || (v6.segments()[0] & 0xffc0) == 0xfe80
        }
    }
}

/// Checks a peer URL before any request. `dev` allows `http://` and local hosts.
pub fn check_url(url: &Url, dev: bool) -> Result<(), UnsafeTarget> {
    if dev {
        return Ok(());
    }
    if url.scheme() != "https" {
        return Err(UnsafeTarget::NotHttps(url.to_string()));
    }
    match url.host() {
        Some(Host::Ipv4(ip)) if is_private(IpAddr::V4(ip)) => Err(UnsafeTarget::PrivateAddress(url.to_string())),
        Some(Host::Ipv6(ip)) if is_private(IpAddr::V6(ip)) => Err(UnsafeTarget::PrivateAddress(url.to_string())),
        Some(Host::Domain(d)) if d == "localhost" || d.ends_with(".localhost") => Err(UnsafeTarget::PrivateAddress(url.to_string())),
        Some(_) => Ok(()),
        None => Err(UnsafeTarget::NoHost(url.to_string())),
    }
}

/// A resolver that drops private addresses; a name with nothing else left fails to resolve.
#[derive(Debug, Clone)]
pub struct PublicOnlyResolver;

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.filter(|a| !is_private(a.ip())).collect();
            if addrs.is_empty() {
                return Err(Box::new(UnsafeTarget::PrivateAddress(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_refuses_http_and_local_addresses() {
        let check = |u: &str| check_url(&Url::parse(u).unwrap(), false);
        assert!(check("https://buurt.example/inbox").is_ok());
        assert!(matches!(check("http://buurt.example/inbox"), Err(UnsafeTarget::NotHttps(_))));
        assert!(matches!(check("https://127.0.0.1/inbox"), Err(UnsafeTarget::PrivateAddress(_))));
        assert!(matches!(check("https://10.1.2.3/inbox"), Err(UnsafeTarget::PrivateAddress(_))));
        assert!(matches!(check("https://[::1]/inbox"), Err(UnsafeTarget::PrivateAddress(_))));
        assert!(matches!(check("https://localhost:8080/inbox"), Err(UnsafeTarget::PrivateAddress(_))));
        assert!(check_url(&Url::parse("http://localhost:8080/inbox").unwrap(), true).is_ok());
        assert!(is_private("192.168.1.1".parse().unwrap()));
        assert!(!is_private("145.97.1.1".parse().unwrap()));
    }
}
