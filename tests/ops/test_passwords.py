"""The production password hasher: Argon2id with OWASP's baseline parameters first; older hashes (Django's
PBKDF2 default) still verify and are upgraded at the next sign-in. (The other tests hash with MD5 for speed,
tests/conftest.py; these set the production list back.)"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, identify_hasher, make_password

import binhdang.settings as production
from binhdang.ops.passwords import Argon2idPasswordHasher
from binhdang.places.services import user_create

PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture
def production_hashers(settings: Any) -> None:
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_argon2id_is_first_and_pbkdf2_still_verifies() -> None:
    assert production.PASSWORD_HASHERS[0] == "binhdang.ops.passwords.Argon2idPasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in production.PASSWORD_HASHERS


def test_new_hashes_are_argon2id_with_owasp_parameters(production_hashers: None) -> None:
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$"), encoded
    assert isinstance(identify_hasher(encoded), Argon2idPasswordHasher)
    assert check_password(PASSWORD, encoded) and not check_password(PASSWORD + "x", encoded)


def test_a_sign_in_costs_well_under_a_tenth_of_a_second_of_cpu(production_hashers: None) -> None:
    encoded = make_password(PASSWORD)
    started = time.process_time()
    for _ in range(5):
        assert check_password(PASSWORD, encoded)
    assert (time.process_time() - started) / 5 < 0.1


@pytest.mark.django_db
def test_an_old_pbkdf2_hash_verifies_and_is_upgraded_at_sign_in(production_hashers: None, world: Any) -> None:
    from django.contrib.auth import authenticate

    user = user_create(username="cu", password="tam-thoi-2026-x", agency=world.standing)
    user.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    user.save(update_fields=["password"])
    assert authenticate(username="cu", password=PASSWORD) == user
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$"), user.password
    assert authenticate(username="cu", password=PASSWORD) == user
