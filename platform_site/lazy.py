"""Heavy libraries loaded on first use, not when the URLs are imported.

Every ``manage.py`` call imports the URL modules; numpy and pandas alone cost
seconds there. A module that needs them at call time writes
``pd = lazy_module("pandas")`` and uses ``pd`` as usual."""

from __future__ import annotations

import importlib

from django.utils.functional import SimpleLazyObject


def lazy_module(name: str):
    return SimpleLazyObject(lambda: importlib.import_module(name))
