//! Web addresses that people and peers give us (an event's online link, a post's or a
//! profile's page) and that pages show as links: only `http` and `https`, so that a link can
//! never run script (`javascript:`), carry a page (`data:`) or open local files.

/// `text` as a web address, written out as the URL parser reads it, or `None` when it is
/// not an `http(s)` address with a host.
pub fn web_address(text: &str) -> Option<String> {
    let url = url::Url::parse(text.trim()).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host().is_some()).then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::web_address;

    #[test]
    fn only_http_and_https_addresses_are_links() {
        assert_eq!(web_address(" https://meet.example/soep ").as_deref(), Some("https://meet.example/soep"));
        assert_eq!(web_address("http://buurt.example").as_deref(), Some("http://buurt.example/"));
        for refused in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<b>x</b>",
            "file:///etc/passwd",
            "vbscript:x",
            "https:/",
            "meet.example/soep",
            "",
        ] {
            assert_eq!(web_address(refused), None, "{refused:?}");
        }
    }
}
