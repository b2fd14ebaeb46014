"""The reader's scorer (binhdang.docparse.scoring.*) on hand-made golden files and hand-made reader outputs.

These test the matching rules of docs/reader-scoring.md, not the reader's quality: the reader is replaced by a
function returning a fixed plan dict, except in the command test, which only checks the table's shape and the
golden counts (which do not depend on the reader).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from binhdang.docparse.scoring.golden import (
    GOLDEN_FORMAT,
    GoldenError,
    Items,
    find_source,
    golden_from_plan,
    items_from_reader,
    load_golden,
    quote_problems,
    quote_text,
)
from binhdang.docparse.scoring.match import score_document, score_folders
from binhdang.docparse.scoring.report import render_table, render_verbose

CORPUS_GOLDEN = Path(__file__).resolve().parents[1] / "corpus"
SEED_GOLDEN = Path(__file__).resolve().parents[1] / "golden"

SOURCE = """ỦY BAN NHÂN DÂN TỈNH CÀ MAU
Số: 0130/KH-UBND
*Cà Mau, ngày 18
tháng 11 năm 2025*
KẾ HOẠCH thử nghiệm
Căn cứ Nghị quyết số 28/NQ-CP; Quyết định số 142/QĐ-TTg.
Các chỉ tiêu đến năm 2030:
- Tối thiểu **100% cơ sở dữ liệu** chuyên ngành được kết nối.
- Tăng trưởng 10 - 13%/năm.
Sở Y tế chủ trì, phối hợp với Công an tỉnh xây dựng kho dữ liệu dùng chung.
Ủy ban nhân dân các xã, phường tổ chức tuyên truyền tại cơ sở.
Báo cáo trước ngày 15/12 hằng năm và trước ngày 16 tháng 12 năm 2025.
"""


def _golden(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": GOLDEN_FORMAT,
        "source": "doc.txt",
        "verdict": "plan",
        "not_plan": None,
        "document": {
            "kind": "KH",
            "code": "0130/KH-UBND",
            "date": "2025-11-18",
            "place": "Cà Mau",
            "issuer": "Ủy ban nhân dân tỉnh Cà Mau",
            "level": "province",
        },
        "plan": None,
        "references": ["28/NQ-CP", "142/QĐ-TTg"],
        "targets": [
            {
                "quote": "100% cơ sở dữ liệu chuyên ngành được kết nối",
                "value": 100,
                "unit": "%",
                "year": 2030,
                "comparator": ">=",
            },
            {"quote": "Tăng trưởng 10 - 13%/năm", "value": [10, 13], "unit": "%", "year": 2030, "comparator": "="},
        ],
        "task_leads": [
            {
                "quote": "Sở Y tế chủ trì, phối hợp với Công an tỉnh xây dựng",
                "lead": "Sở Y tế",
                "partners": ["Công an tỉnh"],
                "group": False,
            },
            {
                "quote": "Ủy ban nhân dân các xã, phường tổ chức tuyên truyền",
                "lead": "Ủy ban nhân dân các xã, phường",
                "partners": [],
                "group": True,
            },
        ],
        "deadlines": [
            {"quote": "trước ngày 15/12 hằng năm", "kind": "annual", "due": "--12-15"},
            {"quote": "trước ngày 16 tháng 12 năm 2025", "kind": "once", "due": "2025-12-16"},
        ],
        "notes": "",
    }
    data.update(over)
    return data


def _read_plan(**over: Any) -> dict[str, Any]:
    """A reader output (plan/1 plus the names of docs/reader-scoring.md) that reads SOURCE perfectly."""
    plan: dict[str, Any] = {
        "schema": "binhdang.plan/1",
        "document": {
            "kind": "KH",
            "code": "0130/KH-UBND",
            "date": "2025-11-18",
            "place": "Cà Mau",
            "issuer": "UBND tỉnh Cà Mau",
            "level": "province",
            "verdict": "plan",
        },
        "references": [{"code": "28/NQ-CP"}, {"code": "142/QĐ-TTg"}],
        "indicators": [
            {
                "text": "Tối thiểu 100% cơ sở dữ liệu chuyên ngành được kết nối.",
                "unit": "%",
                "targets": [{"year": 2030, "value": 100, "comparator": ">="}],
            },
            {
                "text": "Tăng trưởng 10 - 13%/năm.",
                "unit": "%",
                "targets": [{"year": 2030, "value": [10, 13], "comparator": "="}],
            },
        ],
        "tasks": [
            {
                "text": "Sở Y tế chủ trì, phối hợp với Công an tỉnh xây dựng kho dữ liệu dùng chung.",
                "lead": "Sở Y tế",
                "partners": ["Công an tỉnh"],
            },
            {
                "text": "Ủy ban nhân dân các xã, phường tổ chức tuyên truyền tại cơ sở.",
                "lead": "UBND các xã, phường",
                "partners": [],
                "lead_group": True,
            },
        ],
        "reporting": [{"kind": "annual", "due": "--12-15"}, {"kind": "once", "due": "2025-12-16"}],
    }
    plan.update(over)
    return plan


def _score(golden: dict[str, Any], plan: dict[str, Any] | None, **kw: Any) -> Any:
    items = load_items(golden)
    return score_document("doc", items, items_from_reader(plan, **kw))


def load_items(golden: dict[str, Any], tmp: Path | None = None) -> Items:
    path = (tmp or Path("/nonexistent")) / "doc.golden.json"
    if tmp is None:
        from binhdang.docparse.scoring import golden as golden_module

        return golden_module._reader_golden(golden, path).items
    path.write_text(json.dumps(golden, ensure_ascii=False), encoding="utf-8")
    return load_golden(path).items


def _pr(doc: Any, name: str) -> tuple[int, int, int, int]:
    c = doc.counts[name]
    return c.golden, c.read, c.right_golden, c.right_read


def test_a_perfect_reading_scores_every_field_in_full() -> None:
    doc = _score(_golden(), _read_plan())
    for name in ("identity", "references", "targets", "task leads", "task partners", "deadlines"):
        c = doc.counts[name]
        assert c.golden > 0 and c.precision == 1.0 and c.recall == 1.0, (name, doc.missed, doc.wrong)
    assert doc.missed == [] and doc.wrong == []
    assert _pr(doc, "plans read") == (1, 1, 1, 1)


def test_identity_folds_case_spaces_and_abbreviations_but_not_leading_zeros() -> None:
    plan = _read_plan()
    plan["document"] = {
        **plan["document"],
        "code": "0130 / kh-ubnd",
        "place": "cà  Mau",
        "issuer": "Uỷ ban nhân dân Tỉnh Cà Mau",
    }
    assert _pr(_score(_golden(), plan), "identity") == (7, 7, 7, 7)
    plan["document"] = {**plan["document"], "code": "130/KH-UBND", "date": "2025-11-17"}
    doc = _score(_golden(), plan)
    assert _pr(doc, "identity") == (7, 7, 5, 5)
    assert any("identity code" in w for w in doc.wrong) and any("identity date" in w for w in doc.wrong)


def test_references_are_sets_compared_without_spaces_and_case() -> None:
    plan = _read_plan(references=[{"code": "28/nq-cp"}, {"code": "28/NQ-CP"}, {"code": "99/QĐ-UBND"}, {"code": None}])
    doc = _score(_golden(), plan)
    assert _pr(doc, "references") == (2, 2, 1, 1)
    assert "reference 142/QĐ-TTg" in doc.missed
    assert any("99/QĐ-UBND" in w for w in doc.wrong)


def test_target_needs_value_year_and_most_quote_words() -> None:
    plan = _read_plan()
    plan["indicators"] = [
        # year wrong: no match
        {"text": "Tối thiểu 100% cơ sở dữ liệu chuyên ngành được kết nối.", "targets": [{"year": 2025, "value": 100}]},
        # a range read as a single number: no match
        {"text": "Tăng trưởng 10 - 13%/năm.", "targets": [{"year": 2030, "value": 13}]},
    ]
    doc = _score(_golden(), plan)
    assert _pr(doc, "targets") == (2, 2, 0, 0)
    # accents and case dropped, one word missing out of ten still matches; ranges as {"low", "high"} too
    plan["indicators"] = [
        {"text": "100% CO SO DU LIEU chuyen nganh duoc ket", "targets": [{"year": 2030, "value": 100.0}]},
        {"text": "tăng trưởng", "targets": [{"year": 2030, "value": {"low": 10, "high": 13}, "text": "10 - 13%/năm"}]},
    ]
    assert _pr(_score(_golden(), plan), "targets") == (2, 2, 2, 2)
    # the same words on another indicator's text do not count: the quote must be mostly there
    plan["indicators"] = [{"text": "cơ sở hạ tầng", "targets": [{"year": 2030, "value": 100}]}]
    assert _pr(_score(_golden(), plan), "targets") == (2, 1, 0, 0)


def test_a_target_matches_one_read_target_only() -> None:
    plan = _read_plan()
    dup = {"text": "Tối thiểu 100% cơ sở dữ liệu chuyên ngành được kết nối.", "targets": [{"year": 2030, "value": 100}]}
    plan["indicators"] = [*plan["indicators"], dup]
    doc = _score(_golden(), plan)
    assert _pr(doc, "targets") == (2, 3, 2, 2)
    assert doc.counts["targets"].precision == pytest.approx(2 / 3)


def test_task_lead_matching_and_groups() -> None:
    plan = _read_plan()
    # the group's lead named rightly but not kept as a group: wrong; a partner missed: partners only
    plan["tasks"] = [
        {"text": "Sở Y tế chủ trì, phối hợp với Công an tỉnh xây dựng kho.", "lead": "Sở Y tế", "partners": []},
        {"text": "Ủy ban nhân dân các xã, phường tổ chức tuyên truyền.", "lead": "UBND các xã, phường"},
        {"text": "Một việc khác.", "lead": "Sở Tài chính"},
        {"text": "Việc không có cơ quan chủ trì.", "lead": None},
    ]
    doc = _score(_golden(), plan)
    assert _pr(doc, "task leads") == (2, 3, 1, 1)
    assert _pr(doc, "task partners") == (1, 0, 0, 0)
    assert any("not kept as a group" in w for w in doc.wrong)
    assert any("Sở Tài chính (no golden match)" in w for w in doc.wrong)


def test_task_quote_must_be_contained_and_right_pairs_win() -> None:
    plan = _read_plan()
    # Both read tasks contain the first quote; the wrong one is listed first and shorter, the right one must
    # still be chosen. The second golden task's quote is nowhere: missed.
    plan["tasks"] = [
        {"text": "Sở Y tế chủ trì, phối hợp với Công an tỉnh xây dựng", "lead": "Sở Tài chính"},
        {
            "text": "Sở Y tế chủ trì, phối hợp với Công an tỉnh xây dựng kho dữ liệu.",
            "lead": "Sở Y tế",
            "partners": ["Công an tỉnh"],
        },
    ]
    doc = _score(_golden(), plan)
    assert _pr(doc, "task leads") == (2, 2, 1, 1)
    assert any("Ủy ban nhân dân các xã, phường" in m for m in doc.missed)


def test_deadlines_compare_kind_and_due() -> None:
    plan = _read_plan(reporting=[{"kind": "annual", "due": "--12-15"}, {"kind": "annual", "due": "2025-12-16"}])
    doc = _score(_golden(), plan)
    assert _pr(doc, "deadlines") == (2, 2, 1, 1)
    assert "deadline once 2025-12-16" in doc.missed


def test_refusal_misses_everything_and_is_a_wrong_verdict() -> None:
    # today's reader names no verdict: is_plan=False is a refusal
    unnamed = _read_plan()
    del unnamed["document"]["verdict"]
    for doc in (_score(_golden(), None, error="EmptyDocument: empty"), _score(_golden(), unnamed, is_plan=False)):
        assert doc.read_verdict == "refused"
        assert _pr(doc, "identity") == (7, 7, 0, 0)
        assert _pr(doc, "plans read") == (1, 0, 0, 0)
        for name in ("references", "targets", "task leads", "deadlines"):
            assert doc.counts[name].right_golden == 0 and doc.counts[name].golden > 0


def test_not_plan_must_be_named_and_its_lists_are_not_scored() -> None:
    golden = _golden(
        verdict="not-plan",
        not_plan="Quyết định công bố thủ tục hành chính",
        references=[],
        targets=[],
        task_leads=[],
        deadlines=[],
    )
    golden["document"] = {**golden["document"], "kind": "QĐ", "code": "12/QĐ-UBND"}
    read_as_plan = _read_plan()
    read_as_plan["document"] = {**read_as_plan["document"], "kind": "QĐ", "code": "12/QĐ-UBND"}
    doc = _score(golden, read_as_plan)
    assert _pr(doc, "not-plans") == (1, 0, 0, 0)
    assert _pr(doc, "references") == (0, 0, 0, 0) and _pr(doc, "task leads") == (0, 0, 0, 0)
    assert _pr(doc, "identity") == (7, 7, 6, 6)  # all but the verdict
    named = _read_plan()
    named["document"] = {**read_as_plan["document"], "verdict": "not-plan", "not_plan": "công bố thủ tục"}
    doc = _score(golden, named)
    assert _pr(doc, "not-plans") == (1, 1, 1, 1)
    assert _pr(doc, "identity") == (7, 7, 7, 7)
    # a plan named a not-plan: its lists are all missed though the reader printed them
    doc = _score(_golden(), named)
    assert _pr(doc, "not-plans") == (0, 1, 0, 0) and _pr(doc, "plans read") == (1, 0, 0, 0)
    assert doc.counts["references"].read == 0 and doc.counts["references"].golden == 2


def test_decision_issuing_plan_scores_the_plan_title_and_code() -> None:
    golden = _golden(verdict="decision-issuing-plan", plan={"title": "Kế hoạch Thử nghiệm năm 2026", "code": None})
    plan = _read_plan(
        plan_document={"title": "KẾ HOẠCH THỬ NGHIỆM NĂM 2026", "code": None, "references": [{"code": "142/QĐ-TTg"}]}
    )
    plan["document"] = {**plan["document"], "verdict": "decision-issuing-plan"}
    plan["references"] = [{"code": "28/NQ-CP"}]
    doc = _score(golden, plan)
    assert _pr(doc, "identity") == (9, 9, 9, 9)
    assert _pr(doc, "references") == (2, 2, 2, 2)  # the plan's own references count too
    plan["document"] = {**plan["document"], "verdict": "plan"}
    plan.pop("plan_document")
    doc = _score(golden, plan)
    assert _pr(doc, "identity") == (9, 9, 7, 7)  # verdict and plan title wrong; the null code agrees


def test_seed_plan_files_give_comparable_items() -> None:
    expected = json.loads((SEED_GOLDEN / "000_a5392e136c8837e1.expected.json").read_text(encoding="utf-8"))
    items = golden_from_plan(expected)
    assert items.verdict == "plan"
    assert items.document["code"] == expected["document"]["code"]
    assert len(items.tasks) == sum(1 for t in expected["tasks"] if t["lead"])
    assert all(len(t.quote.split()) <= 12 for t in items.tasks)
    assert len(items.targets) == sum(len(i["targets"]) for i in expected["indicators"])
    # the seed read back as its own golden file scores 1.0 everywhere it has items
    doc = score_document("seed", items, items_from_reader(expected))
    assert doc.missed == [] and doc.wrong == []


def test_folders_and_malformed_golden_files(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "doc.golden.json").write_text(json.dumps(_golden(), ensure_ascii=False), encoding="utf-8")
    score = score_folders([tmp_path], reader=lambda p: items_from_reader(_read_plan()))
    assert len(score.documents) == 1 and score.totals["task leads"].recall == 1.0
    table = render_table(score)
    assert table.splitlines()[1].split() == ["field", "precision", "recall", "golden", "read"]
    assert "task leads" in table and "1 documents" in table
    score = score_folders([tmp_path], reader=lambda p: items_from_reader(None, error="boom"))
    assert "boom" in render_verbose(score) and "missed: reference 28/NQ-CP" in render_verbose(score)
    (tmp_path / "bad.golden.json").write_text(json.dumps(_golden(verdict="maybe")), encoding="utf-8")
    with pytest.raises(GoldenError, match=r"bad\.golden\.json: verdict"):
        score_folders([tmp_path], reader=lambda p: items_from_reader(_read_plan()))
    (tmp_path / "bad.golden.json").write_text(json.dumps(_golden(source="missing.txt")), encoding="utf-8")
    with pytest.raises(GoldenError, match=r"missing\.txt not found"):
        score_folders([tmp_path])
    (tmp_path / "empty").mkdir()
    with pytest.raises(GoldenError, match=r"no \*\.golden\.json"):
        score_folders([tmp_path / "empty"])
    with pytest.raises(GoldenError, match="not a folder"):
        score_folders([tmp_path / "doc.txt"])


def test_quotes_are_checked_against_the_normalised_text(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(SOURCE, encoding="utf-8")
    assert "*Cà Mau" not in quote_text(SOURCE) and "Cà Mau, ngày 18 tháng 11 năm 2025" in quote_text(SOURCE)
    (tmp_path / "doc.golden.json").write_text(json.dumps(_golden(), ensure_ascii=False), encoding="utf-8")
    assert quote_problems(tmp_path / "doc.golden.json") == []
    bad = _golden()
    bad["task_leads"][0]["quote"] = "Sở Y tế chủ trì phối hợp"  # comma dropped: not verbatim
    (tmp_path / "doc.golden.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    assert len(quote_problems(tmp_path / "doc.golden.json")) == 1


@pytest.mark.parametrize("path", sorted(CORPUS_GOLDEN.glob("*.golden.json")), ids=lambda p: p.name)
def test_corpus_golden_files_are_well_formed_and_quote_their_source(path: Path) -> None:
    golden = load_golden(path)
    assert golden.source is not None, f"{golden.source_name} not found beside tests/corpus or in ../shared/corpus"
    assert quote_problems(path) == []
    if golden.items.verdict == "not-plan":
        assert golden.items.not_plan and not golden.items.targets and not golden.items.tasks


def test_sources_are_found_in_shared_corpus_beside_the_repository() -> None:
    names = [json.loads(p.read_text(encoding="utf-8"))["source"] for p in CORPUS_GOLDEN.glob("*.golden.json")]
    for name in names:
        found = find_source(name, CORPUS_GOLDEN)
        assert found is not None and found.parent.name == "corpus" and found.parent.parent.name == "shared"


def test_command_prints_the_table_with_golden_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "doc.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "doc.golden.json").write_text(json.dumps(_golden(), ensure_ascii=False), encoding="utf-8")
    call_command("parse", "--score", str(tmp_path))
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[2:]}
    assert rows["references"][-2] == "2" and rows["deadlines"][-2] == "2" and rows["targets"][-2] == "2"
    call_command("parse", "--score", str(tmp_path), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["fields"]["task leads"]["golden"] == 2 and data["documents"][0]["name"] == "doc"
    with pytest.raises(CommandError, match="not a folder"):
        call_command("parse", "--score", str(tmp_path / "nowhere"))
