//! A minimal cookie-keeping visitor of a node's web pages, for handler tests over HTTP: it
//! keeps cookies, does not follow redirects (tests look at them), and reads the CSRF token
//! out of the last page like a browser submitting the form would.

use anyhow::{Context as _, Result};
use reqwest::{Client, StatusCode, header};
use std::collections::BTreeMap;

pub struct PageVisitor {
    client: Client,
    base: String,
    pub cookies: BTreeMap<String, String>,
    pub accept_language: String,
}

/// One answer: status, the `Location` of a redirect, the body, and the `Set-Cookie` lines.
pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
    pub set_cookies: Vec<String>,
    pub headers: header::HeaderMap,
}

impl Answer {
    /// The CSRF token of the page's (first) form.
    pub fn csrf(&self) -> Result<String> {
        let start = self.body.find("name=\"csrf\" value=\"").context("the page has a form with a CSRF token")? + 19;
        Ok(self.body[start..].split('"').next().unwrap_or_default().to_string())
    }
}

impl PageVisitor {
    pub fn new(base: &str) -> Result<PageVisitor> {
        let client = Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
        Ok(PageVisitor { client, base: base.trim_end_matches('/').to_string(), cookies: BTreeMap::new(), accept_language: "nl-NL".into() })
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn keep(&mut self, response: reqwest::Response) -> Result<Answer> {
        let set_cookies: Vec<String> =
            response.headers().get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect();
        for line in &set_cookies {
            let Some((name, rest)) = line.split_once('=') else { continue };
            let value = rest.split(';').next().unwrap_or_default().to_string();
            if value.is_empty() || line.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value);
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let location = headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
        let body = response.text().await?;
        Ok(Answer { status, location, body, set_cookies, headers })
    }

    pub async fn get(&mut self, path: &str) -> Result<Answer> {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT_LANGUAGE, &self.accept_language)
            .send()
            .await?;
        self.keep(response).await
    }

    /// Posts a form as the browser would (with our own `Origin`).
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Result<Answer> {
        self.post_from(path, form, &self.base.clone()).await
    }

    /// Posts a form claiming to come from `origin`.
    pub async fn post_from(&mut self, path: &str, form: &[(&str, &str)], origin: &str) -> Result<Answer> {
        self.send_form(path, form, origin, None).await
    }

    /// Posts a form from the page at `page`, naming it as the browser does (`Referer`).
    pub async fn post_on_page(&mut self, page: &str, path: &str, form: &[(&str, &str)]) -> Result<Answer> {
        let (origin, referer) = (self.base.clone(), format!("{}{page}", self.base));
        self.send_form(path, form, &origin, Some(&referer)).await
    }

    async fn send_form(&mut self, path: &str, form: &[(&str, &str)], origin: &str, referer: Option<&str>) -> Result<Answer> {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT_LANGUAGE, &self.accept_language)
            .header(header::ORIGIN, origin);
        if let Some(referer) = referer {
            request = request.header(header::REFERER, referer);
        }
        let response = request.form(form).send().await?;
        self.keep(response).await
    }

    /// Posts a form with a file, as a browser sends `multipart/form-data`.
    pub async fn post_multipart(&mut self, path: &str, fields: &[(&str, &str)], file: Option<(&str, Vec<u8>)>) -> Result<Answer> {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        if let Some((name, bytes)) = file {
            form = form.part(name.to_string(), reqwest::multipart::Part::bytes(bytes).file_name("foto.png").mime_str("image/png")?);
        }
        let response = self.post_from_here(path).multipart(form).send().await?;
        self.keep(response).await
    }

    /// Posts `body` as it is, of type `content_type` (a form as no browser sends it).
    pub async fn post_raw(&mut self, path: &str, content_type: &str, body: &'static str) -> Result<Answer> {
        let response = self.post_from_here(path).header(header::CONTENT_TYPE, content_type).body(body).send().await?;
        self.keep(response).await
    }

    /// A POST to `path` from one of the node's own pages: the visitor's cookies, language and `Origin`.
    fn post_from_here(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .post(format!("{}{path}", self.base))
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT_LANGUAGE, &self.accept_language)
            .header(header::ORIGIN, &self.base)
    }

    /// Like [`PageVisitor::submit`], for a form sent as `multipart/form-data`.
    pub async fn submit_multipart(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Result<Answer> {
        let csrf = self.get(page).await?.csrf()?;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &csrf));
        self.post_multipart(action, &form, None).await
    }

    /// Opens the page at `path` and submits its form with `fields` plus the page's token.
    pub async fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Result<Answer> {
        let csrf = self.get(page).await?.csrf()?;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &csrf));
        self.post_on_page(page, action, &form).await
    }

    /// Logs in through the login page.
    pub async fn log_in(&mut self, username: &str, password: &str) -> Result<Answer> {
        let answer = self.submit("/inloggen", "/inloggen", &[("username", username), ("password", password)]).await?;
        anyhow::ensure!(answer.status == StatusCode::SEE_OTHER, "login failed: {} {}", answer.status, answer.body);
        Ok(answer)
    }
}
