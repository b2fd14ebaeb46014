"""Helpers the rules share: agency-name scanning, cleaning values, section lookup."""

from __future__ import annotations

import re

from binhdang.docparse.normalise import strip_marks

__all__ = [
    "AGENCY_START",
    "PHONG",
    "clean_value",
    "find_agencies",
    "is_group",
    "is_member_list",
    "leading_agency",
    "section_kind",
]

# "Phòng" is an office only with a name after it ("Phòng Văn hóa - Xã hội"): "Phòng, chống mua bán người",
# "Phòng ngừa", "Phòng cháy, chữa cháy" are verb phrases ("prevent and combat"), topics rather than bodies.
PHONG = r"Phòng(?!\s*[,;:.]|\s*$|\s+(?:chống|ngừa|cháy|tránh|thủ|vệ|hộ|dịch|bệnh)\b)"
# Words an agency name starts with (the heads of Vietnamese public bodies and mass organisations).
AGENCY_START = re.compile(
    r"(?:Đề nghị\s+)?(?P<a>(?:Sở|Ban|" + PHONG + r"|Hội|Ủy ban|Uỷ ban|UBND|Đài|Báo|Công an|Trạm|Liên đoàn|Liên minh|"
    r"Trung tâm|"
    r"Văn phòng|Tỉnh đoàn|Huyện đoàn|Đoàn|Cục|Chi cục|Bộ|Mặt trận|Ngân hàng|Bảo hiểm|Viện|Tòa án|Thanh tra|"
    r"Bộ Chỉ huy|Các sở|Các trường|Các phòng|Các tổ chức|Các cơ quan|Các đơn vị|Các thôn|Thường trực|Trường|"
    r"Tạp chí|Văn hóa|Kho bạc|Chi nhánh|Hạt|Đồn|Ban Chỉ huy)\b)"
)
# Lower-case words that can continue an agency name (place words and fixed compounds).
_LOWER_OK = {
    "và",
    "các",
    "huyện",
    "tỉnh",
    "xã",
    "phường",
    "quận",
    "thị",
    "trấn",
    "thành",
    "phố",
    "của",
    "tại",
    "ngành",
    "ban",
    "đoàn",
    "thể",
    "liên",
    "quan",
}
_BIGRAMS = {
    ("phụ", "nữ"),
    ("tổ", "quốc"),
    ("xã", "hội"),
    ("thông", "tin"),
    ("truyền", "hình"),
    ("truyền", "thông"),
    ("đầu", "tư"),
    ("dân", "tộc"),
    ("đào", "tạo"),
    ("du", "lịch"),
    ("thể", "thao"),
    ("lao", "động"),
    ("tài", "chính"),
    ("kế", "hoạch"),
    ("tư", "pháp"),
    ("y", "tế"),
    ("nội", "vụ"),
    ("thống", "kê"),
    ("chính", "sách"),
    ("văn", "hóa"),
    ("công", "tác"),
    ("thanh", "niên"),
    ("nông", "dân"),
    ("cựu", "chiến"),
    ("chiến", "binh"),
    ("thương", "binh"),
    ("nhân", "dân"),
    ("thường", "vụ"),
    ("tiến", "bộ"),
    ("vì", "sự"),
    ("sự", "tiến"),
    ("ủy", "ban"),
    ("uỷ", "ban"),
    ("nhân", "dân"),
    ("ban", "nhân"),
    ("phát", "thanh"),
    ("truyền", "thanh"),
    ("chế", "xuất"),
    ("chính", "trị"),
    ("công", "nghiệp"),
    ("đặc", "khu"),
    ("đơn", "vị"),
    ("địa", "phương"),
    ("cơ", "quan"),
    ("doanh", "nghiệp"),
    ("ngân", "hàng"),
    # "Ban Quản lý các khu công nghệ cao và khu công nghiệp"
    ("khu", "công"),
    ("công", "nghệ"),
    ("nghệ", "cao"),
}
_WORD = re.compile(r"\S+")
_STOP_AFTER = re.compile(r"^(?:tổ|triển|tăng|thực|xây|tiến|tham|chỉ|hướng|rà|khảo|điều|trong|để|về|theo|thu)$")


_WS = re.compile(r"\s+")


def clean_value(s: str) -> str:
    s = strip_marks(s).strip()
    # Values come from the normalised text, where odd spaces are already plain: only runs and breaks remain.
    if "  " in s or "\n" in s or "\t" in s or "\r" in s or "\u00a0" in s:
        s = _WS.sub(" ", s)
    return s


