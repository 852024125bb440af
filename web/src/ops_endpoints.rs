//! For operators: `/health` and Prometheus `/metrics`.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use buurtnet_domain::store;
use buurtnet_federation::Context;
use buurtnet_federation::metrics::Metrics;
use std::fmt::Write;

/// 200 when the database answers, 503 otherwise.
pub async fn health(context: Context) -> Response {
    // Asked twice: with the disk full, a connection opened to replace one that a failed
    // write left unusable may fail its first statement, while the database still answers.
    let mut checked = database_answers(&context).await;
    if checked.is_err() {
        checked = database_answers(&context).await;
    }
    if let Err(e) = &checked {
        tracing::warn!(error = %e, "health: the database does not answer");
    }
    let database_ok = checked.is_ok();
    let status = if database_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = serde_json::json!({"status": if database_ok { "ok" } else { "database unavailable" }, "version": context.software_version});
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

async fn database_answers(context: &Context) -> Result<(), buurtnet_domain::DomainError> {
    store::outbox::count_pending(&mut context.store.conn().await?).await.map(|_| ())
}

pub async fn metrics(context: Context) -> Response {
    match render(&context).await {
        Ok(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("metrics unavailable: {e}")).into_response(),
    }
}

async fn render(context: &Context) -> Result<String, buurtnet_domain::DomainError> {
    let mut conn = context.store.conn().await?;
    let (pending, delivered, failed) = store::deliveries::counts(&mut conn).await?;
    let outbox = store::outbox::count_pending(&mut conn).await?;
    let set_aside = store::outbox::count_set_aside(&mut conn).await?;
    let mut out = String::new();
    let m = &context.metrics;
    let _ = writeln!(out, "# HELP buurtnet_deliveries Deliveries by state, as stored.\n# TYPE buurtnet_deliveries gauge");
    for (state, n) in [("pending", pending), ("delivered", delivered), ("failed", failed)] {
        let _ = writeln!(out, "buurtnet_deliveries{{state=\"{state}\"}} {n}");
    }
    let _ = writeln!(
        out,
        "# HELP buurtnet_outbox_pending Outbox entries not yet expanded into deliveries.\n# TYPE buurtnet_outbox_pending gauge\nbuurtnet_outbox_pending {outbox}"
    );
    let _ = writeln!(
        out,
        "# HELP buurtnet_outbox_set_aside Outbox entries that could not be read or planned, kept aside.\n# TYPE buurtnet_outbox_set_aside gauge\nbuurtnet_outbox_set_aside {set_aside}"
    );
    let _ = writeln!(
        out,
        "# HELP buurtnet_delivery_attempts_total Delivery attempts since start, by result.\n# TYPE buurtnet_delivery_attempts_total counter"
    );
    for (result, counter) in [("delivered", &m.deliveries_delivered), ("retried", &m.deliveries_retried), ("failed", &m.deliveries_failed)]
    {
        let _ = writeln!(out, "buurtnet_delivery_attempts_total{{result=\"{result}\"}} {}", Metrics::read(counter));
    }
    let _ = writeln!(
        out,
        "# HELP buurtnet_peer_pending_deliveries Pending deliveries per peer.\n# TYPE buurtnet_peer_pending_deliveries gauge"
    );
    for (host, n) in store::deliveries::pending_by_host(&mut conn).await? {
        let _ = writeln!(out, "buurtnet_peer_pending_deliveries{{peer=\"{}\"}} {n}", escape(&host));
    }
    let _ = writeln!(
        out,
        "# HELP buurtnet_peer_consecutive_failures Failed deliveries in a row per peer.\n# TYPE buurtnet_peer_consecutive_failures gauge"
    );
    let _ =
        writeln!(out, "# HELP buurtnet_peer_unreachable 1 when a peer is recorded as unreachable.\n# TYPE buurtnet_peer_unreachable gauge");
    for peer in store::deliveries::peers(&mut conn).await? {
        let host = escape(&peer.host);
        let _ = writeln!(out, "buurtnet_peer_consecutive_failures{{peer=\"{host}\"}} {}", peer.consecutive_failures);
        let _ = writeln!(out, "buurtnet_peer_unreachable{{peer=\"{host}\"}} {}", u8::from(peer.unreachable_since.is_some()));
    }
    let _ =
        writeln!(out, "# HELP buurtnet_inbox_total Inbox POSTs since start, by outcome and reason.\n# TYPE buurtnet_inbox_total counter");
    for ((outcome, reason), n) in m.inbox_counts() {
        let _ = writeln!(out, "buurtnet_inbox_total{{outcome=\"{outcome}\",reason=\"{reason}\"}} {n}");
    }
    Ok(out)
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}
