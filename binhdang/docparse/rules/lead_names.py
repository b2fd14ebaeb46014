"""Reading agency names as plans write them: a heading that is only a doer ("2.3. Công an tỉnh", "a) Sở Tài
chính:"), the subject of "Sở Y tế chủ trì ...", "Giao X chủ trì, phối hợp với Y", and a table cell of partners.

The leads rule (``leads``) decides which blocks these names are assigned to.
"""

from __future__ import annotations

import re

from binhdang.docparse.rules.common import (
    AGENCY_START,
    PHONG,
    clean_value,
    find_agencies,
    is_group,
    is_member_list,
    split_agency_list,
)
from binhdang.docparse.rules.tasks_agencies import _heading_bodies

__all__ = [
    "LEAD_START",
    "clean_lead",
    "heading_lead",
    "lead_and_partners",
    "partners_in_text",
    "sentence_lead",
    "split_partners",
    "starts_agency",
    "subject_lead",
]

# Words a lead may start with: bodies, their heads, and groups of them.
LEAD_START = re.compile(
    r"^(?:Đề nghị\s+)?(?:(?:Giám đốc|Thủ trưởng|Chủ tịch|Trưởng|Phó Trưởng|Thành viên|Người đứng đầu)\s+)?"
    r"(?:Sở|Ban(?!\s+hành\b)|" + PHONG + r"|Hội(?!\s+(?:nghị|thảo|thi)\b)|Ủy ban|Uỷ ban|UBND|Đài|"
    r"Báo(?!\s+cáo\b)|Công an|"
    r"Trạm|Liên đoàn|Liên hiệp|Hiệp hội|Trung tâm|Văn phòng|Tỉnh đoàn|Thành đoàn|Đoàn|Cục|Chi cục|Bộ Chỉ huy|"
    r"Bộ đội|Mặt trận|Ngân hàng|Bảo hiểm|Viện|Tòa án|Thanh tra|Kho bạc|Chi nhánh|Cảng vụ|Cơ quan|Đơn vị|"
    r"Doanh nghiệp|Trường|Học viện|Bệnh viện|Hội đồng|Tổ(?!\s+chức\b)|Thường trực|Quỹ|Công ty|Tổng công ty|"
    r"Viettel|VNPT|Điện lực|Hải quan|Thuế|Chủ đầu tư|Chủ cơ sở|Ban Chỉ đạo|Ban Quản lý|Nhà mạng|"
    r"(?:Các|(?<=Đề nghị )các)\s+(?:sở|Sở|ban|Ban|ngành|cơ quan|đơn vị|xã|phường|tổ chức|doanh nghiệp|"
    r"chủ đầu tư|cơ sở|hội|Hội|trường|"
    r"địa phương|đoàn thể|thành viên|nhà mạng|ngân hàng|Ngân hàng|UBND|Ủy ban|phòng|Phòng|lực lượng|hợp tác xã|"
    r"Trung tâm|trung tâm|bệnh viện|tổ|Tổ|huyện|đài|báo|cơ quan))\b"
)


# A sentence verb shows the heading is a task, not a name.
_VERB = re.compile(
    r"\b(?:chủ trì|phối hợp|tham mưu|thực hiện|triển khai|hướng dẫn|theo dõi|chỉ đạo|thúc đẩy|"
    r"có trách nhiệm|chịu trách nhiệm|căn cứ|đảm bảo|bảo đảm|tăng cường|rà soát)\b"
)


# A subject at the start of a sentence: "Giao Sở X là cơ quan đầu mối, chủ trì ...", "Sở Y tế chủ trì ...".
_SUBJECT_VERB = re.compile(
    r"\s*,?\s*(?:là cơ quan|làm đầu mối|là đầu mối|chủ trì|có trách nhiệm|chịu trách nhiệm|phối hợp|tham mưu|"
    r"thực hiện|triển khai|tổ chức|chỉ đạo|xây dựng|hướng dẫn|theo dõi|thúc đẩy|rà soát|căn cứ|chủ động|"
    r"tăng cường|phân công|bố trí|đôn đốc|kiểm tra|cập nhật|cung cấp|định kỳ|thường xuyên|khẩn trương)\b"
)


_TAIL_VERB = re.compile(
    r"\s+(?:chủ trì|chỉ đạo|thúc đẩy|phối hợp|tham mưu|thực hiện|có trách nhiệm|chịu trách nhiệm|theo dõi|"
    r"hướng dẫn|là cơ quan)\b.*$"
)


_CHU_TRI = re.compile(r"\s+(?:là cơ quan\s+)?chủ trì\b")


_PARTNERS = re.compile(r"phối hợp(?: chặt chẽ)?(?: với)?\s+", re.IGNORECASE)


def heading_lead(text: str) -> tuple[str, str | None] | None:
    """(lead, inline task text) when a heading is an agency ("Sở Tài chính:", "1. Sở Y tế: chủ trì ...")."""
    t = clean_value(text).strip()
    head, colon, rest = t.partition(":")
    head = head.strip()
    if not LEAD_START.match(head) or len(head) > (160 if not rest.strip() else 110) or head.endswith("."):
        return None
    name = re.sub(r"^Đề nghị\s+", "", head)
    name = re.sub(r"\s+(?:có trách nhiệm|chịu trách nhiệm)\s*$", "", name)
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    # An apposition ("Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo", "..., là cơ quan đầu mối") ends the name.
    name = re.split(r"\s+[-–]\s+(?=[Cc]ơ quan)|,\s*(?:là\s+)?[Cc]ơ quan\b", name)[0].strip()
    if _VERB.search(name):
        return None
    inline = (rest.strip() or None) if colon else None
    if inline is not None and is_member_list(inline):
        # "Ủy ban nhân dân các xã: Gia Thuận, Tân Điền, Gò Công Đông": the group's members belong to its name.
        return f"{name}: {inline.rstrip('.; ')}", None
    if inline is not None and (len(inline) < 25 or re.match(r"^(?:\d|Không quá|Tối đa|Mỗi|Đối với)", inline)):
        # "Ban Chỉ đạo bầu cử của tỉnh: Không quá 05 cá nhân": a quota, not a duty.
        return None
    return name, inline


