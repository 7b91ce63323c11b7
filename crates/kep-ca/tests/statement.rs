//! The statement PDF, read back by poppler: every item the law asks for is there as text, the
//! Cyrillic font is embedded, and the bytes stay the same between downloads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::start;
use kep_system_tests::tools::Scratch;
use reqwest::Method;
use std::process::Command;

fn poppler(tool: &str, pdf: &std::path::Path) -> String {
    let mut command = Command::new(tool);
    command.arg(pdf);
    if tool == "pdftotext" {
        command.args(["-layout", "-"]); // rows as on the page, to standard output
    }
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) is needed: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn the_statement_names_everything_and_embeds_its_font() {
    let ca = start("statement-pdf").await;
    let (token, id) = ca.applicant("+79990000003").await;
    let mut input = kep_ca::dev_seed::dev_requisites();
    input.phone = "+7 (999) 000-00-03".into();
    input.email = "ivanov.ii@example.ru".into();
    let (status, body) = ca
        .call(
            Method::PUT,
            &format!("/api/v1/applications/{id}/requisites"),
            &token,
            Some(serde_json::to_value(&input).unwrap()),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // No statement before approval.
    let path = format!("/api/v1/applications/{id}/statement");
    assert_eq!(
        ca.bytes(Method::GET, &path, Some(&token), None).await.0,
        404
    );
    let view = ca.submit_and_approve(&token, id).await;

    let (status, pdf) = ca.bytes(Method::GET, &path, Some(&token), None).await;
    assert_eq!(status, 200);
    let (_, again) = ca.bytes(Method::GET, &path, Some(&token), None).await;
    assert_eq!(pdf, again, "stored once, served as stored");
    let sha = kep_ca::documents::sha256_hex(&pdf);
    assert_eq!(view["statement"]["sha256"], sha.as_str());
    // Someone else cannot fetch it.
    let other = ca.login("+79990000004").await;
    assert_eq!(
        ca.bytes(Method::GET, &path, Some(&other), None).await.0,
        404
    );

    let scratch = Scratch::new("statement-pdf-text");
    scratch.write("statement.pdf", &pdf);
    let text = poppler("pdftotext", &scratch.path("statement.pdf"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for item in [
        "Заявление",
        "на изготовление квалифицированного сертификата ключа проверки электронной подписи",
        "KEP Renew Dev Issuing CA",
        &format!("Заявка № {id}"),
        "Иванов Иван Иванович",
        "15.03.1985",
        "серия 45 06 № 123456",
        "ОВД района Тверской г. Москвы",
        "772-001",
        "112-233-445 95",
        "500100732259",
        "ivanov.ii@example.ru",
        "+7 999 000-00-03",
        "прошу изготовить квалифицированный сертификат",
        "152-ФЗ",
        "согласие на обработку моих персональных данных",
        "Дата: 18.11.2026", // the manual clock, in Moscow
        "(подпись заявителя)",
    ] {
        assert!(flat.contains(item), "«{item}» missing from:\n{text}");
    }
    let fonts = poppler("pdffonts", &scratch.path("statement.pdf"));
    assert!(fonts.contains("DejaVuSans"), "{fonts}");
    for line in fonts.lines().skip(2) {
        let columns: Vec<&str> = line.split_whitespace().collect();
        // name type encoding emb sub uni object ID: every font embedded, with a ToUnicode map.
        assert!(
            columns.len() >= 7
                && columns[columns.len() - 5] == "yes"
                && columns[columns.len() - 3] == "yes",
            "{fonts}"
        );
    }
}
