//! Where each line goes: words wrapped by the font's advances, blocks stacked down the page,
//! a new page when the next line would cross the bottom margin.

use super::Block;

pub const PAGE_W: f32 = 595.0;
pub const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BODY_SIZE: f32 = 10.5;
const TITLE_SIZE: f32 = 13.0;
const LINE: f32 = 15.0;
/// Where a field's value starts, from the left margin.
const VALUE_INDENT: f32 = 190.0;

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Draw {
    /// A line of text with its baseline at `y` (from the top).
    Text {
        x: f32,
        y: f32,
        bold: bool,
        size: f32,
        text: String,
    },
    /// A horizontal rule.
    Rule { x: f32, y: f32, length: f32 },
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

/// Breaks `text` into lines no wider than `max` points (a word wider than that stands alone).
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

/// The pages, top to bottom.
struct Pages {
    pages: Vec<Vec<Draw>>,
    y: f32,
}

impl Pages {
    /// Moves down by `step`, onto a new page when the line would not fit.
    fn down(&mut self, step: f32) -> f32 {
        if self.y + step > PAGE_H - MARGIN {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
        self.y += step;
        self.y
    }

    fn draw(&mut self, draw: Draw) {
        if let Some(page) = self.pages.last_mut() {
            page.push(draw);
        }
    }

    fn text(&mut self, x: f32, bold: bool, size: f32, text: String) {
        let y = self.y;
        self.draw(Draw::Text {
            x,
            y,
            bold,
            size,
            text,
        });
    }
}

/// Lays `blocks` out onto pages.
pub fn pages(face: &ttf_parser::Face<'_>, blocks: &[Block]) -> Vec<Vec<Draw>> {
    let text_width = PAGE_W - 2.0 * MARGIN;
    let mut out = Pages {
        pages: vec![Vec::new()],
        y: MARGIN,
    };
    for block in blocks {
        match block {
            Block::Title(text) => {
                for l in wrap(face, text, TITLE_SIZE, text_width) {
                    let x = (PAGE_W - width(face, &l, TITLE_SIZE)).max(2.0 * MARGIN) / 2.0;
                    out.down(18.0);
                    out.text(x, true, TITLE_SIZE, l);
                }
            }
            Block::Heading(text) => {
                out.down(6.0);
                for l in wrap(face, text, BODY_SIZE, text_width) {
                    out.down(LINE);
                    out.text(MARGIN, true, BODY_SIZE, l);
                }
            }
            Block::Paragraph(text) => {
                for l in wrap(face, text, BODY_SIZE, text_width) {
                    out.down(LINE);
                    out.text(MARGIN, false, BODY_SIZE, l);
                }
                out.y += 4.0;
            }
            Block::Field(label, value) => {
                let labels = wrap(face, &format!("{label}:"), BODY_SIZE, VALUE_INDENT - 18.0);
                let values = wrap(face, value, BODY_SIZE, PAGE_W - 2.0 * MARGIN - VALUE_INDENT);
                for i in 0..labels.len().max(values.len()).max(1) {
                    out.down(LINE);
                    if let Some(l) = labels.get(i) {
                        out.text(MARGIN + 12.0, true, BODY_SIZE, l.clone());
                    }
                    if let Some(v) = values.get(i) {
                        out.text(MARGIN + VALUE_INDENT, false, BODY_SIZE, v.clone());
                    }
                }
            }
            Block::Gap => {
                out.down(LINE);
            }
            Block::SignatureLine { caption, name } => {
                let y = out.down(3.0 * LINE) - LINE;
                out.draw(Draw::Rule {
                    x: MARGIN,
                    y,
                    length: 200.0,
                });
                out.text(MARGIN, false, 9.0, caption.clone());
                out.text(MARGIN + 260.0, false, 9.0, name.clone());
            }
        }
    }
    out.pages
}
