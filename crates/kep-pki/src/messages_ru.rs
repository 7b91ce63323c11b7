//! Russian sentences for the refusals of signature and path checks, for services and the app to
//! show as they are (the English `Display` stays for logs).

use crate::chain::ChainError;
use crate::cms_signature::CmsError;

/// Why a CMS signature was refused, in Russian.
pub fn cms_error(e: &CmsError) -> &'static str {
    match e {
        CmsError::Der(_) | CmsError::Structure(_) => {
            "файл не является отсоединённой подписью CMS (CAdES-BES)."
        }
        CmsError::ContentMismatch => "подпись сделана под другим документом.",
        CmsError::WrongDigestAlgorithm(_) => "алгоритм хэширования не подходит к ключу подписи.",
        CmsError::MissingSigningCertificate | CmsError::SigningCertificateMismatch => {
            "в подписи не указан или указан другой сертификат подписанта."
        }
        CmsError::SignerCertificateMissing => "в подпись не включён сертификат подписанта.",
        CmsError::Signature(_) => "подпись неверна.",
        CmsError::Sign(_) => "подпись не удалось создать.",
    }
}

/// Why a certificate path was refused, in Russian.
pub fn chain_error(e: &ChainError) -> String {
    match e {
        ChainError::Malformed(_) => "сертификат повреждён.".into(),
        ChainError::NoIssuer { subject } | ChainError::Untrusted { subject } => {
            format!("сертификат «{subject}» выдан не доверенным удостоверяющим центром.")
        }
        ChainError::BadSignature { subject } => {
            format!("подпись удостоверяющего центра на сертификате «{subject}» неверна.")
        }
        ChainError::NotYetValid { subject } => format!("сертификат «{subject}» ещё не действует."),
        ChainError::Expired { subject } => format!("срок действия сертификата «{subject}» истёк."),
        ChainError::NotCa { subject }
        | ChainError::NoCertSign { subject }
        | ChainError::PathTooLong { subject } => {
            format!("«{subject}» не может выдавать сертификаты.")
        }
        ChainError::Revoked { subject, .. } => format!("сертификат «{subject}» отозван."),
    }
}
