//! The audit log: every sign-in, decision and account change, newest first, filtered by who,
//! what and about what (an application is `application:<id>`).

use super::layout::page;
use super::refusal::Refusal;
use super::text_ru as t;
use crate::api::AppState;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use kep_protocol::queries::AuditQuery;
use maud::html;

/// GET /operator/audit?actor=&action=&subject=&before=.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<AuditQuery>,
) -> Result<Response, Refusal> {
    let signed = super::signed(&state, &headers).await?;
    let entries = crate::api::operator::audit_entries(&state, query.clone())
        .await
        .map_err(|e| Refusal::of(e.0, &signed))?;
    let field = |v: &Option<String>| v.clone().unwrap_or_default();
    let older = entries.last().filter(|_| entries.len() >= 100).map(|e| {
        let mut next = url_query(&query);
        next.push(format!("before={}", e.id));
        format!("/operator/audit?{}", next.join("&"))
    });
    let content = html! {
        p { a href="/operator/" { (t::BACK) } }
        h1 { (t::AUDIT) }
        form.filters method="get" action="/operator/audit" {
            label { (t::AUDIT_ACTOR) input type="text" name="actor" value=(field(&query.actor)) placeholder="operator:1"; }
            label { (t::AUDIT_ACTION) input type="text" name="action" value=(field(&query.action)) placeholder="operator.login"; }
            label { (t::AUDIT_SUBJECT) input type="text" name="subject" value=(field(&query.subject)) placeholder="application:1"; }
            button type="submit" { (t::AUDIT_FILTER) }
        }
        @if entries.is_empty() {
            p { (t::AUDIT_EMPTY) }
        } @else {
            table.audit {
                thead { tr { th { (t::AUDIT_WHEN) } th { (t::AUDIT_ACTOR) } th { (t::AUDIT_ACTION) } th { (t::AUDIT_SUBJECT) } } }
                tbody {
                    @for e in &entries {
                        tr {
                            td { (super::documents::time_text(e.at)) }
                            td { (e.actor) }
                            td { (e.action) }
                            td { (e.subject) }
                        }
                    }
                }
            }
        }
        @if let Some(older) = older { p { a href=(older) { (t::AUDIT_OLDER) } } }
    };
    Ok(page(t::AUDIT, Some(&signed), content).into_response())
}

/// The filters of `query` as URL parameters (for the next page).
fn url_query(query: &AuditQuery) -> Vec<String> {
    let encode = |v: &str| {
        v.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b':' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    [
        ("actor", &query.actor),
        ("action", &query.action),
        ("subject", &query.subject),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_deref().map(|v| format!("{k}={}", encode(v))))
    .collect()
}
