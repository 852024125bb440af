//! Production safety: outside development mode we never fetch from or deliver to `http://`,
//! loopback, private or link-local addresses. The check runs on the URL and again at connect
//! time (a DNS resolver that refuses such addresses), so DNS rebinding cannot get round it.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
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

/// Whether an address is one a public server must never reach for a peer: everything that
/// is not globally routable unicast (IANA's special-purpose registries), and every IPv6 form
/// that embeds or translates to an IPv4 address (NAT64, 6to4, Teredo, IPv4-compatible), whose
/// IPv4 side we cannot see.
pub fn is_private(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => !is_global_v4(v4),
        IpAddr::V6(v6) => !is_global_v6(v6),
    }
}

fn is_global_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let special = a == 0                                  // 0.0.0.0/8 "this network"
        || a == 10                                        // private
        || a == 100 && (64..128).contains(&b)             // 100.64.0.0/10 shared (carrier-grade NAT)
        || a == 127                                       // loopback
        || a == 169 && b == 254                           // link-local
        || a == 172 && (16..32).contains(&b)              // private
        || a == 192 && b == 0 && c == 0                   // 192.0.0.0/24 IETF protocol assignments
        || a == 192 && b == 0 && c == 2                   // documentation
        || a == 192 && b == 88 && c == 99                 // 6to4 relay anycast
        || a == 192 && b == 168                           // private
        || a == 198 && (b == 18 || b == 19)               // 198.18.0.0/15 benchmarking
        || a == 198 && b == 51 && c == 100                // documentation
        || a == 203 && b == 0 && c == 113                 // documentation
        || a >= 224; // multicast 224.0.0.0/4, reserved 240.0.0.0/4, broadcast
    !special
}

fn is_global_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    // Only 2000::/3 is global unicast; within it, these are not ours to reach.
    let global_unicast = (s[0] & 0xe000) == 0x2000;
    // 2001::/23 holds the IETF assignments (Teredo 2001::/32 among them); 2001:db8::/32 and
    // 3fff::/20 are for documentation; 2002::/16 (6to4) embeds an IPv4 address.
    let in_2001 = s[0] == 0x2001 && (s[1] < 0x0200 || s[1] == 0x0db8);
    let special = in_2001 || s[0] == 0x2002 || (s[0] == 0x3fff && s[1] < 0x1000);
    global_unicast && !special
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

    #[test]
    fn only_globally_routable_addresses_are_peers() {
        let refused = [
            "0.1.2.3",
            "10.0.0.1",
            "100.64.0.1",
            "127.0.0.1",
            "169.254.169.254",
            "172.16.0.1",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.0.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::127.0.0.1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "64:ff9b::808:808",
            "64:ff9b:1::1",
            "100::1",
            "2001::1",
            "2001:db8::1",
            "2002:7f00:1::",
            "3fff::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
        ];
        for address in refused {
            assert!(is_private(address.parse().unwrap()), "{address} must be refused");
        }
        for address in ["145.97.1.1", "8.8.8.8", "1.1.1.1", "2a00:1450:4001::1", "2606:4700::1111", "::ffff:145.97.1.1"] {
            assert!(!is_private(address.parse().unwrap()), "{address} is a public peer");
        }
    }
}
