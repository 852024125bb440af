//! Wrong passwords slow down whoever guesses, never the owner: counted per account and client
//! address. After [`FREE_FAILURES`] a client must wait before it may try that account again,
//! two seconds doubling with each further failure up to [`LONGEST_WAIT_MS`]; a right password
//! clears the client's count, and a count is forgotten once its wait ended
//! [`LONGEST_WAIT_MS`] ago. Kept in the database, so the slow-down holds whichever of several
//! processes on one database answers (issue 18).

use crate::error::Result;
use crate::store::{self, Store};

pub const FREE_FAILURES: i64 = 5;
pub const LONGEST_WAIT_MS: i64 = 15 * 60 * 1000;

/// How long `client` must still wait at `now` before trying `account`, in milliseconds
/// (none when it may try now).
pub async fn wait_left(store: &Store, account: &str, client: &str, now: i64) -> Result<Option<i64>> {
    let until = store::password_failures::wait_until(&mut store.conn().await?, account, client).await?;
    Ok(until.filter(|until| *until > now).map(|until| until - now))
}

/// A wrong password for `account` from `client` at `now`.
pub async fn wrong(store: &Store, account: &str, client: &str, now: i64) -> Result<()> {
    let mut tx = store.begin().await?;
    store::password_failures::forget_ended_before(&mut tx, now - LONGEST_WAIT_MS).await?;
    let failures = store::password_failures::count_one_more(&mut tx, account, client, now).await?;
    store::password_failures::set_wait(&mut tx, account, client, now + wait_after(failures)).await?;
    tx.commit().await
}

/// A right password: the client starts afresh on this account.
pub async fn right(store: &Store, account: &str, client: &str) -> Result<()> {
    let mut tx = store.begin().await?;
    store::password_failures::clear(&mut tx, account, client).await?;
    tx.commit().await
}

/// How long a client waits after its `count`th wrong password for one account, in ms.
pub fn wait_after(count: i64) -> i64 {
    if count < FREE_FAILURES {
        return 0;
    }
    let doublings = (count - FREE_FAILURES + 1).min(20);
    (1000_i64 << doublings).min(LONGEST_WAIT_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_grows_and_is_capped() {
        assert_eq!(wait_after(1), 0);
        assert_eq!(wait_after(FREE_FAILURES), 2000);
        assert_eq!(wait_after(FREE_FAILURES + 3), 16_000);
        assert_eq!(wait_after(FREE_FAILURES + 40), LONGEST_WAIT_MS);
    }
}
