"""A plan as a Word file with real tables, built with python-docx: the two-column Decree 30 header as a table,
the body as paragraphs, and an appendix task table (Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian
hoàn thành | Sản phẩm). Written for the tests; the wording follows the 2025 plans of ``../shared/corpus``."""

from __future__ import annotations

import io

CODE = "0915/KH-UBND"
TASK_ROWS = [
    (
        "1",
        "Tổ chức tập huấn về lồng ghép giới cho cán bộ các sở, ngành",
        "Sở Nội vụ",
        "Sở Tư pháp",
        "Quý II/2026",
        "Báo cáo kết quả tập huấn",
    ),
    (
        "2",
        "Rà soát, cập nhật số liệu thống kê giới của địa phương",
        "UBND các xã, phường",
        "Sở Y tế; Sở Nội vụ",
        "Tháng 10/2026",
        "Bộ số liệu",
    ),
]


def word_plan() -> bytes:
    import docx

    d = docx.Document()
    header = d.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = "ỦY BAN NHÂN DÂN"
    left.add_paragraph("TỈNH THÁI NGUYÊN")
    left.add_paragraph(f"Số: {CODE}")
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    right.add_paragraph("Thái Nguyên, ngày 05 tháng 12 năm 2025")
    for text in (
        "KẾ HOẠCH",
        "Thực hiện công tác bình đẳng giới trên địa bàn tỉnh năm 2026",
        "Căn cứ Nghị quyết số 28/NQ-CP ngày 03/3/2021 của Chính phủ ban hành Chiến lược quốc gia về bình đẳng "
        "giới giai đoạn 2021 - 2030; Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
        "I. MỤC TIÊU",
        "1. Chỉ tiêu đến năm 2026:",
        "- Tối thiểu 40% cán bộ, công chức được tập huấn về bình đẳng giới.",
        "- 100% các xã, phường có cán bộ phụ trách công tác bình đẳng giới.",
        "II. NHIỆM VỤ",
        "Các nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này.",
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Sở Y tế",
        "- Chủ trì tổ chức truyền thông về bình đẳng giới trong lĩnh vực y tế.",
        "2. Các sở, ban, ngành",
        "- Báo cáo kết quả thực hiện về Sở Nội vụ trước ngày 15/12 hằng năm.",
        "PHỤ LỤC",
        "NHIỆM VỤ CỤ THỂ",
    ):
        d.add_paragraph(text)
    table = d.add_table(rows=1 + len(TASK_ROWS), cols=6)
    for j, title in enumerate(
        ("TT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm")
    ):
        table.cell(0, j).text = title
    for i, row in enumerate(TASK_ROWS, 1):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
