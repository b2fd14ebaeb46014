"""lead_names: agency names read from headings, sentence subjects, "phối hợp với" lists and table cells."""

from __future__ import annotations

from binhdang.docparse.rules.lead_names import (
    clean_lead,
    heading_lead,
    partners_in_text,
    sentence_lead,
    split_partners,
    subject_lead,
)


def test_headings_that_are_only_a_doer() -> None:
    assert heading_lead("Sở Tài chính:") == ("Sở Tài chính", None)
    assert heading_lead("Đề nghị Liên đoàn Lao động tỉnh") == ("Liên đoàn Lao động tỉnh", None)
    assert heading_lead("Sở Y tế: chủ trì tổ chức khám sức khỏe sinh sản cho phụ nữ.") == (
        "Sở Y tế",
        "chủ trì tổ chức khám sức khỏe sinh sản cho phụ nữ.",
    )
    # An apposition is not part of the name; a group's members are.
    assert heading_lead("Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo:") == ("Sở Tài chính", None)
    assert heading_lead("Ủy ban nhân dân các xã: Gia Thuận, Tân Điền") == (
        "Ủy ban nhân dân các xã: Gia Thuận, Tân Điền",
        None,
    )


def test_subjects_sentence_leads_and_partners() -> None:
    assert clean_lead("Sở Y tế chủ trì") == "Sở Y tế"
    assert subject_lead("Giao Sở Nội vụ là cơ quan đầu mối, chủ trì theo dõi việc thực hiện") == "Sở Nội vụ"
    assert sentence_lead("Giao Công an tỉnh chủ trì, phối hợp với Sở Tư pháp triển khai.") == ("Công an tỉnh", 5)
    assert partners_in_text("chủ trì, phối hợp với Sở Tư pháp, Sở Nội vụ tổ chức tập huấn", "Công an tỉnh") == [
        "Sở Tư pháp",
        "Sở Nội vụ",
    ]
    # A group in lower case runs to the verb after it.
    assert partners_in_text("phối hợp với các cơ quan, đơn vị liên quan thực hiện", None) == [
        "các cơ quan, đơn vị liên quan"
    ]
    assert split_partners("Sở Tư pháp; Sở Nội vụ, các cơ quan liên quan.") == [
        "Sở Tư pháp",
        "Sở Nội vụ",
        "các cơ quan liên quan",
    ]


def test_topics_quotas_verbs_and_garbage_are_not_names() -> None:
    assert heading_lead("Tổ chức hội nghị sơ kết:") is None
    assert heading_lead("Ban Chỉ đạo bầu cử của tỉnh: Không quá 05 cá nhân") is None
    assert heading_lead("Sở Y tế chủ trì triển khai") is None
    assert heading_lead("") is None
    assert subject_lead("1.040,5 triệu đồng") is None
    assert sentence_lead("Không có cơ quan chủ trì.") is None
    assert split_partners("-") == [] and split_partners("") == []


def test_a_comma_inside_an_agency_name_does_not_split_a_cell() -> None:
    assert split_partners("Sở Văn hóa, Thể thao và Du lịch, Công an tỉnh") == [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Công an tỉnh",
    ]
    assert split_partners("Sở Lao động, Thương binh và Xã hội, BHXH tỉnh; Ủy ban MTTQ tỉnh") == [
        "Sở Lao động, Thương binh và Xã hội",
        "BHXH tỉnh",
        "Ủy ban MTTQ tỉnh",
    ]
    # A group stays whole: "đơn vị" and "địa phương" after a comma are kinds of body in the same group.
    assert split_partners("Sở Y tế, các cơ quan, đơn vị, địa phương liên quan") == [
        "Sở Y tế",
        "các cơ quan, đơn vị, địa phương liên quan",
    ]


def test_phong_chong_is_a_verb_phrase_and_phong_with_a_name_is_an_office() -> None:
    assert heading_lead("Phòng, chống mua bán người") is None
    assert heading_lead("Phòng ngừa tội phạm:") is None
    assert heading_lead("Phòng cháy, chữa cháy") is None
    assert heading_lead("Phòng Văn hóa - Xã hội:") == ("Phòng Văn hóa - Xã hội", None)
    assert subject_lead("Phòng Lao động - Thương binh và Xã hội chủ trì tổ chức tập huấn") == (
        "Phòng Lao động - Thương binh và Xã hội"
    )
    assert subject_lead("Phòng, chống bạo lực gia đình chủ trì") is None
