//! Every Russian sentence of kep-pki: the refusal of each identifier field, and the refusals of
//! signature and path checks — for services and the app to show as they are (the English
//! `Display` stays for logs). A translation touches this one file.

use crate::chain::ChainError;
use crate::cms_signature::CmsError;
use crate::identifiers::{Field, ValidationKind};
use crate::signer::SignatureAlgorithm;

/// A key algorithm in words, for the certificate's summary.
pub fn key_algorithm(algorithm: Option<SignatureAlgorithm>) -> &'static str {
    match algorithm {
        Some(SignatureAlgorithm::Gost2012_256) => "ГОСТ Р 34.10-2012 256 бит",
        Some(SignatureAlgorithm::Gost2012_512) => "ГОСТ Р 34.10-2012 512 бит",
        Some(SignatureAlgorithm::EcdsaP256Sha256) => "ECDSA P-256 (неквалифицированный)",
        None => "Неизвестный алгоритм",
    }
}

/// Why a CMS signature was refused, in Russian.
pub fn cms_error(e: &CmsError) -> &'static str {
    match e {
        CmsError::Der(_) | CmsError::Structure(_) => {
            "файл не является отсоединённой подписью CMS (CAdES-BES)."
        }
        CmsError::SignerCount(_) => "в подписи должен быть ровно один подписант.",
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

/// The field's name in the accusative case, for «Укажите …».
fn accusative(field: Field) -> &'static str {
    match field {
        Field::Surname => "фамилию",
        Field::GivenName => "имя",
        Field::Patronymic => "отчество",
        Field::BirthDate => "дату рождения",
        Field::PassportSeries => "серию паспорта",
        Field::PassportNumber => "номер паспорта",
        Field::PassportIssueDate => "дату выдачи паспорта",
        Field::PassportIssuer => "кем выдан паспорт",
        Field::PassportDivisionCode => "код подразделения",
        Field::Snils => "СНИЛС",
        Field::Inn => "ИНН",
        Field::Email => "адрес электронной почты",
        Field::Phone => "номер мобильного телефона",
        Field::RegionCode => "код региона",
        Field::RegionName => "регион",
        Field::Locality => "населённый пункт",
    }
}

/// The sentence shown under `field` when it is refused for `kind`.
pub fn field_message(field: Field, kind: ValidationKind) -> String {
    use ValidationKind as K;
    let text = match kind {
        K::Empty => return format!("Укажите {}.", accusative(field)),
        K::TooLong => "Слишком длинное значение.",
        K::InvalidCharacters => "Поле содержит недопустимые символы.",
        K::SnilsLength => "СНИЛС состоит из 11 цифр.",
        K::SnilsChecksum => "Неверное контрольное число СНИЛС.",
        K::InnLength => "ИНН физического лица состоит из 12 цифр.",
        K::InnOfOrganization => {
            "Это ИНН организации (10 цифр). Укажите ИНН физического лица — 12 цифр."
        }
        K::InnChecksum => "Неверные контрольные цифры ИНН.",
        K::PhoneFormat => {
            "Укажите российский номер мобильного телефона, например +7 912 345-67-89."
        }
        K::PhoneNotMobile => "Это не номер мобильного телефона: он начинается с +7 9.",
        K::EmailFormat => "Неверный адрес электронной почты.",
        K::PassportSeries => "Серия паспорта состоит из 4 цифр.",
        K::PassportNumber => "Номер паспорта состоит из 6 цифр.",
        K::DivisionCode => "Код подразделения — 6 цифр в виде 123-456.",
        K::NameCharacters => "Допустимы только русские буквы, дефис, пробел и апостроф.",
        K::DateFormat => "Укажите дату в формате ДД.ММ.ГГГГ.",
        K::DateInFuture => "Дата не может быть в будущем.",
        K::TooYoung => "Паспорт выдаётся с 14 лет: проверьте дату рождения.",
        K::TooOld => "Проверьте дату рождения.",
        K::PassportIssuedTooEarly => {
            "Паспорт не выдаётся раньше 14 лет: проверьте дату выдачи и дату рождения."
        }
        K::RegionCode => "Код региона — две цифры, от 01 до 99.",
    };
    text.to_owned()
}

/// The names of a certificate's name attributes, as «Подробнее» shows them.
pub mod attribute {
    /// commonName.
    pub const COMMON_NAME: &str = "Владелец";
    /// surname.
    pub const SURNAME: &str = "Фамилия";
    /// givenName.
    pub const GIVEN_NAME: &str = "Имя и отчество";
    /// title.
    pub const TITLE: &str = "Должность";
    /// organizationName.
    pub const ORGANIZATION: &str = "Организация";
    /// organizationalUnitName.
    pub const UNIT: &str = "Подразделение";
    /// localityName.
    pub const LOCALITY: &str = "Населённый пункт";
    /// stateOrProvinceName.
    pub const REGION: &str = "Регион";
    /// countryName.
    pub const COUNTRY: &str = "Страна";
    /// streetAddress.
    pub const STREET: &str = "Адрес";
    /// СНИЛС.
    pub const SNILS: &str = "СНИЛС";
    /// ИНН of a person.
    pub const INN: &str = "ИНН";
    /// ИНН of a legal entity.
    pub const INN_LE: &str = "ИНН организации";
    /// ОГРН.
    pub const OGRN: &str = "ОГРН";
    /// emailAddress.
    pub const EMAIL: &str = "Электронная почта";
}
