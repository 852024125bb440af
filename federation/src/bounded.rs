//! Every answer this node reads from another server goes through [`read`]: refused at once
//! when its `Content-Length` is over the limit, cut off as soon as more arrives than the limit
//! allows, and given up when it takes too long, so that no peer can make us hold more than
//! the limit in memory or wait without end. (activitypub_federation's own fetches are bounded
//! the same way by the library: 1 MiB, and our client's time limit.)

use std::time::Duration;

/// How long reading an answer may take, on top of the client's time limit for the request.
pub const READ_TIME: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the answer took too long")]
    TooSlow,
    #[error("the answer could not be read: {0}")]
    Failed(String),
}

/// The body of `response`, at most `limit` bytes, within `time`.
pub async fn read(mut response: reqwest::Response, limit: usize, time: Duration) -> Result<Vec<u8>, ReadError> {
    if response.content_length().is_some_and(|length| length > limit as u64) {
        return Err(ReadError::TooLarge(limit));
    }
    let reading = async {
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| ReadError::Failed(e.to_string()))? {
            if body.len() + chunk.len() > limit {
                return Err(ReadError::TooLarge(limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    };
    tokio::time::timeout(time, reading).await.map_err(|_| ReadError::TooSlow)?
}
