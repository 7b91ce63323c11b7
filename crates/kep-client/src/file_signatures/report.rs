//! The PDF report of a check, for the file or the person who asked: the file and its SHA-256,
//! the verdict and each part of it, the signer's certificate, the chain, the status and when
//! the check was made.

use super::FileSignatureError;
use crate::messages_ru::file_signatures::report as say;
use crate::messages_ru::file_signatures::when_rfc3339;
use kep_pdf::Block;
use kep_protocol::file_signatures::SignatureCheck;

fn field(label: &str, value: impl Into<String>) -> Block {
    Block::Field(label.to_owned(), value.into())
}

/// The report of `check`, made by app version `version`.
pub fn report_pdf(check: &SignatureCheck, version: &str) -> Result<Vec<u8>, FileSignatureError> {
    let signer = &check.signer;
    let mut blocks = vec![
        Block::Title(say::TITLE.to_owned()),
        Block::Gap,
        Block::Paragraph(check.headline.clone()),
        Block::Heading(say::DOCUMENT.into()),
        field(
            say::SIGNED_FILE,
            check
                .file_name
                .clone()
                .unwrap_or_else(|| say::INSIDE_SIGNATURE.into()),
        ),
        field(say::FILE_SHA256, check.content_sha256.clone()),
        field(say::SIGNATURE_FILE, check.signature_name.clone()),
        Block::Heading(say::SIGNER.into()),
        field(say::OWNER, signer.owner.clone()),
    ];
    if let Some(snils) = &signer.snils {
        blocks.push(field(say::SNILS, snils.clone()));
    }
    if let Some(inn) = &signer.inn {
        blocks.push(field(say::INN, inn.clone()));
    }
    blocks.extend([
        field(say::SERIAL, signer.serial.clone()),
        field(say::ISSUER, signer.issuer.clone()),
        field(
            say::VALIDITY,
            say::validity(
                &when_rfc3339(&signer.not_before),
                &when_rfc3339(&signer.not_after),
            ),
        ),
        field(say::KEY_ALGORITHM, signer.key_algorithm.clone()),
        field(say::THUMBPRINT, signer.thumbprint.clone()),
        Block::Heading(say::RESULTS.into()),
        field(say::SIGNING_TIME, check.time_note.clone()),
        field(say::INTEGRITY, check.content_note.clone()),
        field(say::TRUST, check.trust_note.clone()),
        field(say::STATUS, check.status_note.clone()),
        Block::Heading(say::CHAIN.into()),
    ]);
    for (i, link) in check.chain.iter().enumerate() {
        blocks.push(field(
            &format!("{}.", i + 1),
            say::link(&link.subject, &link.serial, &when_rfc3339(&link.not_after)),
        ));
    }
    blocks.extend([
        Block::Gap,
        Block::Paragraph(say::checked(&when_rfc3339(&check.checked_at), version)),
    ]);
    kep_pdf::render(&blocks).map_err(|e| FileSignatureError::Report(e.to_string()))
}