def _trim_tail(name: str) -> str:
    name = name.strip(" ,;:.-–")
    # "Sở ... tỉnh" keeps "tỉnh"; a trailing connective does not belong to the name.
    name = re.sub(r"\s+(?:và|của|tại|các|ban|liên|tới|đến|với)$", "", name)
    return name.strip(" ,;:")


_PLACE_WORDS = {
    "huyện",
    "tỉnh",
    "xã",
    "phường",
    "quận",
    "thị",
    "trấn",
    "thành",
    "phố",
    "các",
    "tại",
    "ngành",
    "liên",
    "quan",
    "đoàn",
    "thể",
    "cấp",
    "ban",
}
_COMMA_GOES_ON = {"thị", "thành", "ban", "ngành", "đoàn", "xã", "phường", "huyện", "đặc"}
# After a comma, the next kind of body in a group ("Các cơ quan, đơn vị, địa phương", "UBND các phường, xã, đặc
# khu") belongs to the group.
_GROUP_GOES_ON = {"đơn", "địa", "cơ", "đặc", "hội", "đoàn", "doanh", "tổ"}
_STOP = re.compile(
    r"^(?:tổ|triển|tăng|thực|xây|tiến|tham|chỉ|hướng|rà|khảo|điều|trong|để|về|theo|thu|tiếp|có|phối|chủ|là|được|"
    r"đã|sẽ|cần|làm|nghiên|đẩy|quản|vận|hỗ|kiểm|giám|bố|lồng|cung|đảm|hành|nhằm|thông|chịu|huy|phụ|và|với|khi|"
    r"xem|trình|phê|giải|báo|gửi|tuyên|chuẩn|căn|phát|ưu|đôn|nâng|mở|"
    # Words of a deadline or a manner that follow an addressee ("báo cáo Sở Nội vụ trước ngày 20", "... đúng
    # thời hạn", "... chậm nhất ngày 15", "... hằng năm"): the name ends before them.
    r"trước|đúng|chậm|hằng|hàng|ngày|sau|từ|kể|định)$"
)
# A date or a bare number after a name ("Sở Nội vụ 20/12", "UBND tỉnh 15 ngày") is not part of it; a number
# after "số" or a unit word is ("Trường Tiểu học số 1", "UBND Phường 3"), and so is a count of units ("Ủy ban
# nhân dân 04 xã").
_DATE_OR_NUMBER = re.compile(r"^\d+(?:[/.\-]\d+)*$")
_NUMBERED = {"số", "phường", "quận", "huyện", "xã", "khu", "ấp", "tổ", "đội", "đoàn", "khóa", "khoá"}


def _scan_name(s: str, pos: int) -> int:
    """Return the end of an agency name (or a list of names) starting at ``pos`` in ``s``."""
    end = pos
    words = list(_WORD.finditer(s, pos, min(len(s), pos + 300)))
    lower_run = 0
    prev_low = ""
    for i, w in enumerate(words):
        tok = w.group(0)
        if tok.startswith(("(", "“", '"')):
            break
        core = tok.strip(',;:.)”"')
        if not core:
            break
        low = core.lower()
        nxt = words[i + 1].group(0).strip(",;:.()“”") if i + 1 < len(words) else ""
        if (
            i
            and _DATE_OR_NUMBER.match(core)
            and prev_low not in _NUMBERED
            and not (core.isdigit() and nxt.lower() in _PLACE_WORDS)
        ):
            break
        if (
            core[0].isupper()
            or core[0].isdigit()
            or core in {"-", "–", "&"}
            or "&" in core
            or (prev_low, low) in _BIGRAMS
            or (low, nxt.lower()) in _BIGRAMS
        ):
            lower_run = 0
        elif (
            low in _PLACE_WORDS
            or (low == "và" and (nxt[:1].isupper() or (nxt.lower(), _word(words, i + 2)) in _BIGRAMS))
            or (low == "có" and nxt == "liên")
        ):
            pass
        elif lower_run == 0 and not _STOP.match(low):
            lower_run += 1
        else:
            break
        prev_low = low
        end = w.start() + len(tok.rstrip(",;:."))
        if tok.endswith((",", ";")) and (
            nxt[:1].isupper()
            or nxt in _COMMA_GOES_ON
            or (nxt in _GROUP_GOES_ON and _in_group(s[pos:end]) and _body_pair(words, i + 1))
        ):
            lower_run = 0
            continue
        if tok.endswith((",", ";", ":", ".")):
            break
    return end


def _word(words: list[re.Match[str]], i: int) -> str:
    return words[i].group(0).strip(",;:.()“”").lower() if i < len(words) else ""


