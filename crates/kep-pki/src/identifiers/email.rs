//! An e-mail address as a certificate's emailAddress (IA5String) can hold it: ASCII local part,
//! domain in ASCII (an internationalized domain such as `почта.рф` is stored in punycode).

use super::ValidationKind;
use std::fmt;

/// RFC 5321 limits.
const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;
const MAX_LABEL_LEN: usize = 63;

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, ValidationKind> {
        let input = input.trim();
        if input.is_empty() {
            return Err(ValidationKind::Empty);
        }
        if input.len() > MAX_LEN {
            return Err(ValidationKind::TooLong);
        }
        let (local, domain) = input.rsplit_once('@').ok_or(ValidationKind::EmailFormat)?;
        if !is_valid_local(local) {
            return Err(ValidationKind::EmailFormat);
        }
        // IDNA silently drops some invisible characters; what the user cannot see is refused
        // instead, so the address stored is the one they read.
        if domain
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || super::text::is_invisible(c))
        {
            return Err(ValidationKind::EmailFormat);
        }
        let domain =
            idna::domain_to_ascii_strict(domain).map_err(|_| ValidationKind::EmailFormat)?;
        if !is_valid_domain(&domain) {
            return Err(ValidationKind::EmailFormat);
        }
        let address = format!("{local}@{domain}");
        if address.len() > MAX_LEN {
            return Err(ValidationKind::TooLong);
        }
        Ok(Self(address))
    }

    /// The address, ASCII only.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A dot-atom of RFC 5322 (no quoted local parts: no CA form accepts them).
fn is_valid_local(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-";
    !local.is_empty()
        && local.len() <= MAX_LOCAL_LEN
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || SPECIALS.contains(c))
}

/// A host name of at least two labels, letters-digits-hyphen, with a non-numeric top label.
fn is_valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= MAX_LABEL_LEN
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalizes() {
        assert_eq!(
            Email::parse(" Ivan.Petrov@Example.RU ").unwrap().as_str(),
            "Ivan.Petrov@example.ru"
        );
        assert_eq!(
            Email::parse("a+tag@mail.example.com").unwrap().as_str(),
            "a+tag@mail.example.com"
        );
        assert_eq!(
            Email::parse("ivan@почта.рф").unwrap().as_str(),
            "ivan@xn--80a1acny.xn--p1ai"
        );
    }

    #[test]
    fn refusals() {
        for bad in [
            "ivan",
            "ivan@",
            "@example.ru",
            "ivan@example",
            "ivan@@example.ru",
            "iv an@example.ru",
            ".ivan@example.ru",
            "iv..an@example.ru",
            "иван@example.ru",
            "ivan@-example.ru",
            "ivan@example.123",
            "ivan@exa_mple.ru",
            "\"ivan\"@example.ru",
        ] {
            assert_eq!(Email::parse(bad), Err(ValidationKind::EmailFormat), "{bad}");
        }
        assert_eq!(Email::parse(""), Err(ValidationKind::Empty));
        let long = format!("{}@example.ru", "a".repeat(300));
        assert_eq!(Email::parse(&long), Err(ValidationKind::TooLong));
    }
}
