//! Every answer this node reads from another server goes through [`read`] (or [`save`], for
//! files too large to hold in memory): refused at once
//! when its `Content-Length` is over the limit, cut off as soon as more arrives than the limit
//! allows, and given up when it takes too long, so that no peer can make us hold more than
//! the limit in memory or wait without end. (activitypub_federation's own fetches are bounded
//! the same way by the library: 1 MiB, and our client's time limit.)

use std::time::Duration;

/// An answer still to be read, as the federation client gives it.
pub use reqwest::Response;

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
pub async fn read(mut response: Response, limit: usize, time: Duration) -> Result<Vec<u8>, ReadError> {
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

/// Writes the body of `response` to `path`, at most `limit` bytes, within `time`, holding one
/// piece at a time in memory. It is written aside and renamed, so that nobody reads half a
/// file; on any failure nothing is left at `path`.
pub async fn save(mut response: Response, path: &std::path::Path, limit: usize, time: Duration) -> Result<(), ReadError> {
    use tokio::io::AsyncWriteExt as _;
    if response.content_length().is_some_and(|length| length > limit as u64) {
        return Err(ReadError::TooLarge(limit));
    }
    let failed = |e: std::io::Error| ReadError::Failed(e.to_string());
    let partial = path.with_extension(format!("partial-{:016x}", rand::random::<u64>()));
    let writing = async {
        let mut file = tokio::fs::File::create(&partial).await.map_err(failed)?;
        let mut written = 0;
        while let Some(chunk) = response.chunk().await.map_err(|e| ReadError::Failed(e.to_string()))? {
            written += chunk.len();
            if written > limit {
                return Err(ReadError::TooLarge(limit));
            }
            file.write_all(&chunk).await.map_err(failed)?;
        }
        file.flush().await.map_err(failed)?;
        tokio::fs::rename(&partial, path).await.map_err(failed)
    };
    let outcome = tokio::time::timeout(time, writing).await.unwrap_or(Err(ReadError::TooSlow));
    if outcome.is_err() {
        let _ = tokio::fs::remove_file(&partial).await;
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::{ReadError, save};
    use std::time::Duration;

    fn answer(body: &'static [u8]) -> reqwest::Response {
        reqwest::Response::from(http::Response::new(body))
    }

    #[tokio::test]
    async fn a_file_is_saved_whole_or_not_at_all() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("film.mp4");
        let too_large = save(answer(b"twaalf bytes"), &path, 11, Duration::from_secs(5)).await;
        assert_eq!(too_large, Err(ReadError::TooLarge(11)));
        assert!(std::fs::read_dir(dir.path()).expect("readable").next().is_none(), "nothing left behind");
        save(answer(b"twaalf bytes"), &path, 12, Duration::from_secs(5)).await.expect("saved");
        assert_eq!(std::fs::read(&path).expect("kept"), b"twaalf bytes");
    }
}
