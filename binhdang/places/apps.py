from __future__ import annotations

from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "binhdang.places"
    label = "places"
    verbose_name = "Địa bàn và cơ quan"
