//! Wrong passwords per account and client address, with how long that client must wait
//! before it may try that account again (`ops::password_guessing` decides how long).

use super::{Handle, affected, on_db};
use crate::error::Result;

/// Until when `client` must wait before trying `account` again, if it must.
pub async fn wait_until(db: &mut impl Handle, account: &str, client: &str) -> Result<Option<i64>> {
    let sql = "SELECT wait_until FROM password_failures WHERE account = $1 AND client = $2";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(account).bind(client).fetch_optional(c).await)?)
}

/// Counts one more wrong password; how many in a row, this one included.
pub async fn count_one_more(db: &mut impl Handle, account: &str, client: &str, now: i64) -> Result<i64> {
    let sql = "INSERT INTO password_failures (account, client, failures, wait_until) VALUES ($1, $2, 1, $3)
               ON CONFLICT (account, client) DO UPDATE SET failures = password_failures.failures + 1
               RETURNING failures";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(account).bind(client).bind(now).fetch_one(c).await)?)
}

pub async fn set_wait(db: &mut impl Handle, account: &str, client: &str, until: i64) -> Result<()> {
    let sql = "UPDATE password_failures SET wait_until = $1 WHERE account = $2 AND client = $3";
    affected!(db, c => sqlx::query(sql).bind(until).bind(account).bind(client).execute(c).await)?;
    Ok(())
}

/// The client starts afresh on the account.
pub async fn clear(db: &mut impl Handle, account: &str, client: &str) -> Result<()> {
    let sql = "DELETE FROM password_failures WHERE account = $1 AND client = $2";
    affected!(db, c => sqlx::query(sql).bind(account).bind(client).execute(c).await)?;
    Ok(())
}

/// Forgets the counts of clients whose last wait ended before `before`.
pub async fn forget_ended_before(db: &mut impl Handle, before: i64) -> Result<u64> {
    let sql = "DELETE FROM password_failures WHERE wait_until < $1";
    Ok(affected!(db, c => sqlx::query(sql).bind(before).execute(c).await)?)
}
