//! The PDF report of a check, for the file or the person who asked: the file and its SHA-256,
//! the verdict and each part of it, the signer's certificate, the chain, the status and when
//! the check was made.

use super::FileSignatureError;
use crate::messages_ru::file_signatures::{REPORT_TITLE, when_rfc3339};
use kep_pdf::Block;
use kep_protocol::file_signatures::SignatureCheck;

fn field(label: &str, value: impl Into<String>) -> Block {
    Block::Field(label.to_owned(), value.into())
}

/// The report of `check`, made by app version `version`.
pub fn report_pdf(check: &SignatureCheck, version: &str) -> Result<Vec<u8>, FileSignatureError> {
    let signer = &check.signer;
    let mut blocks = vec![
        Block::Title(REPORT_TITLE.to_owned()),
        Block::Gap,
        Block::Paragraph(check.headline.clone()),
        Block::Heading("Документ".into()),
        field(
            "Подписанный файл",
            check
                .file_name
                .clone()
                .unwrap_or_else(|| "содержится в файле подписи".into()),
        ),
        field("SHA-256 файла", check.content_sha256.clone()),
        field("Файл подписи", check.signature_name.clone()),
        Block::Heading("Подписавший".into()),
        field("Владелец сертификата", signer.owner.clone()),
    ];
    if let Some(snils) = &signer.snils {
        blocks.push(field("СНИЛС", snils.clone()));
    }
    if let Some(inn) = &signer.inn {
        blocks.push(field("ИНН", inn.clone()));
    }
    blocks.extend([
        field("Серийный номер", signer.serial.clone()),
        field("Издатель", signer.issuer.clone()),
        field(
            "Срок действия",
            format!(
                "с {} по {}",
                when_rfc3339(&signer.not_before),
                when_rfc3339(&signer.not_after)
            ),
        ),
        field("Алгоритм ключа", signer.key_algorithm.clone()),
        field("Отпечаток SHA-1", signer.thumbprint.clone()),
        Block::Heading("Результаты проверки".into()),
        field("Время подписания", check.time_note.clone()),
        field("Целостность", check.content_note.clone()),
        field("Доверие", check.trust_note.clone()),
        field("Статус сертификата", check.status_note.clone()),
        Block::Heading("Цепочка сертификатов".into()),
    ]);
    for (i, link) in check.chain.iter().enumerate() {
        blocks.push(field(
            &format!("{}.", i + 1),
            format!(
                "{}, серийный номер {}, действует по {}",
                link.subject,
                link.serial,
                when_rfc3339(&link.not_after)
            ),
        ));
    }
    blocks.extend([
        Block::Gap,
        Block::Paragraph(format!(
            "Проверка выполнена {} приложением KEP Renew {version}.",
            when_rfc3339(&check.checked_at)
        )),
    ]);
    kep_pdf::render(&blocks).map_err(|e| FileSignatureError::Report(e.to_string()))
}
