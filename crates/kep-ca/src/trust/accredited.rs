//! What the trust list says of each accredited CA: who it is, its accreditation over time, and
//! its authorized persons' keys with their certificates and CRL addresses.

/// The list's own header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListHeader {
    /// `Версия`: a newer list has a greater one.
    pub version: u64,
    /// `Дата`, Unix seconds.
    pub date: i64,
}

/// An accreditation state (`Статус`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accreditation {
    /// «Действует».
    Active,
    /// «Прекращена».
    Ended,
    /// «Аннулирована».
    Annulled,
    /// Anything else: never trusted.
    Other(String),
}

impl Accreditation {
    /// From the list's words.
    pub fn from_words(words: &str) -> Self {
        match words.trim() {
            "Действует" => Self::Active,
            "Прекращена" => Self::Ended,
            "Аннулирована" => Self::Annulled,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The list's words.
    pub fn words(&self) -> &str {
        match self {
            Self::Active => "Действует",
            Self::Ended => "Прекращена",
            Self::Annulled => "Аннулирована",
            Self::Other(words) => words,
        }
    }
}

/// An accreditation state and since when it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccreditationSince {
    /// The state.
    pub state: Accreditation,
    /// `ДействуетС`, Unix seconds.
    pub since: i64,
}

/// A CA certificate of an authorized person's key (`ДанныеСертификата`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedCertificate {
    /// SHA-1 of the DER, upper-case hex (checked against `Отпечаток`).
    pub thumbprint: String,
    /// `СерийныйНомер`, upper-case hex.
    pub serial: String,
    /// `ПериодДействияС`, Unix seconds.
    pub not_before: i64,
    /// `ПериодДействияДо`, Unix seconds.
    pub not_after: i64,
    /// `Данные`: the certificate.
    pub der: Vec<u8>,
}

/// An authorized person's key (`Ключ`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorityKey {
    /// `ИдентификаторКлюча` (the key identifier, hex).
    pub key_id: String,
    /// `АдресаСписковОтзыва/Адрес`.
    pub crl_urls: Vec<String>,
    /// Its certificates.
    pub certificates: Vec<ListedCertificate>,
}

/// One `УдостоверяющийЦентр`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccreditedCa {
    /// `Название`.
    pub name: String,
    /// `ИНН`.
    pub inn: String,
    /// `ОГРН`.
    pub ogrn: String,
    /// `РеестровыйНомер`.
    pub registry_number: String,
    /// The current `СтатусАккредитации` and the earlier ones, in any order.
    pub accreditation: Vec<AccreditationSince>,
    /// The keys of all its hardware-software complexes.
    pub keys: Vec<AuthorityKey>,
    /// Certificates the list gave that were left out, and why (a thumbprint that does not
    /// match, data that is not base64).
    pub left_out: Vec<super::tsl_error::LeftOut>,
}

impl AccreditedCa {
    /// The accreditation in force at `at` (Unix seconds): the latest state that began by then.
    pub fn accreditation_at(&self, at: i64) -> Option<&Accreditation> {
        self.accreditation
            .iter()
            .filter(|a| a.since <= at)
            .max_by_key(|a| a.since)
            .map(|a| &a.state)
    }

    /// Whether it was accredited at `at` (a CA whose accreditation ended is trusted for what
    /// came before the end, never after).
    pub fn accredited_at(&self, at: i64) -> bool {
        self.accreditation_at(at) == Some(&Accreditation::Active)
    }

    /// The state now in force (the latest).
    pub fn current(&self) -> Option<&AccreditationSince> {
        self.accreditation.iter().max_by_key(|a| a.since)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ended_accreditation_counts_only_before_its_end() {
        let ca = AccreditedCa {
            accreditation: vec![
                AccreditationSince {
                    state: Accreditation::Ended,
                    since: 2_000,
                },
                AccreditationSince {
                    state: Accreditation::Active,
                    since: 1_000,
                },
            ],
            ..AccreditedCa::default()
        };
        assert!(!ca.accredited_at(999), "not yet accredited");
        assert!(ca.accredited_at(1_000));
        assert!(ca.accredited_at(1_999));
        assert!(!ca.accredited_at(2_000), "ended");
        assert_eq!(ca.current().unwrap().state, Accreditation::Ended);
        assert_eq!(
            Accreditation::from_words(" Действует "),
            Accreditation::Active
        );
        assert!(matches!(
            Accreditation::from_words("Приостановлена"),
            Accreditation::Other(_)
        ));
    }
}
