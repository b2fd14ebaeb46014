"""Bình Đẳng: plans, reports and monitoring of gender-equality work in Vietnamese local government."""

__version__ = "0.1.0"
