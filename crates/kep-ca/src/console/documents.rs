//! A document as the reviewer checks it: an image shown as it is; a PDF drawn page by page on
//! the server (hayro, pure Rust) into PNG images, so that what the reviewer sees does not depend
//! on the browser's own PDF viewer — and a PDF never runs in the operator's browser at all.

use super::layout::{notice, page};
use super::refusal::Refusal;
use super::text_ru as t;
use crate::api::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::html;

/// Pages of a PDF drawn at most (a statement or a scan has one or two).
const MAX_PAGES: usize = 20;
/// The widest a page is drawn, in pixels.
const MAX_WIDTH: f32 = 1600.0;

/// A time as the console shows it: Moscow time, day and minute.
pub fn time_text(at: i64) -> String {
    let moscow = time::UtcOffset::from_hms(3, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::from_unix_timestamp(at)
        .map(|t| t.to_offset(moscow))
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[day].[month].[year] [hour]:[minute]"
            ))
            .ok()
            .map(|text| format!("{text} {}", t::TIME_ZONE))
        })
        .unwrap_or_default()
}

/// How many pages the PDF `bytes` has (None: not a PDF this renderer reads).
fn page_count(bytes: Vec<u8>) -> Option<usize> {
    hayro::hayro_syntax::Pdf::new(bytes)
        .ok()
        .map(|pdf| pdf.pages().len())
}

/// Page `index` (from 0) of the PDF `bytes` as a PNG.
fn draw_page(bytes: Vec<u8>, index: usize) -> Option<Vec<u8>> {
    use hayro::hayro_interpret::InterpreterSettings;
    use hayro::vello_cpu::color::palette::css::WHITE;
    use hayro::{PixmapSettings, RenderCache, RenderSettings, render};
    let pdf = hayro::hayro_syntax::Pdf::new(bytes).ok()?;
    let pages = pdf.pages();
    let page = pages.get(index)?;
    let (width, _) = page.render_dimensions();
    let scale = (MAX_WIDTH / width.max(1.0)).min(2.0);
    let pixmap = render(
        page,
        &RenderCache::new(),
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &PixmapSettings {
            x_scale: scale,
            y_scale: scale,
            bg_color: WHITE,
        },
    );
    pixmap.into_png().ok()
}

/// Runs a renderer off the runtime; a renderer that fails or panics on a malformed file
/// answers None (the page says the file cannot be shown).
async fn off_runtime<T: Send + 'static>(
    f: impl FnOnce() -> Option<T> + Send + 'static,
) -> Option<T> {
    tokio::task::spawn_blocking(f).await.ok().flatten()
}

/// The signed-in operator and the document's type and bytes.
async fn signed_document(
    state: &AppState,
    headers: &HeaderMap,
    id: i64,
    document: i64,
) -> Result<(super::session::Signed, String, Vec<u8>), Refusal> {
    let signed = super::signed(state, headers).await?;
    let (media_type, bytes) = state
        .applications
        .review
        .document(id, document)
        .await
        .map_err(|e| Refusal::of(e, &signed))?;
    Ok((signed, media_type, bytes))
}

/// GET /operator/applications/{id}/documents/{document}: the document drawn on a page.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, document)): Path<(i64, i64)>,
) -> Result<Response, Refusal> {
    let (signed, media_type, bytes) = signed_document(&state, &headers, id, document).await?;
    let view = state
        .applications
        .review
        .application(id)
        .await
        .map_err(|e| Refusal::of(e, &signed))?;
    let info = view
        .documents
        .iter()
        .find(|d| d.id == document)
        .ok_or(Refusal::NotFound)?
        .clone();
    let base = format!("/operator/applications/{id}/documents/{document}");
    let drawn = if media_type == "application/pdf" {
        let pages = off_runtime(move || page_count(bytes)).await;
        match pages {
            Some(n) if n > 0 => html! {
                @for n in 1..=n.min(MAX_PAGES) {
                    figure.document {
                        img src=(format!("{base}/pages/{n}")) alt=(format!("{} {n}", t::PAGE));
                        figcaption { (t::PAGE) " " (n) }
                    }
                }
            },
            _ => notice("error", t::NOT_DRAWN),
        }
    } else if media_type.starts_with("image/") {
        html! { figure.document { img src=(format!("{base}/file")) alt=(t::document_kind(info.kind)); } }
    } else {
        notice("error", t::NOT_DRAWN)
    };
    let title = format!(
        "{} · {} № {id}",
        t::document_kind(info.kind),
        t::APPLICATION
    );
    let content = html! {
        p { a href=(format!("/operator/applications/{id}")) { "← " (t::APPLICATION) " № " (id) } }
        h1 { (title) }
        (drawn)
        p.hint { (info.media_type) ", SHA-256 " (info.sha256) " · " a href=(format!("{base}/file")) { (t::DOWNLOAD) } }
    };
    Ok(page(&title, Some(&signed), content).into_response())
}

/// GET …/file: the bytes (an image inline; anything else as a download, never rendered by the
/// browser).
pub async fn file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, document)): Path<(i64, i64)>,
) -> Result<Response, Refusal> {
    let (_, media_type, bytes) = signed_document(&state, &headers, id, document).await?;
    let inline = matches!(media_type.as_str(), "image/png" | "image/jpeg");
    let disposition = if inline {
        "inline".to_owned()
    } else {
        format!("attachment; filename=\"document-{id}-{document}\"")
    };
    let content_type = HeaderValue::from_str(&media_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&disposition).map_err(|_| Refusal::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// GET /operator/applications/{id}/statement/pages/{n}: page n of the CA's statement.
pub async fn statement_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, n)): Path<(i64, usize)>,
) -> Result<Response, Refusal> {
    let signed = super::signed(&state, &headers).await?;
    let pdf = state
        .applications
        .review
        .statement(id)
        .await
        .map_err(|e| Refusal::of(e, &signed))?
        .ok_or(Refusal::NotFound)?;
    if n == 0 || n > MAX_PAGES {
        return Err(Refusal::NotFound);
    }
    let png = off_runtime(move || draw_page(pdf, n - 1))
        .await
        .ok_or(Refusal::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

/// How many pages the PDF `bytes` has, off the runtime (0: not one this renderer reads).
pub async fn pages_of(bytes: Vec<u8>) -> usize {
    off_runtime(move || page_count(bytes))
        .await
        .unwrap_or(0)
        .min(MAX_PAGES)
}

/// GET …/pages/{n}: page n (from 1) of a PDF, drawn as a PNG.
pub async fn pdf_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, document, n)): Path<(i64, i64, usize)>,
) -> Result<Response, Refusal> {
    let (_, media_type, bytes) = signed_document(&state, &headers, id, document).await?;
    if media_type != "application/pdf" || n == 0 || n > MAX_PAGES {
        return Err(Refusal::NotFound);
    }
    let png = off_runtime(move || draw_page(bytes, n - 1))
        .await
        .ok_or(Refusal::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}
