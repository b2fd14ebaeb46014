"""Word (.docx) rendering with python-docx, laid out as Decree 30/2020/NĐ-CP, Appendix I says.

A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; a borderless two-column header
table (issuing body | national name and motto, then number and symbol | place and date); type and summary
centred in bold; body 14 pt justified with a 1.27 cm first-line indent and 6 pt after; the recipients and
the signature side by side, kept on one page; page numbers centred in the top margin from page 2. The .docx is
the editable form of the document: the clerk fills the blanks and edits the text before issuing.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from .model import Bullet, Heading, OfficialDocument, Paragraph, Table

FONT = "Times New Roman"
BODY_PT = 14
PAGE_WIDTH_MM = 210
LEFT_MM, RIGHT_MM, TOP_MM, BOTTOM_MM = 30, 15, 20, 20
TEXT_WIDTH_MM = PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM  # 165
HEADER_LEFT_MM, HEADER_RIGHT_MM = 65, 105  # the header table runs 5 mm into the right margin
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def _font(run: Any, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(
    container: Any,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
    before: float = 0,
    indent: bool = False,
    first: bool = False,
) -> Any:
    """A paragraph; `first` reuses the empty paragraph a new table cell starts with."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = 1.0
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if text:
        _font(paragraph.add_run(text), size, bold, italic)
    return paragraph


def _rule(container: Any, line_mm: float, box_mm: float) -> None:
    """A short horizontal line, centred in a box box_mm wide (the line under the issuer, the motto, the summary)."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max((box_mm - line_mm) / 2, 0)
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    _font(paragraph.add_run(""), 2)
    ppr = paragraph._element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _cell_width(cell: Any, mm: float) -> None:
    cell.width = Mm(mm)
    tcpr = cell._element.get_or_add_tcPr()
    width = tcpr.find(qn("w:tcW"))
    if width is not None:
        width.set(qn("w:type"), "dxa")


def _no_margins_table(table: Any, widths: list[float]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid = table._tbl.tblGrid
    for col, mm in zip(grid.findall(qn("w:gridCol")), widths, strict=False):
        col.set(qn("w:w"), str(int(mm / 25.4 * 1440)))
    for row in table.rows:
        for cell, mm in zip(row.cells, widths, strict=False):
            _cell_width(cell, mm)


def _page_number_header(section: Any) -> None:
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


def _setup(document: Any) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.append(lang)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    _page_number_header(section)


def _header(document: Any, doc: OfficialDocument) -> None:
    table = document.add_table(rows=2, cols=2)
    _no_margins_table(table, [HEADER_LEFT_MM, HEADER_RIGHT_MM])
    left, right = table.rows[0].cells
    header = doc.header
    lines = [(line, False) for line in header.parent_lines] + [(line, True) for line in header.issuer_lines]
    if not lines:
        lines = [("…", True)]
    for i, (line, bold) in enumerate(lines):
        _para(left, line, size=13 if bold else 12.5, bold=bold, first=i == 0)
    _rule(left, 22, HEADER_LEFT_MM)
    _para(right, NATIONAL_NAME, size=12.5, bold=True, first=True)
    _para(right, MOTTO, size=13.5, bold=True)
    _rule(right, 62, HEADER_RIGHT_MM)
    number, date = table.rows[1].cells
    _para(number, header.number_line, size=13, first=True, before=6)
    _para(date, header.date_line, size=14, italic=True, first=True, before=6)


def _table(document: Any, block: Table) -> None:
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.columns))
    table.style = document.styles["Table Grid"]
    widths = block.widths_mm or [TEXT_WIDTH_MM / len(block.columns)] * len(block.columns)
    _no_margins_table(table, widths)
    for cell, text in zip(table.rows[0].cells, block.columns, strict=False):
        _para(cell, text, size=12, bold=True, first=True, before=2, after=2)
    for r, row in enumerate(block.rows):
        for c, (cell, text) in enumerate(zip(table.rows[r + 1].cells, row, strict=False)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if c in block.numeric else WD_ALIGN_PARAGRAPH.LEFT
            if len(text) <= 4 and c not in block.numeric:
                align = WD_ALIGN_PARAGRAPH.CENTER
            _para(cell, text, size=12, bold=r in block.bold_rows, align=align, first=True, before=2, after=2)
    # A little space after the table.
    _para(document, "", size=6)


def _body(document: Any, doc: OfficialDocument) -> None:
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    for block in doc.blocks:
        if isinstance(block, Heading):
            paragraph = _para(
                document, block.text, bold=True, italic=block.level >= 3, align=justify, after=6, indent=True
            )
            paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            _para(document, block.text, italic=block.italic, align=justify, after=6, indent=True)
        elif isinstance(block, Bullet):
            mark = "-" if block.level <= 1 else "+"
            _para(document, f"{mark} {block.text}", align=justify, after=6, indent=True)
        elif isinstance(block, Table):
            _table(document, block)


def _keep_on_one_page(table: Any, before: Any | None) -> None:
    """The closing block (recipients beside the signature) must not split across pages (Decree 30 form, issue
    14): its one row may not break (`w:cantSplit`, which LibreOffice honours when it makes the PDF), each of its
    paragraphs is kept together and with the next, and the body's last paragraph is kept with the block, so
    the signature never stands alone on a page without text above it."""
    row = table.rows[0]
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.append(OxmlElement("w:cantSplit"))
    for cell in row.cells:
        for i, paragraph in enumerate(cell.paragraphs):
            paragraph.paragraph_format.keep_together = True
            paragraph.paragraph_format.keep_with_next = i < len(cell.paragraphs) - 1
    if before is not None:
        before.paragraph_format.keep_with_next = True


def _signature(document: Any, doc: OfficialDocument) -> None:
    last_body = document.paragraphs[-1] if document.paragraphs else None
    table = document.add_table(rows=1, cols=2)
    _no_margins_table(table, [80, 85])
    left, right = table.rows[0].cells
    _para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True, before=6)
    for line in doc.recipient_lines:
        _para(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    sig = doc.signature
    _para(right, sig.authority.upper(), size=14, bold=True, first=True, before=6)
    _para(right, sig.title.upper(), size=14, bold=True)
    for _ in range(4):
        _para(right, "", size=14)
    _para(right, sig.name, size=14, bold=True)
    _keep_on_one_page(table, last_body)


def render_docx(doc: OfficialDocument) -> bytes:
    document = Document()
    _setup(document)
    # The new document starts with one empty paragraph; the header table goes before it.
    _header(document, doc)
    _para(document, doc.doc_type.upper(), size=14, bold=True, before=12)
    _para(document, doc.summary, size=14, bold=True)
    _rule(document, 40, TEXT_WIDTH_MM)
    _para(document, "", size=8)
    _body(document, doc)
    _signature(document, doc)
    _para(document, "", size=2)  # a document body must not end with a table
    # Drop the empty paragraph python-docx's template starts the body with.
    first = document.paragraphs[0]
    if not first.text and first._element.getprevious() is None:
        first._element.getparent().remove(first._element)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
