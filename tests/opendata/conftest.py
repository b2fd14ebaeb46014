from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from opendata.worlds import build


@pytest.fixture
def data(world: Any) -> SimpleNamespace:
    return build(world)
