//! The Ministry's list of accredited CAs (TSL XML), read as a stream with `quick-xml`: the
//! header (`Версия`, `Дата`) first, then one `УдостоверяющийЦентр` at a time, so a 200 MiB
//! list never sits in memory whole. Hostile input is refused, never expanded: a DTD (entity
//! definitions, external entities) ends the read, only XML's five entities and character
//! references are resolved, nesting is capped, the whole file and each text are capped, the
//! text must be UTF-8, and a file that ends inside an element is truncated, not short.
//!
//! `Версия` and `Дата` must come before the first CA, as in the published list.

use super::accredited::{
    Accreditation, AccreditationSince, AccreditedCa, AuthorityKey, ListHeader, ListedCertificate,
};
use super::tsl_error::{LeftOut, TslError};
use base64::Engine as _;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{BufReader, Read, Take};

/// The largest list read (the published one is a few tens of MiB).
pub const DEFAULT_CAP: u64 = 200 * 1024 * 1024;
/// The deepest nesting of a real list is 9; anything past this is an attack or garbage.
pub const MAX_DEPTH: usize = 32;
/// The largest text of one element (a certificate in base64 is a few KiB).
pub const MAX_TEXT: usize = 1024 * 1024;

const ROOT: &str = "АккредитованныеУдостоверяющиеЦентры";
const CA: &str = "УдостоверяющийЦентр";

/// Reads a trust list: [`TslReader::open`] answers its header, then [`TslReader::next_ca`]
/// yields the CAs one by one.
pub struct TslReader<R: Read> {
    xml: Reader<BufReader<Take<R>>>,
    cap: u64,
    buf: Vec<u8>,
    path: Vec<String>,
    text: String,
    /// The first CA's start was read by `open`.
    in_ca: bool,
}

impl<R: Read> std::fmt::Debug for TslReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TslReader")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// What one step of the parse met.
enum Node {
    /// An element opened (its name is the last of `path`).
    Open,
    /// The element last in `path` closed, with its text; the caller pops it.
    Close(String),
    /// The document ended, every element closed.
    End,
}

#[derive(Default)]
struct PartialStatus {
    state: Option<Accreditation>,
    since: Option<i64>,
}

impl PartialStatus {
    fn take(&mut self) -> Option<AccreditationSince> {
        let partial = std::mem::take(self);
        Some(AccreditationSince {
            state: partial.state?,
            since: partial.since?,
        })
    }
}

#[derive(Default)]
struct PartialCertificate {
    thumbprint: String,
    serial: String,
    not_before: Option<i64>,
    not_after: Option<i64>,
    data: String,
}

impl<R: Read> TslReader<R> {
    /// Starts reading `input` (at most `cap` bytes) and reads the header.
    pub fn open(input: R, cap: u64) -> Result<(ListHeader, Self), TslError> {
        let mut xml = Reader::from_reader(BufReader::new(input.take(cap.saturating_add(1))));
        let config = xml.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        let mut reader = Self {
            xml,
            cap,
            buf: Vec::new(),
            path: Vec::new(),
            text: String::new(),
            in_ca: false,
        };
        let (mut version, mut date) = (None, None);
        loop {
            match reader.node()? {
                Node::Open => {
                    if reader.path.len() == 2 && reader.path[1] == CA {
                        reader.in_ca = true;
                        break;
                    }
                }
                Node::Close(text) => {
                    if reader.path.len() == 2 {
                        match reader.path[1].as_str() {
                            "Версия" => {
                                version = Some(
                                    text.trim()
                                        .parse::<u64>()
                                        .map_err(|e| bad("Версия", &text, e))?,
                                );
                            }
                            "Дата" => date = Some(parse_time("Дата", &text)?),
                            _ => {}
                        }
                    }
                    reader.path.pop();
                }
                Node::End => break,
            }
        }
        let header = ListHeader {
            version: version.ok_or(TslError::MissingHeader("Версия"))?,
            date: date.ok_or(TslError::MissingHeader("Дата"))?,
        };
        Ok((header, reader))
    }

