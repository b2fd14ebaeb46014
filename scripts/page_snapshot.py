"""Page snapshot: render the demo's pages as each demo user and compare two snapshots (docs/page-snapshot.md).

    python scripts/page_snapshot.py snap OUTDIR [--today YYYY-MM-DD] [--keep-db]
    python scripts/page_snapshot.py compare DIR_A DIR_B

`snap` builds the demo database with the `demo` management command (exactly what `scripts/demo --no-serve`
runs) in a temporary BINHDANG_DATA_DIR, with Django's clock frozen at a fixed moment, then signs in as each
demo user and GETs a set of pages discovered by following links from a few starting pages. Each response is
reduced to its status code and the text of <main> (one line per block, whitespace collapsed, tokens and "now"
stamps blanked) and written to OUTDIR/pages/<user>/<key>.txt, with OUTDIR/index.tsv listing every page.

The clock: the demo history and the dashboards read "today" through django.utils.timezone (timezone.now,
timezone.localdate, timezone.localtime; no module imports `now` by name and none calls date.today()), so the
snapshot process replaces django.utils.timezone.now with a function returning the fixed moment, before Django
is set up. Everything the demo writes and every page's "today" then sees the same instant on every run.

The tool only reads the product's code; it writes nothing outside OUTDIR and its temporary directory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import html
import io
import os
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
FORMAT = "binhdang-page-snapshot/1"
DEFAULT_TODAY = "2026-12-01"
DEMO_PASSWORD = "binhdang-demo-2026"  # noqa: S105 - the demo's published password (README)
USERS = ["admin", "thainguyen", "soyte", "anhoathinh", "xa.demo"]
ANONYMOUS = "anonymous"

# Where each user's crawl starts. Every other page is found by following links from these.
START_PAGES = [
    "/",
    "/ke-hoach/",
    "/bao-cao/",
    "/viec-cua-toi/",
    "/thong-bao/",
    "/theo-doi/",
    "/theo-doi/quoc-gia/",
    "/theo-doi/cach-tinh/",
    "/du-lieu-mo/",
    "/du-lieu-mo/tu-dien/",
]
ANONYMOUS_START_PAGES = ["/", "/dang-nhap/", "/ke-hoach/", "/theo-doi/", "/du-lieu-mo/", "/du-lieu-mo/tu-dien/"]

# The pages followed: (kind, pattern of path and query, the kinds of page that may lead to it, how many, counted
# per user or per page that links to it). A page is fetched only when a link to it appears on a page of one of the
# "from" kinds ("start" is a start page). Links with a query string are followed only where a pattern names one.
# The caps keep a snapshot to a minute or two; they take the first links in page order, which is deterministic.
ID = r"\d+"
PER_USER, PER_PAGE = "user", "page"
RULES: list[tuple[str, str, set[str], int, str]] = [
    ("plan", rf"/ke-hoach/{ID}/", {"start"}, 50, PER_USER),
    ("plan-periods", rf"/ke-hoach/{ID}/ky-bao-cao/", {"plan", "dashboard-plan"}, 50, PER_USER),
    (
        "plan-completeness",
        rf"/ke-hoach/{ID}/tinh-hinh-bao-cao/",
        {"plan", "plan-periods", "dashboard-plan"},
        50,
        PER_USER,
    ),
    ("plan-opendata", rf"/ke-hoach/{ID}/du-lieu-mo/", {"plan"}, 50, PER_USER),
    ("inspections", rf"/ke-hoach/{ID}/kiem-tra/", {"plan"}, 50, PER_USER),
    ("period", rf"/ky-bao-cao/{ID}/", {"plan-periods"}, 200, PER_USER),
    ("period-compiled", rf"/ky-bao-cao/{ID}/tong-hop/", {"period"}, 10, PER_USER),
    ("report", rf"/bao-cao/{ID}/", {"start"}, 3, PER_USER),
    ("agency", rf"/don-vi/{ID}/", {"start", "plan"}, 5, PER_USER),
    ("dashboard-plan", rf"/theo-doi/ke-hoach/{ID}/", {"start", "plan"}, 50, PER_USER),
    ("dashboard-budget", rf"/theo-doi/ke-hoach/{ID}/kinh-phi/", {"dashboard-plan", "plan"}, 50, PER_USER),
    ("dashboard-tasks", rf"/theo-doi/ke-hoach/{ID}/nhiem-vu/", {"dashboard-plan", "plan"}, 50, PER_USER),
    # A plan's own unit as its dashboard links to it, then the first level of its drill-down (the units that page
    # lists, not their children); the national view's first 10 provinces, not their drill-down.
    ("dashboard-unit", rf"/theo-doi/dia-ban/{ID}/\?plan={ID}", {"dashboard-plan"}, 5, PER_PAGE),
    ("dashboard-unit-national", rf"/theo-doi/dia-ban/{ID}/\?plan={ID}(&indicator={ID})?", {"start"}, 10, PER_PAGE),
    ("dashboard-unit-child", rf"/theo-doi/dia-ban/{ID}/\?plan={ID}", {"dashboard-unit"}, 15, PER_PAGE),
    ("opendata-indicator", rf"/du-lieu-mo/chi-tieu/{ID}/", {"start"}, 10, PER_USER),
]
COMPILED = [(kind, re.compile(pattern + r"\Z"), sources, cap, per) for kind, pattern, sources, cap, per in RULES]

# Blanked in the text: the moments a page prints as "now" would differ between runs if the clock moved; with the
# clock frozen they do not, but a token or a random identifier might still appear in text.
SCRUB = [
    (re.compile(r"csrfmiddlewaretoken=\S+"), "csrfmiddlewaretoken=<csrf>"),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<uuid>"),
    (re.compile(r"\b[0-9a-f]{32,}\b"), "<hex>"),
]

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "legend", "li", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot",
    "tr", "ul",
    "svg", "g", "text", "title", "desc",  # a chart's labels, one per line
}  # fmt: skip
CELL_TAGS = {"td", "th"}
SKIP_TAGS = {"script", "style", "template", "noscript"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class MainText(HTMLParser):
    """The text of <main> (one line per block, table cells joined by " | ") and every link on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements inside <main>; 0 = outside
        self.skip = 0
        self.lines: list[str] = []
        self.current: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, link text), in page order
        self.link_stack: list[tuple[str, list[str]]] = []
        self.title: list[str] = []
        self.in_title = False
        self.title_done = False

    def _break(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "title" and not self.title_done:
            self.in_title = True  # the page's own title, not a chart's <svg><title>
        if tag == "a" and attr.get("href"):
            self.link_stack.append((attr["href"], []))
        if tag == "main" and self.depth == 0:
            self.depth = 1
            return
        if self.depth == 0:
            return
        if tag not in VOID_TAGS:
            self.depth += 1
        if tag in SKIP_TAGS:
            self.skip += 1
        if tag in BLOCK_TAGS:
            self._break()
        elif tag in CELL_TAGS:
            self.current.append(" | ")
        if tag == "input" and attr.get("type", "text") not in ("hidden", "submit", "button"):
            # A form's prefilled value is part of what the page shows.
            checked = " checked" if "checked" in attr else ""
            self.current.append(f" [{attr.get('name', '')}={attr.get('value', '')}{checked}] ")
        if tag == "option" and "selected" in attr:
            self.current.append("(selected) ")
        if tag == "img" and attr.get("alt"):
            self.current.append(f" [img: {attr['alt']}] ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <input/>, <br/> open nothing; an SVG <rect/> opens and closes.
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.in_title:
            self.in_title = False
            self.title_done = True
        if tag == "a" and self.link_stack:
            href, text = self.link_stack.pop()
            self.links.append((href, " ".join("".join(text).split())))
        if self.depth == 0:
            return
        if tag in SKIP_TAGS and self.skip:
            self.skip -= 1
        if tag in BLOCK_TAGS:
            self._break()
        self.depth -= 1
        if self.depth == 0:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        for _href, text in self.link_stack:
            text.append(data)
        if self.depth and not self.skip:
            self.current.append(data)


def normalise(status: int, content_type: str, body: bytes) -> tuple[str, list[tuple[str, str]], str]:
    """(the page as compared, its links, its <title>)."""
    if "html" not in content_type:
        return f"status {status}\ncontent-type {content_type}\nbytes {len(body)}\n", [], ""
    parser = MainText()
    parser.feed(body.decode("utf-8", "replace"))
    parser.close()
    parser._break()
    lines = []
    for line in parser.lines:
        line = unicodedata.normalize("NFC", line)
        for pattern, replacement in SCRUB:
            line = pattern.sub(replacement, line)
        lines.append(line)
    title = " ".join("".join(parser.title).split())
    head = [f"status {status}", f"title {title}", ""]
    return "\n".join(head + lines) + "\n", parser.links, title


def follow(url: str, source_kind: str) -> str | None:
    """The kind of page a link on a page of `source_kind` leads to, if the crawl follows it."""
    for kind, pattern, sources, _cap, _per in COMPILED:
        if source_kind in sources and pattern.match(url):
            return kind
    return None


def page_key(path: str) -> str:
    """The file name of a page: its path with "/" as "~" (ids included: the demo database is rebuilt the same)."""
    key = path.strip("/").replace("/", "~").replace("?", "~") or "home"
    return re.sub(r"[^0-9A-Za-z._~-]", "_", key)


# ---------------------------------------------------------------------------------------------------- snapshot


def freeze_clock(today: str) -> dt.datetime:
    """Replace django.utils.timezone.now with a fixed moment (09:00 in Asia/Ho_Chi_Minh on `today`)."""
    from django.utils import timezone

    moment = dt.datetime.fromisoformat(f"{today}T02:00:00").replace(tzinfo=dt.UTC)

    def frozen_now() -> dt.datetime:
        return moment

    timezone.now = frozen_now
    return moment


def build_demo(log: io.StringIO) -> None:
    from django.core.management import call_command

    call_command("demo", no_serve=True, stdout=log, stderr=log)


def crawl(client: Any, user: str, start: list[str], out: Path, index: list[str]) -> int:
    queue: deque[tuple[str, str]] = deque((path, "start") for path in start)
    seen: set[str] = {path for path in start}
    taken: dict[str, int] = {}  # links followed, per kind (and per linking page where the rule says so)
    count = 0
    while queue:
        path, kind = queue.popleft()
        response = client.get(path)
        content_type = response.get("Content-Type", "")
        body = response.content if not getattr(response, "streaming", False) else b"".join(response.streaming_content)
        text, links, title = normalise(response.status_code, content_type, body)
        location = response.get("Location", "") if response.status_code in (301, 302, 303, 307, 308) else ""
        if location:
            text = text.replace("\n\n", f"\nlocation {urlsplit(location).path}\n\n", 1)
        key = page_key(path)
        target = out / "pages" / user / f"{key}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"url {path}\nuser {user}\nkind {kind}\n{text}", encoding="utf-8")
        index.append(f"{user}\t{path}\t{kind}\t{response.status_code}\t{title}")
        count += 1
        if response.status_code != 200:
            continue
        for href, _text in links:
            parts = urlsplit(html.unescape(href))
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # other sites
            target_path = parts.path + (f"?{parts.query}" if parts.query else "")
            if target_path in seen:
                continue
            target_kind = follow(target_path, kind)
            if target_kind is None:
                continue
            _kind, _pattern, _sources, cap, per = next(r for r in COMPILED if r[0] == target_kind)
            counter = f"{target_kind} {path}" if per == PER_PAGE else target_kind
            if taken.get(counter, 0) >= cap:
                continue
            taken[counter] = taken.get(counter, 0) + 1
            seen.add(target_path)
            queue.append((target_path, target_kind))
    return count


def snapshot(outdir: Path, today: str, keep_db: bool) -> int:
    started = time.monotonic()
    data_dir = Path(tempfile.mkdtemp(prefix="binhdang-page-snapshot-"))
    # A database of its own, never the user's: SQLite in the temporary data directory.
    os.environ["BINHDANG_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["BINHDANG_DEBUG"] = "0"
    os.environ["BINHDANG_MANIFEST_STATIC"] = "0"  # pages render {% static %} without a collectstatic run
    os.environ["BINHDANG_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binhdang.settings")
    sys.path.insert(0, str(ROOT))
    moment = freeze_clock(today)  # before django.setup(): nothing may read the real clock first
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # "testserver" allowed, mail kept in memory
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # 404s are recorded in the pages, not printed
    if outdir.exists():
        shutil.rmtree(outdir)
    (outdir / "pages").mkdir(parents=True)
    log = io.StringIO()
    try:
        build_demo(log)
        built = time.monotonic() - started
        index: list[str] = []
        total = 0
        for user in [ANONYMOUS, *USERS]:
            client = Client()
            if user != ANONYMOUS and not client.login(username=user, password=DEMO_PASSWORD):
                raise SystemExit(f"page-snapshot: cannot sign in as {user}")
            total += crawl(client, user, ANONYMOUS_START_PAGES if user == ANONYMOUS else START_PAGES, outdir, index)
    finally:
        if keep_db:
            print(f"page-snapshot: database kept in {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    (outdir / "demo.log").write_text(re.sub(r"\(\d+(\.\d+)?s\)", "(<s>)", log.getvalue()), encoding="utf-8")
    header = f"# {FORMAT} now={moment.isoformat()} pages={total}\n# user\turl\tkind\tstatus\ttitle\n"
    (outdir / "index.tsv").write_text(header + "\n".join(index) + "\n", encoding="utf-8")
    seconds = time.monotonic() - started
    print(f"page-snapshot: {total} pages in {outdir} ({seconds:.0f}s, of which {built:.0f}s building the demo)")
    return 0


# ---------------------------------------------------------------------------------------------------- compare


def _pages(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root / "pages")): p for p in sorted((root / "pages").rglob("*.txt"))}


def compare(a: Path, b: Path) -> int:
    for root in (a, b):
        if not (root / "index.tsv").exists():
            print(f"page-snapshot: {root} is not a snapshot (no index.tsv)", file=sys.stderr)
            return 2
    first_a = (a / "index.tsv").read_text(encoding="utf-8").splitlines()[0]
    first_b = (b / "index.tsv").read_text(encoding="utf-8").splitlines()[0]
    now_a, now_b = re.search(r"now=(\S+)", first_a), re.search(r"now=(\S+)", first_b)
    if now_a and now_b and now_a.group(1) != now_b.group(1):
        print(f"page-snapshot: warning: taken on different days ({now_a.group(1)} / {now_b.group(1)})")
    pages_a, pages_b = _pages(a), _pages(b)
    differ = 0
    for name in sorted(set(pages_a) | set(pages_b)):
        old = pages_a[name].read_text(encoding="utf-8").splitlines(keepends=True) if name in pages_a else []
        new = pages_b[name].read_text(encoding="utf-8").splitlines(keepends=True) if name in pages_b else []
        if old == new:
            continue
        differ += 1
        label_a = f"{a.name}/{name}" if name in pages_a else "/dev/null"
        label_b = f"{b.name}/{name}" if name in pages_b else "/dev/null"
        sys.stdout.writelines(difflib.unified_diff(old, new, label_a, label_b, n=2))
        print()
    only_a = len(set(pages_a) - set(pages_b))
    only_b = len(set(pages_b) - set(pages_a))
    extra = f" ({only_a} only in {a}, {only_b} only in {b})" if only_a or only_b else ""
    print(f"{len(set(pages_a) | set(pages_b))} pages, {differ} differ{extra}")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="page-snapshot", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snap", help="write a snapshot of the demo's pages into OUTDIR (replaced)")
    snap.add_argument("outdir", type=Path)
    snap.add_argument("--today", default=DEFAULT_TODAY, help=f"the frozen day (default {DEFAULT_TODAY})")
    snap.add_argument("--keep-db", action="store_true", help="keep the temporary demo database for inspection")
    cmp = sub.add_parser("compare", help="diff two snapshots; exit 1 if any page differs")
    cmp.add_argument("a", type=Path)
    cmp.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    if args.command == "snap":
        dt.date.fromisoformat(args.today)
        return snapshot(args.outdir.resolve(), args.today, args.keep_db)
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
