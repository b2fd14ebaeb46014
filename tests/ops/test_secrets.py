"""No secret in the repository: no SECRET_KEY literal besides the development fallback, no private key,
no token, no password besides the documented demo one (docs/security.md)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THIS = Path(__file__).resolve()

# Placeholders in documentation: user:password@ shapes that are obviously not real.
PLACEHOLDER_PASSWORDS = {"secret", "password", "pass", "mat-khau", "PASSWORD", "..."}
# The demo password is printed on screen by `binhdang demo` and documented in the README.
DEMO_PASSWORDS = {"binhdang-demo-2026"}

PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----")
TOKENS = {
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "Django insecure key": re.compile(r"django-insecure-[^\s'\"]{20,}"),
}
# A whole string literal given as a key (an expression such as "prefix-" + name is a derived test key).
SECRET_KEY_LITERAL = re.compile(r"SECRET_KEY\s*[=:]\s*[rbuf]*(['\"])[^'\"\n]{8,}\1\s*(?:[,)#\n]|$)")
URL_CREDENTIALS = re.compile(r"[a-z+]+://[\w.%$-]+:([\w.%~!*-]+)@")
PASSWORD_LITERAL = re.compile(r"(?i)\b[a-z_]*(?:password|passwd|pwd)[a-z_]*\s*[:=]\s*['\"]([^'\"]{4,})['\"]")


def repository_files() -> list[Path]:
    """Tracked files and new files not ignored (read-only git)."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    files = []
    for name in out.split("\0"):
        path = ROOT / name
        if name and path.is_file() and path.resolve() != THIS:
            files.append(path)
    return files


def _text(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def test_the_scan_sees_the_repository() -> None:
    names = {str(p.relative_to(ROOT)) for p in repository_files()}
    assert "binhdang/settings.py" in names
    assert ".env" not in names


def test_no_private_keys_or_tokens() -> None:
    found = []
    for path in repository_files():
        text = _text(path)
        if text is None:
            continue
        if PRIVATE_KEY.search(text):
            found.append(f"{path.relative_to(ROOT)}: private key")
        for label, pattern in TOKENS.items():
            if pattern.search(text):
                found.append(f"{path.relative_to(ROOT)}: {label}")
    assert found == []


def test_no_secret_key_literal() -> None:
    found = []
    for path in repository_files():
        text = _text(path)
        if text is None or path.suffix not in {".py", ".env", ".example", ".cfg", ".ini", ".toml", ".yml", ".yaml"}:
            continue
        for match in SECRET_KEY_LITERAL.finditer(text):
            found.append(f"{path.relative_to(ROOT)}: {text[match.start() : match.start() + 60]!r}")
    assert found == []
    # The development fallback is derived from the checkout, never a fixed key, and refused by check --deploy.
    settings_text = (ROOT / "binhdang" / "settings.py").read_text(encoding="utf-8")
    assert '"insecure-dev-key-" + str(DATA_DIR)' in settings_text


def test_env_example_holds_no_secret() -> None:
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.startswith("BINHDANG_SECRET_KEY="):
            assert line == "BINHDANG_SECRET_KEY="


def test_no_passwords_outside_tests_besides_the_demo_one() -> None:
    found = []
    for path in repository_files():
        relative = path.relative_to(ROOT)
        if relative.parts[0] == "tests":
            continue  # test fixtures sign in test users on throwaway databases
        text = _text(path)
        if text is None:
            continue
        for match in URL_CREDENTIALS.finditer(text):
            if match.group(1) not in PLACEHOLDER_PASSWORDS:
                found.append(f"{relative}: credentials in URL {match.group(0)!r}")
        for match in PASSWORD_LITERAL.finditer(text):
            value = match.group(1)
            # A shell expansion ("$VAR", "$(head -c 12 /dev/urandom ...)") is made at run time, not written down.
            generated = value.startswith("$") or "$(" in value
            if value not in DEMO_PASSWORDS and value not in PLACEHOLDER_PASSWORDS and not generated:
                found.append(f"{relative}: {match.group(0)!r}")
    assert found == []


def test_the_patterns_catch_what_they_should() -> None:
    assert SECRET_KEY_LITERAL.search('SECRET_KEY = "k3y-' + 'abcdefghijklmnop"\n')
    assert not SECRET_KEY_LITERAL.search('SECRET_KEY="loopback-" + name,')
    assert PRIVATE_KEY.search("-----BEGIN " + "RSA PRIVATE KEY-----")
    assert PRIVATE_KEY.search("-----BEGIN " + "OPENSSH PRIVATE KEY-----")
    assert URL_CREDENTIALS.search("postgres://binhdang:" + "hunter22@db/x").group(1) == "hunter22"
    assert not URL_CREDENTIALS.search("postgres://$DB_USER:$DB_PASSWORD@127.0.0.1/x")
    assert PASSWORD_LITERAL.search('DB_PASSWORD = "' + 'hunter22"').group(1) == "hunter22"
    assert TOKENS["AWS access key"].search("AKIA" + "ABCDEFGHIJKLMNOP")
