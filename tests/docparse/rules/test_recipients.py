"""RecipientsRule: the dash list under "Nơi nhận:"."""

from __future__ import annotations

from binhdang.docparse.rules.recipients import RecipientsRule
from docparse.rules.helpers import run_rules


def test_one_recipient_per_dash_line_without_the_closing_punctuation() -> None:
    recipients = run_rules(
        "Trên đây là Kế hoạch.\nNơi nhận:\n- Bộ Lao động - Thương binh và Xã hội;\n- Thường trực Tỉnh ủy;\n"
        "- Các sở, ban, ngành tỉnh;\n- Lưu: VT.\nKT. CHỦ TỊCH\n",
        RecipientsRule(),
    ).plan.recipients
    assert [r.text for r in recipients] == [
        "Bộ Lao động - Thương binh và Xã hội",
        "Thường trực Tỉnh ủy",
        "Các sở, ban, ngành tỉnh",
        "Lưu: VT",
    ]


def test_only_the_last_nơi_nhận_counts_and_table_lines_are_skipped() -> None:
    recipients = run_rules(
        "- Sở Y tế chủ trì.\nNơi nhận: như trên\nNơi nhận:\n- Như Điều 3; | KT. CHỦ TỊCH\n- UBND các huyện;\n",
        RecipientsRule(),
    ).plan.recipients
    assert [r.text for r in recipients] == ["UBND các huyện"]


def test_no_list_gives_no_recipients() -> None:
    assert run_rules("Nơi nhận:\n", RecipientsRule()).plan.recipients == []
    assert run_rules("- Sở Y tế;\n- Sở Tư pháp;\n", RecipientsRule()).plan.recipients == []
