"""The password hasher: Argon2id at OWASP's recommended parameters (docs/security.md, "Passwords").

Django's default, PBKDF2-SHA256 at 1,000,000 iterations, costs about 0.4 s of CPU per sign-in on a 2-CPU
server: fifty officials signing in on a deadline morning kept both CPUs busy for ten seconds before any page
was served. Argon2id is Django's recommended hasher and memory-hard (a GPU or ASIC gains far less on it than on
PBKDF2); OWASP's Password Storage Cheat Sheet gives m=19 MiB, t=2, p=1 as its baseline configuration, which
costs about 30-50 ms here. Django's Argon2 defaults (m=100 MiB, t=2, p=8) cost about 0.27 s, barely less
than PBKDF2. Hashes made with other parameters or by PBKDF2 still verify and are re-hashed with these at the
next sign-in (settings.PASSWORD_HASHERS keeps the older hashers after this one).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (algorithm "argon2", variant Argon2id) with OWASP's baseline parameters."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
