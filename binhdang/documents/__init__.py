"""Official documents in the form of Decree 30/2020/NĐ-CP (Word and PDF).

`plan_document(plan)` and `report_document(period)` build an :class:`OfficialDocument`;
`render_docx` and `render_pdf` lay it out.
"""
