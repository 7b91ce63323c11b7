//! The statement «Заявление на изготовление квалифицированного сертификата ключа проверки
//! электронной подписи», rendered as an A4 PDF from the approved requisites by kep-pdf (DejaVu
//! Sans embedded as a subset with a ToUnicode map, so `pdftotext` reads it back).
//!
//! The PDF is rendered once, when the requisites are approved, and stored; every signature is
//! checked over those stored bytes.

use kep_pdf::Block;
use kep_pki::Requisites;

pub use kep_pdf::PdfError;

/// What goes into the statement besides the requisites.
#[derive(Debug, Clone)]
pub struct StatementContext<'a> {
    /// The CA's name as applicants know it.
    pub ca_name: &'a str,
    /// The application's number.
    pub application_id: i64,
    /// The date printed on it, ДД.ММ.ГГГГ.
    pub date: String,
}

fn blocks(requisites: &Requisites, context: &StatementContext<'_>) -> Vec<Block> {
    let r = requisites.to_input();
    let passport = format!(
        "серия {} № {}, выдан {} {}, код подразделения {}",
        r.passport_series,
        r.passport_number,
        r.passport_issue_date,
        r.passport_issuer,
        r.passport_division_code
    );
    vec![
        Block::Paragraph(format!("В {}", context.ca_name)),
        Block::Paragraph(format!("Заявка № {}", context.application_id)),
        Block::Gap,
        Block::Title("Заявление".into()),
        Block::Title(
            "на изготовление квалифицированного сертификата ключа проверки электронной подписи"
                .into(),
        ),
        Block::Gap,
        Block::Paragraph(format!(
            "Я, {}, прошу изготовить квалифицированный сертификат ключа проверки электронной \
             подписи со следующими данными:",
            requisites.full_name()
        )),
        Block::Field("Фамилия, имя, отчество".into(), requisites.full_name()),
        Block::Field("Дата рождения".into(), r.birth_date.clone()),
        Block::Field("Паспорт гражданина РФ".into(), passport),
        Block::Field("СНИЛС".into(), r.snils.clone()),
        Block::Field("ИНН".into(), r.inn.clone()),
        Block::Field("Адрес электронной почты".into(), r.email.clone()),
        Block::Field("Телефон".into(), r.phone.clone()),
        Block::Field(
            "Регион, населённый пункт".into(),
            format!("{} {}, {}", r.region_code, r.region_name, r.locality),
        ),
        Block::Gap,
        Block::Paragraph(
            "Подтверждаю, что указанные данные верны. Ключ электронной подписи создан мной и \
             хранится в тайне; обязуюсь сообщить в удостоверяющий центр о нарушении его \
             конфиденциальности."
                .into(),
        ),
        Block::Paragraph(
            "В соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных \
             данных» даю согласие на обработку моих персональных данных, указанных в настоящем \
             заявлении, в целях создания и выдачи сертификата ключа проверки электронной \
             подписи и ведения реестра сертификатов. Согласие действует до его отзыва в \
             письменной форме."
                .into(),
        ),
        Block::Gap,
        Block::Field("Дата".into(), context.date.clone()),
        Block::Gap,
        Block::SignatureLine {
            caption: "(подпись заявителя)".into(),
            name: format!("/ {} /", requisites.full_name()),
        },
    ]
}

/// Renders the statement. The same requisites and context give the same bytes.
pub fn render(
    requisites: &Requisites,
    context: &StatementContext<'_>,
) -> Result<Vec<u8>, PdfError> {
    kep_pdf::render(&blocks(requisites, context))
}
