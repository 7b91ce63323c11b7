//! What the console tests share: scans with known colours (a PNG, a PDF drawn by krilla), the
//! colour of a pixel of a PNG, and an applicant's application under review with both scans.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::common;
use serde_json::{Value, json};

pub const RED: [u8; 3] = [220, 20, 20];

/// A 40×30 PNG: red, a white square in its top-left corner.
pub fn red_png() -> Vec<u8> {
    let (w, h) = (40u32, 30u32);
    let mut pixels = Vec::new();
    for y in 0..h {
        for x in 0..w {
            pixels.extend(if x < 10 && y < 10 {
                [255, 255, 255]
            } else {
                RED
            });
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder
            .write_header()
            .unwrap()
            .write_image_data(&pixels)
            .unwrap();
    }
    out
}

/// A one-page A4 PDF: white, a red rectangle over its middle.
pub fn red_pdf() -> Vec<u8> {
    use krilla::Document;
    use krilla::color::rgb;
    use krilla::geom::{PathBuilder, Rect};
    use krilla::num::NormalizedF32;
    use krilla::page::PageSettings;
    use krilla::paint::{Fill, FillRule};
    let mut document = Document::new();
    let mut page = document.start_page_with(PageSettings::from_wh(595.0, 842.0).unwrap());
    let mut surface = page.surface();
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(RED[0], RED[1], RED[2]).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }));
    let mut path = PathBuilder::new();
    path.push_rect(Rect::from_xywh(100.0, 200.0, 395.0, 442.0).unwrap());
    surface.draw_path(&path.finish().unwrap());
    surface.finish();
    page.finish();
    document.finish().unwrap()
}

/// The colour at (x, y) of a PNG.
pub fn pixel(png_bytes: &[u8], x: u32, y: u32) -> [u8; 3] {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    let at = ((y * info.width + x) as usize) * channels;
    [buffer[at], buffer[at + 1], buffer[at + 2]]
}

pub fn near(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 12)
}

/// An applicant's application under review with a PNG and a PDF scan: (token, id).
pub async fn submitted(ca: &common::Ca) -> (String, i64) {
    let phone = "+79161234567";
    let (token, id) = ca.applicant(phone).await;
    let requisites = json!({
        "surname": "Петрова", "given_name": "Анна", "patronymic": "Сергеевна", "birth_date": "01.02.1990",
        "passport_series": "4510", "passport_number": "654321", "passport_issue_date": "05.03.2010",
        "passport_issuer": "ОВД Арбат", "passport_division_code": "770-002", "snils": "112-233-445 95",
        "inn": "500100732259", "email": "petrova@example.ru", "phone": phone, "region_code": "77",
        "region_name": "г. Москва", "locality": "Москва"
    });
    let (status, _) = ca
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/applications/{id}/requisites"),
            &token,
            Some(requisites),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        ca.upload(&token, id, "passport_main", red_png()).await.0,
        201
    );
    assert_eq!(ca.upload(&token, id, "snils", red_pdf()).await.0, 201);
    let (status, body) = ca
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/applications/{id}/submit"),
            &token,
            None,
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("in_review")),
        "{body}"
    );
    (token, id)
}

pub async fn status_of(ca: &common::Ca, token: &str, id: i64) -> Value {
    ca.call(
        reqwest::Method::GET,
        &format!("/api/v1/applications/{id}"),
        token,
        None,
    )
    .await
    .1
}

/// The applicant uploads scan number `n` of the signed statement (a distinct red PNG) and sends
/// it for review; answers the uploaded document.
pub async fn send_statement_scan(ca: &common::Ca, token: &str, id: i64, n: u8) -> Value {
    let mut scan = red_png();
    scan.push(n);
    let (status, document) = ca.upload(token, id, "signed_statement_scan", scan).await;
    assert_eq!(status, 201, "{document}");
    let submit = format!("/api/v1/applications/{id}/statement/scan");
    let (status, body) = ca.call(reqwest::Method::POST, &submit, token, None).await;
    assert_eq!(status, 200, "{body}");
    document
}

/// After a rejection: the applicant deletes the rejected scan `rejected` and sends scan `n`.
pub async fn resend_statement_scan(ca: &common::Ca, token: &str, id: i64, rejected: &Value, n: u8) {
    let (status, _) = ca
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/applications/{id}/documents/{}", rejected["id"]),
            token,
            None,
        )
        .await;
    assert_eq!(status, 204);
    send_statement_scan(ca, token, id, n).await;
}
