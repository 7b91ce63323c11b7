//! Plain A4 documents: titles, paragraphs, labelled fields and a signature line, laid out top
//! to bottom and onto as many pages as they need. The DejaVu Sans font (in `assets/fonts`, with
//! its licence) is embedded as a subset with a ToUnicode map, so the text can be searched,
//! copied and read back by `pdftotext`. The same blocks give the same bytes.

#![forbid(unsafe_code)]

mod layout;

use krilla::Document;
use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::{Font, TextDirection};
use layout::{Draw, PAGE_H, PAGE_W};
use std::sync::OnceLock;

static REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// One block of a document, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A centred bold line (wrapped when long).
    Title(String),
    /// A bold line at the left margin, a section's heading.
    Heading(String),
    /// Running text.
    Paragraph(String),
    /// «label: value», the value wrapped in its own column.
    Field(String, String),
    /// Vertical space of one line.
    Gap,
    /// A line to sign on, with a caption under it and a name to its right.
    SignatureLine {
        /// Under the line («(подпись заявителя)»).
        caption: String,
        /// To the right («/ Иванов И. И. /»).
        name: String,
    },
}

/// Why rendering failed (a bug or a broken font, never the document's text).
#[derive(Debug, thiserror::Error)]
#[error("PDF: {0}")]
pub struct PdfError(String);

struct Fonts {
    regular: Font,
    bold: Font,
}

fn fonts() -> Result<&'static Fonts, PdfError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                regular: Font::new(REGULAR.to_vec().into(), 0)?,
                bold: Font::new(BOLD.to_vec().into(), 0)?,
            })
        })
        .as_ref()
        .ok_or_else(|| PdfError("the embedded font does not load".into()))
}

/// Renders `blocks` as an A4 PDF.
pub fn render(blocks: &[Block]) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts()?;
    let face = ttf_parser::Face::parse(REGULAR, 0).map_err(|e| PdfError(e.to_string()))?;
    let pages = layout::pages(&face, blocks);
    let settings =
        PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError("page size".into()))?;
    let mut document = Document::new();
    for draws in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for draw in draws {
            match draw {
                Draw::Text {
                    x,
                    y,
                    bold,
                    size,
                    text,
                } => surface.draw_text(
                    Point::from_xy(x, y),
                    if bold { &fonts.bold } else { &fonts.regular }.clone(),
                    size,
                    &text,
                    false,
                    TextDirection::LeftToRight,
                ),
                Draw::Rule { x, y, length } => {
                    let mut path = PathBuilder::new();
                    path.move_to(x, y);
                    path.line_to(x + length, y);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke::default()));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                        surface.set_fill(Some(krilla::paint::Fill::default()));
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| PdfError(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn long_documents_take_several_pages_and_render_the_same_twice() {
        let mut blocks = vec![Block::Title("Протокол проверки электронной подписи".into())];
        for i in 0..120 {
            blocks.push(Block::Field(format!("Поле {i}"), "значение ".repeat(12)));
        }
        blocks.push(Block::SignatureLine {
            caption: "(подпись)".into(),
            name: "/ Иванов И. И. /".into(),
        });
        let face = ttf_parser::Face::parse(REGULAR, 0).unwrap();
        assert!(layout::pages(&face, &blocks).len() > 2);
        let pdf = render(&blocks).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(pdf, render(&blocks).unwrap());
    }
}