def _in_group(name: str) -> bool:
    return name.startswith(("Các ", "các ")) or " các " in name


def _body_pair(words: list[re.Match[str]], i: int) -> bool:
    """Words ``i`` and ``i + 1`` name a kind of body ("đơn vị", "địa phương", "tổ chức"), not a verb."""
    if i + 1 >= len(words):
        return False
    pair = (words[i].group(0).strip(",;:.").lower(), words[i + 1].group(0).strip(",;:.").lower())
    return pair in _BIGRAMS or pair in {("tổ", "chức"), ("hội", "đoàn"), ("đoàn", "thể")} or pair[0] == "hội"


def split_agency_list(s: str) -> list[str]:
    """Split "A, B và C" into agency names, merging pieces that continue a name."""
    parts = re.split(r"\s*[;,]\s*|\s+và\s+(?=các\s|" + AGENCY_START.pattern.replace("(?P<a>", "(?:") + ")", s)
    out: list[str] = []
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if (AGENCY_START.match(p) and not p.startswith(("Các cơ quan", "Các đơn vị"))) or not out:
            out.append(p)
        elif (
            p[:1].isupper() or p.split()[0] in _COMMA_GOES_ON or (p.split()[0] in _GROUP_GOES_ON and _in_group(out[-1]))
        ):
            out[-1] = out[-1] + ", " + p
        else:
            break
    return [_trim_tail(o) for o in out if o]


def find_agencies(s: str, start: int = 0) -> list[tuple[str, int, int]]:
    """Agencies named in ``s`` at ``start``: a run of names separated by commas/"và", each with its span."""
    m = AGENCY_START.match(s, start)
    if not m:
        return []
    end = _scan_name(s, m.start("a"))
    chunk = s[m.start("a") : end]
    names: list[tuple[str, int, int]] = []
    for name in split_agency_list(chunk):
        if re.match(r"^(?:các|Các)\s+(?:cơ quan|đơn vị|tổ chức|ngành|sở, ban)", name) and names:
            continue
        if name.lower().startswith("các ") and name.endswith("khác"):
            continue
        off = s.find(name, m.start("a"))
        names.append((clean_value(name), off, off + len(name)))
    return names


def leading_agency(s: str) -> list[tuple[str, int, int]]:
    return find_agencies(s, 0)


def section_kind(title: str) -> str:
    t = title.lower()
    if "tổ chức thực hiện" in t:
        return "organisation"
    if "báo cáo" in t:
        return "reporting"
    if "kinh phí" in t:
        return "budget"
    if "mục đích" in t or "mục tiêu" in t or "yêu cầu" in t:
        return "aims"
    if "nội dung" in t or "nhiệm vụ" in t or "giải pháp" in t or "hoạt động" in t:
        return "content"
    if "lộ trình" in t:
        return "roadmap"
    return "other"


# A group of bodies: "các ..." (but a body named after what it manages, "Ban Quản lý các khu công nghiệp", is one
# body), a pair of levels ("xã, phường", "xã/phường"), a whole level ("cấp xã"), or a vague "... liên quan".
_GROUP_LEAD = re.compile(
    r"^(?:các|đề nghị các)\s|\s(?:các)\s|sở, ban, ngành|sở, ngành|xã, phường|phường, xã|xã/phường|phường/xã|"
    r"cấp xã|cấp huyện|đơn vị|địa phương|liên quan|thành viên",
    re.IGNORECASE,
)
_ONE_BODY = re.compile(r"^(?:Ban Quản lý|Ban Chỉ đạo|Ban Điều hành|Hội đồng|Quỹ)\b(?![^,]*,\s*(?:các|Ủy ban|UBND|Sở))")


def is_group(lead: str) -> bool:
    """A group of bodies rather than one agency ("Ủy ban nhân dân các xã, phường", "Các Sở, ban, ngành")."""
    if lead[:1].islower() and not any(w[:1].isupper() for w in lead.split()):
        # Named only by a role, with no proper name ("đối tượng thực hiện kiểm kê"): a kind of body.
        return True
    return _GROUP_LEAD.search(lead) is not None and _ONE_BODY.match(lead) is None


def is_member_list(text: str) -> bool:
    """A list of proper names only ("Gia Thuận, Tân Điền, Gò Công Đông và Tân Phú Đông")."""
    parts = re.split(r",\s*|\s+và\s+", text.rstrip(".; "))
    return len(parts) > 1 and all(0 < len(p.split()) <= 4 and all(w[:1].isupper() for w in p.split()) for p in parts)
