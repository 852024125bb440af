//! What the fuzz targets share: a fixed key, and the check on HTML that left a sanitiser.

/// A fixed Ed25519 private key (PKCS#8, base64, as keys are stored), so that crashes reproduce.
pub const ED25519_PRIVATE: &str = "MC4CAQAwBQYDK2VwBCIEIEJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJC";

/// Elements that must never come out of a sanitiser.
const DANGEROUS: [&str; 13] =
    ["script", "style", "iframe", "frame", "img", "object", "embed", "svg", "math", "form", "link", "meta", "base"];

/// The tags of serialised HTML, lower-cased, each from `<` to its `>`. Text never holds a raw
/// `<`, and attribute values are in double quotes (a `"` in them is `&quot;`).
pub fn tags(html: &str) -> Vec<String> {
    let (mut tags, mut current, mut quoted) = (Vec::new(), None::<String>, false);
    for c in html.chars() {
        match current.as_mut() {
            None if c == '<' => current = Some(String::from(c)),
            None => {}
            Some(tag) => {
                tag.push(c);
                if c == '"' {
                    quoted = !quoted;
                } else if c == '>' && !quoted {
                    tags.push(tag.to_lowercase());
                    current = None;
                }
            }
        }
    }
    tags
}

/// Panics when `html` (what a sanitiser made of `input`) holds a dangerous element, an event
/// handler or a `javascript:` link.
pub fn assert_harmless(html: &str, input: &str) {
    for tag in tags(html) {
        // Attribute names and the tag's name: everything outside the quoted values.
        let outside: Vec<&str> = tag.split('"').step_by(2).flat_map(|part| part.split_whitespace()).collect();
        let name = outside.first().map(|n| n.trim_start_matches(['<', '/']).trim_end_matches(['>', '/'])).unwrap_or_default();
        assert!(!DANGEROUS.contains(&name), "<{name}> in {html:?}, from {input:?}");
        assert!(!outside.iter().skip(1).any(|a| a.starts_with("on")), "an event handler in {tag:?}, from {input:?}");
        assert!(!tag.contains("=\"javascript:"), "a javascript: link in {tag:?}, from {input:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_looks_like_a_tag_is_not_one() {
        assert_harmless("<p>&lt;a href=\"javascript:x\" onclick=\"y\"&gt; a &gt; b</p><a title=\"<img>\">", "");
        assert_eq!(tags("<a title=\"x > y\">t</a>"), vec!["<a title=\"x > y\">", "</a>"]);
    }

    #[test]
    #[should_panic]
    fn a_handler_is_caught() {
        assert_harmless("<p onclick=\"x()\">", "");
    }
}