    /// The next CA of the list, or `None` after the last.
    pub fn next_ca(&mut self) -> Result<Option<AccreditedCa>, TslError> {
        if !std::mem::take(&mut self.in_ca) {
            loop {
                match self.node()? {
                    Node::Open if self.path.len() == 2 && self.path[1] == CA => break,
                    Node::Open => {}
                    Node::Close(_) => {
                        self.path.pop();
                    }
                    Node::End => return Ok(None),
                }
            }
        }
        let mut ca = AccreditedCa::default();
        let mut current = PartialStatus::default();
        let mut earlier = PartialStatus::default();
        let mut key = AuthorityKey::default();
        let mut certificate = PartialCertificate::default();
        loop {
            let text = match self.node()? {
                Node::Open => continue,
                Node::Close(text) => text,
                // (An end of file inside the CA is reported as truncated by `node`.)
                Node::End => return Err(TslError::Truncated(CA.into())),
            };
            if self.path.len() == 2 {
                self.path.pop();
                return Ok(Some(ca));
            }
            let inner: Vec<&str> = self.path[2..].iter().map(String::as_str).collect();
            let value = text.trim();
            match inner.as_slice() {
                ["Название"] => ca.name = value.to_owned(),
                ["ИНН"] => ca.inn = value.to_owned(),
                ["ОГРН"] => ca.ogrn = value.to_owned(),
                ["РеестровыйНомер"] => ca.registry_number = value.to_owned(),
                ["СтатусАккредитации", "Статус"] => {
                    current.state = Some(Accreditation::from_words(value));
                }
                ["СтатусАккредитации", "ДействуетС"] => {
                    current.since = Some(parse_time("ДействуетС", value)?);
                }
                ["СтатусАккредитации"] => ca.accreditation.extend(current.take()),
                ["ИсторияСтатусаАккредитации", "СтатусАккредитации", "Статус"] =>
                {
                    earlier.state = Some(Accreditation::from_words(value));
                }
                [
                    "ИсторияСтатусаАккредитации",
                    "СтатусАккредитации",
                    "ДействуетС",
                ] => {
                    earlier.since = Some(parse_time("ДействуетС", value)?);
                }
                ["ИсторияСтатусаАккредитации", "СтатусАккредитации"] =>
                {
                    ca.accreditation.extend(earlier.take());
                }
                [
                    "ПрограммноАппаратныеКомплексы",
                    "ПрограммноАппаратныйКомплекс",
                    "КлючиУполномоченныхЛиц",
                    "Ключ",
                    rest @ ..,
                ] => match rest {
                    ["ИдентификаторКлюча"] => {
                        key.key_id = value.to_ascii_uppercase()
                    }
                    ["АдресаСписковОтзыва", "Адрес"] if !value.is_empty() =>
                    {
                        key.crl_urls.push(value.to_owned());
                    }
                    ["Сертификаты", "ДанныеСертификата", field] => {
                        match *field {
                            "Отпечаток" => certificate.thumbprint = value.to_owned(),
                            "СерийныйНомер" => certificate.serial = value.to_owned(),
                            "ПериодДействияС" => {
                                certificate.not_before =
                                    Some(parse_time("ПериодДействияС", value)?);
                            }
                            "ПериодДействияДо" => {
                                certificate.not_after =
                                    Some(parse_time("ПериодДействияДо", value)?);
                            }
                            "Данные" => certificate.data = text,
                            _ => {}
                        }
                    }
                    ["Сертификаты", "ДанныеСертификата"] => {
                        match listed(std::mem::take(&mut certificate)) {
                            Ok(listed) => key.certificates.push(listed),
                            Err(why) => ca.left_out.push(why),
                        }
                    }
                    [] => ca.keys.push(std::mem::take(&mut key)),
                    _ => {}
                },
                _ => {}
            }
            self.path.pop();
        }
    }

    /// Whether more than the cap was read: the input is cut one byte past it, so whatever the
    /// parser then says (truncated, malformed) is really «too large».
    fn over_cap(&self) -> bool {
        self.xml.get_ref().get_ref().limit() == 0
    }

