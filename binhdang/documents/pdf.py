"""PDF rendering: the .docx converted by LibreOffice (headless Writer), so the PDF and the editable Word file
are one layout, not two that drift apart.

Fonts: Times New Roman resolves through fontconfig to Liberation Serif from Debian's `fonts-liberation2`,
which has every Vietnamese glyph. The older `fonts-liberation` (1.07) lacks some and would make LibreOffice
mix fonts glyph by glyph, so a private fontconfig file rejects it. Each conversion runs in its own
LibreOffice profile directory (a shared one cannot be used by two conversions at once).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from .docx import render_docx
from .model import OfficialDocument

OLD_LIBERATION = "/usr/share/fonts/truetype/liberation/*"
TIMEOUT_SECONDS = 120

FONTS_CONF = f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>{OLD_LIBERATION}</glob></rejectfont></selectfont>
  <alias binding="same"><family>Times New Roman</family><prefer><family>Liberation Serif</family></prefer></alias>
</fontconfig>
"""


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed or the conversion failed."""


def soffice_path() -> str | None:
    configured = getattr(settings, "BINHDANG_SOFFICE", "")
    return configured or shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes) -> bytes:
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable(
            "LibreOffice is not installed: install the Debian package libreoffice-writer-nogui to make PDFs"
        )
    with tempfile.TemporaryDirectory(prefix="binhdang-pdf-") as tmp:
        work = Path(tmp)
        (work / "fonts.conf").write_text(FONTS_CONF, encoding="utf-8")
        source = work / "document.docx"
        source.write_bytes(data)
        env = {**os.environ, "FONTCONFIG_FILE": str(work / "fonts.conf"), "HOME": str(work)}
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            result = subprocess.run(command, capture_output=True, env=env, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603 (a fixed argument list, no shell)
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable(f"LibreOffice did not finish the conversion in {TIMEOUT_SECONDS} s") from exc
        target = work / "document.pdf"
        if result.returncode != 0 or not target.exists():
            message = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
            raise PdfUnavailable(f"LibreOffice could not convert the document: {message or result.returncode}")
        return target.read_bytes()


def render_pdf(doc: OfficialDocument) -> bytes:
    return docx_to_pdf(render_docx(doc))