def clean_lead(lead: str) -> str:
    """A lead without the verb a table cell or a heading runs on with ("Sở Y tế chủ trì", "Sở X thúc đẩy, ...")."""
    return _TAIL_VERB.sub("", lead).strip(" ,;:") or lead


def subject_lead(text: str) -> str | None:
    """The agency a sentence opens with, when a verb follows it ("Giao Sở X là cơ quan đầu mối, chủ trì ...")."""
    m = re.match(r"^(?:Giao\s+|Đề nghị\s+)?", text)
    pos = m.end() if m else 0
    found = find_agencies(text, pos)
    if not found:
        return None
    name, _s, end = found[0]
    if _SUBJECT_VERB.match(text, end):
        return name
    return None


def sentence_lead(text: str) -> tuple[str, int] | None:
    """The agency before "chủ trì" in a sentence ("Giao Công an tỉnh chủ trì, phối hợp ...")."""
    for m in _CHU_TRI.finditer(text):
        window_start = max(0, m.start() - 140)
        best: tuple[str, int] | None = None
        for g in AGENCY_START.finditer(text, window_start, m.start()):
            pos = g.start()
            if pos and not text[pos - 1].isspace():
                continue
            found = find_agencies(text, pos)
            if found and found[0][2] >= m.start() - 2:
                best = (found[0][0], found[0][1])
                break
        if best is not None:
            return best
    return None


def partners_in_text(text: str, lead: str | None) -> list[str]:
    out: list[str] = []
    for m in _PARTNERS.finditer(text):
        probe = text[m.end() :]
        if probe[:1].islower() and re.match(r"(?:các|cơ quan|đơn vị)\b", probe):
            end = re.search(
                r"[,;.]?\s+(?:tham mưu|thực hiện|triển khai|tổ chức|xây dựng|hướng dẫn|rà soát|để|trong)\b", probe
            )
            cut = probe[: end.start()] if end else probe[:80]
            name = clean_value(cut).rstrip(",;. ")
            if name and name not in out:
                out.append(name)
            continue
        for name, _s, _e in find_agencies(text, m.end()):
            if name != lead and name not in out:
                out.append(name)
    return out


def lead_and_partners(name: str) -> tuple[str, list[str]]:
    """A heading naming several bodies ("Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh") is led by the first;
    a group ("Các Sở, ban, ngành", "Ủy ban nhân dân xã, phường") stays whole; an apposition in lower case
    ("Sở ..., thường trực Ban Vì sự tiến bộ phụ nữ tỉnh") is not part of the name (the seed rule's reading)."""
    bodies = _heading_bodies(name)
    if bodies:
        name = bodies[0]
    parts = split_agency_list(name)
    if len(parts) > 1 and not is_group(parts[0]):
        return parts[0], parts[1:]
    head, sep, tail = name.partition(" và các ")
    if sep and head and not is_group(head) and LEAD_START.match(head):
        # "Báo và Phát thanh, Truyền hình tỉnh và các cơ quan báo chí ...": one body leads, the group takes part.
        return head, ["các " + tail]
    return name, []


# Heads of bodies that neither start list covers, and abbreviated names ("BHXH tỉnh", "MTTQ", "VKSND tỉnh").
_MORE_HEADS = re.compile(
    r"^(?:Tỉnh ủy|Tỉnh uỷ|Thành ủy|Thành uỷ|Huyện ủy|Huyện uỷ|Đảng ủy|Đảng uỷ|Bưu điện|Liên minh|Tổng cục|"
    r"Kiểm toán|Hợp tác xã|Bộ\s+(?:Tư lệnh|[A-ZĐ])|[A-ZĐ]{2,}[A-ZĐ&-]*\b|các\s)"
)


def starts_agency(piece: str) -> bool:
    """Whether a piece of a list opens a new body ("Sở Y tế", "Công an tỉnh", "BHXH tỉnh", "các sở, ngành"),
    rather than continuing the name before it: "Thể thao và Du lịch" after "Sở Văn hóa," names no new body."""
    if LEAD_START.match(piece) or _MORE_HEADS.match(piece):
        return True
    # AGENCY_START also holds "Văn hóa" (a district office named by its field, "Văn hóa - Xã hội"), which after
    # a comma is the field of the department before it.
    return AGENCY_START.match(piece) is not None and not piece.startswith(("Văn hóa", "Văn hoá"))


def split_partners(cell: str) -> list[str]:
    """The bodies a table cell names: split at ";" and at a comma where the next piece starts a new body, so a
    name with a comma in it stays whole ("Sở Văn hóa, Thể thao và Du lịch; Sở Y tế")."""
    parts: list[str] = []
    for chunk in re.split(r"\s*;\s*", cell):
        pieces = re.split(r"\s*,\s*", chunk)
        current = pieces[0]
        for piece in pieces[1:]:
            if starts_agency(piece):
                parts.append(current)
                current = piece
            else:
                current = f"{current}, {piece}"
        parts.append(current)
    cleaned = [clean_value(p).strip(" .") for p in parts]
    return [p for p in cleaned if p and p != "-"]
