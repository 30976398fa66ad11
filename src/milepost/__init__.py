"""Milepost: learning and development, from push to pull."""

__version__ = "0.1.0"
