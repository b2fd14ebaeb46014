"""Write every model's rows (ordered by primary key) as JSON: `python dump_tables.py OUT` with DATABASE_URL set."""

from __future__ import annotations

import base64
import json
import os
import sys
from typing import Any


def plain(value: Any) -> Any:
    if isinstance(value, (bytes, memoryview)):
        return "b64:" + base64.b64encode(bytes(value)).decode()
    return value


def main(out: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binhdang.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.core.serializers.json import DjangoJSONEncoder

    tables: dict[str, Any] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        rows = model._default_manager.order_by("pk").values_list(*names)
        tables[model._meta.db_table] = {"columns": names, "rows": [[plain(v) for v in row] for row in rows]}
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(tables, handle, cls=DjangoJSONEncoder, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