    /// Reads on to the next element opened or closed.
    fn node(&mut self) -> Result<Node, TslError> {
        loop {
            self.buf.clear();
            let position = self.xml.buffer_position();
            let event = match self.xml.read_event_into(&mut self.buf) {
                Ok(event) => event,
                Err(error) => {
                    return Err(if self.over_cap() {
                        TslError::TooLarge { cap: self.cap }
                    } else {
                        refused(position, error)
                    });
                }
            };
            match event {
                Event::Decl(decl) => {
                    if let Some(encoding) = decl.encoding() {
                        let encoding = encoding.map_err(|e| refused(position, e.into()))?;
                        let encoding = encoding.to_ascii_lowercase();
                        if encoding != "utf-8" && encoding != "utf8" {
                            return Err(TslError::Encoding(format!("it declares {encoding}")));
                        }
                    }
                }
                Event::DocType(_) => return Err(TslError::Doctype),
                Event::Start(start) => {
                    let name = start.local_name().as_ref().to_owned();
                    if self.path.len() >= MAX_DEPTH {
                        return Err(TslError::TooDeep(MAX_DEPTH));
                    }
                    if self.path.is_empty() && name != ROOT {
                        return Err(TslError::NotATrustList(name));
                    }
                    self.path.push(name);
                    self.text.clear();
                    return Ok(Node::Open);
                }
                Event::End(_) => return Ok(Node::Close(std::mem::take(&mut self.text))),
                Event::Text(text) => {
                    push_text(&mut self.text, &text.xml10_content())?;
                }
                Event::CData(data) => {
                    push_text(&mut self.text, &data.xml10_content())?;
                }
                Event::GeneralRef(reference) => {
                    let resolved = match reference
                        .resolve_char_ref()
                        .map_err(|e| refused(position, e))?
                    {
                        Some(c) => c,
                        None => {
                            let name = reference.into_inner().into_owned();
                            match name.as_str() {
                                "amp" => '&',
                                "lt" => '<',
                                "gt" => '>',
                                "apos" => '\'',
                                "quot" => '"',
                                _ => return Err(TslError::UnknownEntity(name)),
                            }
                        }
                    };
                    push_text(&mut self.text, resolved.encode_utf8(&mut [0; 4]))?;
                }
                // (`Empty` never comes: empty elements are expanded into a start and an end.)
                Event::Comment(_) | Event::PI(_) | Event::Empty(_) => {}
                Event::Eof => {
                    if self.over_cap() {
                        return Err(TslError::TooLarge { cap: self.cap });
                    }
                    return match self.path.last() {
                        Some(open) => Err(TslError::Truncated(open.clone())),
                        None => Ok(Node::End),
                    };
                }
            }
        }
    }
}

fn push_text(text: &mut String, more: &str) -> Result<(), TslError> {
    if text.len() + more.len() > MAX_TEXT {
        return Err(TslError::TextTooLarge(MAX_TEXT));
    }
    text.push_str(more);
    Ok(())
}

fn refused(position: u64, error: quick_xml::Error) -> TslError {
    match error {
        quick_xml::Error::Io(io) => TslError::Io(std::io::Error::new(io.kind(), io.to_string())),
        quick_xml::Error::Encoding(e) => TslError::Encoding(e.to_string()),
        other => TslError::Malformed {
            position,
            reason: other.to_string(),
        },
    }
}

fn bad(field: &'static str, value: &str, why: impl std::fmt::Display) -> TslError {
    TslError::BadValue {
        field,
        value: value.trim().chars().take(80).collect(),
        why: why.to_string(),
    }
}

/// A date and time of the list: RFC 3339, or without an offset (then Moscow time, as the
/// Ministry writes them), or a date alone (its start, Moscow time).
fn parse_time(field: &'static str, text: &str) -> Result<i64, TslError> {
    use time::format_description::well_known::Rfc3339;
    let text = text.trim();
    let with_offset = |t: &str| time::OffsetDateTime::parse(t, &Rfc3339);
    let has_offset = text
        .split_once('T')
        .is_some_and(|(_, clock)| clock.ends_with('Z') || clock.contains(['+', '-']));
    let parsed = if has_offset {
        with_offset(text)
    } else if text.contains('T') {
        with_offset(&format!("{text}+03:00"))
    } else {
        with_offset(&format!("{text}T00:00:00+03:00"))
    };
    parsed
        .map(time::OffsetDateTime::unix_timestamp)
        .map_err(|e| bad(field, text, e))
}

/// A certificate as the list gives it, checked against its own thumbprint.
fn listed(partial: PartialCertificate) -> Result<ListedCertificate, LeftOut> {
    let data: String = partial
        .data
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(data.as_bytes())
        .map_err(|e| LeftOut::NotBase64 {
            serial: partial.serial.clone(),
            cause: e.to_string(),
        })?;
    let thumbprint = hex::encode_upper(
        ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &der).as_ref(),
    );
    let listed: String = partial
        .thumbprint
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if listed != thumbprint {
        return Err(LeftOut::Thumbprint {
            serial: partial.serial,
            listed,
            computed: thumbprint,
        });
    }
    Ok(ListedCertificate {
        thumbprint,
        serial: partial.serial.to_ascii_uppercase(),
        not_before: partial.not_before.ok_or_else(|| LeftOut::NoValidity {
            serial: partial.serial.clone(),
            field: "ПериодДействияС",
        })?,
        not_after: partial.not_after.ok_or_else(|| LeftOut::NoValidity {
            serial: partial.serial.clone(),
            field: "ПериодДействияДо",
        })?,
        der,
    })
}
