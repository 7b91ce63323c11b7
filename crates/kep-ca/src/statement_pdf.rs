//! The statement «Заявление на изготовление квалифицированного сертификата ключа проверки
//! электронной подписи», rendered as an A4 PDF from the approved requisites with krilla. The
//! DejaVu Sans font (in `assets/fonts`, with its licence) is embedded as a subset with a
//! ToUnicode map, so the text can be searched, copied and read back by `pdftotext`.
//!
//! The PDF is rendered once, when the requisites are approved, and stored; every signature is
//! checked over those stored bytes.

use kep_pki::Requisites;
use krilla::Document;
use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::{Font, TextDirection};
use std::sync::OnceLock;

static REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

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

/// Why rendering failed (a bug or a broken font, never the applicant's data).
#[derive(Debug, thiserror::Error)]
#[error("statement PDF: {0}")]
pub struct PdfError(String);

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BODY_SIZE: f32 = 10.5;
const LINE: f32 = 15.0;

struct Fonts {
    regular: Font,
    bold: Font,
    metrics: Vec<u8>,
}

fn fonts() -> Result<&'static Fonts, PdfError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                regular: Font::new(REGULAR.to_vec().into(), 0)?,
                bold: Font::new(BOLD.to_vec().into(), 0)?,
                metrics: REGULAR.to_vec(),
            })
        })
        .as_ref()
        .ok_or_else(|| PdfError("the embedded font does not load".into()))
}

/// Width of `text` in points at `size`, from the font's horizontal advances.
fn width(face: &ttf_parser::Face<'_>, text: &str, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(0, u32::from)
        })
        .sum();
    units as f32 * size / f32::from(face.units_per_em())
}

/// Breaks `text` into lines no wider than `max` points.
fn wrap(face: &ttf_parser::Face<'_>, text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && width(face, &candidate, size) > max {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// One block of the statement.
enum Block {
    Title(String),
    Paragraph(String),
    Field(&'static str, String),
    Gap,
    SignatureLine,
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
        Block::Field("Фамилия, имя, отчество", requisites.full_name()),
        Block::Field("Дата рождения", r.birth_date.clone()),
        Block::Field("Паспорт гражданина РФ", passport),
        Block::Field("СНИЛС", r.snils.clone()),
        Block::Field("ИНН", r.inn.clone()),
        Block::Field("Адрес электронной почты", r.email.clone()),
        Block::Field("Телефон", r.phone.clone()),
        Block::Field(
            "Регион, населённый пункт",
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
        Block::Field("Дата", context.date.clone()),
        Block::Gap,
        Block::SignatureLine,
    ]
}

/// Renders the statement. The same requisites and context give the same bytes.
pub fn render(
    requisites: &Requisites,
    context: &StatementContext<'_>,
) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts()?;
    let face = ttf_parser::Face::parse(&fonts.metrics, 0).map_err(|e| PdfError(e.to_string()))?;
    let settings =
        PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError("page size".into()))?;
    let mut document = Document::new();
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let text_width = PAGE_W - 2.0 * MARGIN;
    let mut y = MARGIN;
    let line = |surface: &mut krilla::surface::Surface<'_>,
                x: f32,
                y: f32,
                font: &Font,
                size: f32,
                text: &str| {
        surface.draw_text(
            Point::from_xy(x, y),
            font.clone(),
            size,
            text,
            false,
            TextDirection::LeftToRight,
        );
    };
    for block in blocks(requisites, context) {
        match block {
            Block::Title(text) => {
                for l in wrap(&face, &text, 13.0, text_width) {
                    let x = (PAGE_W - width(&face, &l, 13.0)).max(2.0 * MARGIN) / 2.0;
                    y += 18.0;
                    line(&mut surface, x, y, &fonts.bold, 13.0, &l);
                }
            }
            Block::Paragraph(text) => {
                for l in wrap(&face, &text, BODY_SIZE, text_width) {
                    y += LINE;
                    line(&mut surface, MARGIN, y, &fonts.regular, BODY_SIZE, &l);
                }
                y += 4.0;
            }
            Block::Field(label, value) => {
                let label = format!("{label}:");
                y += LINE;
                line(
                    &mut surface,
                    MARGIN + 12.0,
                    y,
                    &fonts.bold,
                    BODY_SIZE,
                    &label,
                );
                let indent = MARGIN + 190.0;
                for (i, l) in wrap(&face, &value, BODY_SIZE, PAGE_W - MARGIN - indent)
                    .into_iter()
                    .enumerate()
                {
                    if i > 0 {
                        y += LINE;
                    }
                    line(&mut surface, indent, y, &fonts.regular, BODY_SIZE, &l);
                }
            }
            Block::Gap => y += LINE,
            Block::SignatureLine => {
                y += 2.0 * LINE;
                let mut path = PathBuilder::new();
                path.move_to(MARGIN, y);
                path.line_to(MARGIN + 200.0, y);
                if let Some(path) = path.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke::default()));
                    surface.draw_path(&path);
                    surface.set_stroke(None);
                    surface.set_fill(Some(krilla::paint::Fill::default()));
                }
                y += LINE;
                line(
                    &mut surface,
                    MARGIN,
                    y,
                    &fonts.regular,
                    9.0,
                    "(подпись заявителя)",
                );
                line(
                    &mut surface,
                    MARGIN + 260.0,
                    y,
                    &fonts.regular,
                    9.0,
                    &format!("/ {} /", requisites.full_name()),
                );
            }
        }
    }
    surface.finish();
    page.finish();
    document.finish().map_err(|e| PdfError(format!("{e:?}")))
}
