//! HTML in posts: local text turned into safe HTML, remote HTML sanitised to the same subset.

use std::sync::LazyLock;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .tags(["p", "br", "a", "span", "em", "strong", "b", "i", "u", "ul", "ol", "li", "blockquote", "code", "pre", "del"].into())
        .link_rel(Some("nofollow noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into());
    builder
});

/// Articles (how-tos, manifests) also keep headings, tables and rules.
static ARTICLE_SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .tags(
            [
                "p",
                "br",
                "a",
                "span",
                "em",
                "strong",
                "b",
                "i",
                "u",
                "ul",
                "ol",
                "li",
                "blockquote",
                "code",
                "pre",
                "del",
                "h1",
                "h2",
                "h3",
                "h4",
                "h5",
                "h6",
                "hr",
                "table",
                "thead",
                "tbody",
                "tr",
                "th",
                "td",
            ]
            .into(),
        )
        .link_rel(Some("nofollow noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into());
    builder
});

/// As [`sanitize`], for articles: headings, tables and rules stay.
pub fn sanitize_article(html: &str) -> String {
    ARTICLE_SANITIZER.clean(html).to_string()
}

/// Cleans HTML from another server down to the tags we show; scripts, styles and event
/// handlers are dropped.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Turns what a person typed into HTML: text escaped, blank lines as paragraphs, line breaks
/// kept, web addresses made into links.
pub fn text_to_html(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|paragraph| {
            let lines: Vec<String> = paragraph.trim().lines().map(linkify_escaped).collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn linkify_escaped(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            if (word.starts_with("https://") || word.starts_with("http://")) && word.len() > 8 {
                let href = escape(word);
                format!("<a href=\"{href}\" rel=\"nofollow noopener noreferrer\">{href}</a>")
            } else {
                escape(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Plain text of an HTML fragment, for summaries and search.
pub fn to_plain_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.replace("<br>", "\n").replace("</p>", "\n\n").chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&").trim().to_string()
}

/// The hashtags in a post's HTML, lower-cased, each once, in order.
pub fn hashtags(html: &str) -> Vec<String> {
    let text = to_plain_text(html);
    let mut seen: Vec<String> = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '!' | '?' | ';' | ':' | '(' | ')')) {
        if let Some(tag) = word.strip_prefix('#').filter(|t| !t.is_empty() && t.chars().all(|c| c.is_alphanumeric() || c == '_')) {
            let tag = tag.to_lowercase();
            if !seen.contains(&tag) {
                seen.push(tag);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_drops_scripts_and_handlers() {
        let dirty = r#"<p onclick="x()">Hoi <script>alert(1)</script><a href="javascript:alert(1)">x</a><img src=x onerror=y></p>"#;
        let clean = sanitize(dirty);
        assert!(!clean.contains("script"));
        assert!(!clean.contains("onclick"));
        assert!(!clean.contains("javascript"));
        assert!(!clean.contains("<img"));
        assert!(clean.contains("Hoi"));
    }

    #[test]
    fn text_becomes_paragraphs_and_links() {
        let html = text_to_html("Wie helpt <mij>?\nMet boodschappen\n\nZie https://buurt.example/x");
        assert_eq!(
            html,
            "<p>Wie helpt &lt;mij&gt;?<br>Met boodschappen</p><p>Zie <a href=\"https://buurt.example/x\" rel=\"nofollow noopener noreferrer\">https://buurt.example/x</a></p>"
        );
        assert_eq!(to_plain_text(&html), "Wie helpt <mij>?\nMet boodschappen\n\nZie https://buurt.example/x");
    }
}
