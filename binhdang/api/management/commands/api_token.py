"""`binhdang api_token <username>`: print the user's API token, creating it on first use."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from binhdang.api.tokens import token_issue


class Command(BaseCommand):
    help = "Print a user's API token (created if missing); --reset replaces it, revoking the old one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="Revoke the current token and issue a new one.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        if not user.is_active:
            raise CommandError(f"User {options['username']!r} is inactive.")
        self.stdout.write(token_issue(user=user, replace=options["reset"]).key)
