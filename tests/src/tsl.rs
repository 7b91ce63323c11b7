//! The Ministry's list of accredited CAs (TSL XML) in its published shape, written for the
//! tests: CAs with their accreditation and its history, hardware-software complexes, keys, CRL
//! addresses and certificates (base64 in 76-character lines, as published).

use base64::Engine as _;

/// One certificate of a key.
#[derive(Debug, Clone)]
pub struct Certificate {
    /// The DER.
    pub der: Vec<u8>,
    /// `СерийныйНомер`.
    pub serial: String,
    /// `ПериодДействияС` / `ПериодДействияДо`, as written.
    pub valid: (String, String),
    /// `Отпечаток` to write instead of the real one (a damaged list).
    pub wrong_thumbprint: bool,
}

/// One key of an authorized person.
#[derive(Debug, Clone, Default)]
pub struct Key {
    /// `ИдентификаторКлюча`.
    pub key_id: String,
    /// `АдресаСписковОтзыва/Адрес`.
    pub crl_urls: Vec<String>,
    /// Its certificates.
    pub certificates: Vec<Certificate>,
}

/// One `УдостоверяющийЦентр`.
#[derive(Debug, Clone, Default)]
pub struct Ca {
    /// `Название`.
    pub name: String,
    /// `ИНН`.
    pub inn: String,
    /// `ОГРН`.
    pub ogrn: String,
    /// `РеестровыйНомер`.
    pub registry_number: String,
    /// The current status and its `ДействуетС`.
    pub status: (String, String),
    /// Earlier statuses.
    pub history: Vec<(String, String)>,
    /// Keys (all under one hardware-software complex).
    pub keys: Vec<Key>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The whole list.
pub fn write(version: u64, date: &str, cas: &[Ca]) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<АккредитованныеУдостоверяющиеЦентры>\n");
    xml.push_str(&format!(
        "  <Версия>{version}</Версия>\n  <Дата>{date}</Дата>\n"
    ));
    for ca in cas {
        xml.push_str(&ca_xml(ca));
    }
    xml.push_str("</АккредитованныеУдостоверяющиеЦентры>\n");
    xml
}

/// One CA's element (the list writes these one after another).
pub fn ca_xml(ca: &Ca) -> String {
    let mut xml = String::new();
    xml.push_str("  <УдостоверяющийЦентр>\n");
    xml.push_str(&format!("    <Название>{}</Название>\n", escape(&ca.name)));
    xml.push_str("    <ЭлектроннаяПочта>uc@example.ru</ЭлектроннаяПочта>\n");
    xml.push_str("    <Адрес><Страна>RU</Страна><Город>Москва</Город></Адрес>\n");
    xml.push_str("    <ПрограммноАппаратныеКомплексы>\n      <ПрограммноАппаратныйКомплекс>\n");
    xml.push_str("        <Псевдоним>ПАК 1</Псевдоним>\n");
    xml.push_str("        <Адрес><Страна>RU</Страна></Адрес>\n");
    xml.push_str("        <КлючиУполномоченныхЛиц>\n");
    for key in &ca.keys {
        xml.push_str("          <Ключ>\n");
        xml.push_str(&format!(
            "            <ИдентификаторКлюча>{}</ИдентификаторКлюча>\n",
            key.key_id
        ));
        xml.push_str("            <АдресаСписковОтзыва>\n");
        for url in &key.crl_urls {
            xml.push_str(&format!("              <Адрес>{}</Адрес>\n", escape(url)));
        }
        xml.push_str("            </АдресаСписковОтзыва>\n            <Сертификаты>\n");
        for certificate in &key.certificates {
            let thumbprint = if certificate.wrong_thumbprint {
                "00".repeat(20)
            } else {
                hex::encode_upper(ring::digest::digest(
                    &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
                    &certificate.der,
                ))
            };
            let data = base64::engine::general_purpose::STANDARD.encode(&certificate.der);
            let lines: Vec<&str> = data
                .as_bytes()
                .chunks(76)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect();
            xml.push_str("              <ДанныеСертификата>\n");
            xml.push_str(&format!(
                "                <Отпечаток>{thumbprint}</Отпечаток>\n"
            ));
            xml.push_str("                <КемВыдан>CN=Корневой</КемВыдан>\n");
            xml.push_str("                <КомуВыдан>CN=УЦ</КомуВыдан>\n");
            xml.push_str(&format!(
                "                <СерийныйНомер>{}</СерийныйНомер>\n",
                certificate.serial
            ));
            xml.push_str(&format!(
                "                <ПериодДействияС>{}</ПериодДействияС>\n                <ПериодДействияДо>{}</ПериодДействияДо>\n",
                certificate.valid.0, certificate.valid.1
            ));
            xml.push_str(&format!(
                "                <Данные>{}</Данные>\n",
                lines.join("\n")
            ));
            xml.push_str("              </ДанныеСертификата>\n");
        }
        xml.push_str("            </Сертификаты>\n          </Ключ>\n");
    }
    xml.push_str("        </КлючиУполномоченныхЛиц>\n");
    xml.push_str("      </ПрограммноАппаратныйКомплекс>\n    </ПрограммноАппаратныеКомплексы>\n");
    xml.push_str(&format!(
        "    <ИНН>{}</ИНН>\n    <ОГРН>{}</ОГРН>\n    <РеестровыйНомер>{}</РеестровыйНомер>\n",
        ca.inn, ca.ogrn, ca.registry_number
    ));
    xml.push_str(&format!(
        "    <СтатусАккредитации>\n      <Статус>{}</Статус>\n      <ДействуетС>{}</ДействуетС>\n    </СтатусАккредитации>\n",
        ca.status.0, ca.status.1
    ));
    if !ca.history.is_empty() {
        xml.push_str("    <ИсторияСтатусаАккредитации>\n");
        for (status, since) in &ca.history {
            xml.push_str(&format!(
                "      <СтатусАккредитации><Статус>{status}</Статус><ДействуетС>{since}</ДействуетС></СтатусАккредитации>\n"
            ));
        }
        xml.push_str("    </ИсторияСтатусаАккредитации>\n");
    }
    xml.push_str("  </УдостоверяющийЦентр>\n");
    xml
}
