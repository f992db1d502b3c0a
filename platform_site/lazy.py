"""Heavy libraries loaded on first use, not when the URLs are imported.

Every ``manage.py`` call imports the URL modules; numpy and pandas alone cost
seconds there. A module that needs them at call time writes
``pd = lazy_module("pandas")`` and uses ``pd`` as usual."""

from __future__ import annotations

import functools
import importlib

from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string


def lazy_module(name: str):
    return SimpleLazyObject(lambda: importlib.import_module(name))


def lazy_view(dotted_path: str, **initkwargs):
    """A class-based view for the URLconf whose module is imported on its first request:
    `path("x/", lazy_view("pkg.views.XView", a=1))` is `XView.as_view(a=1)`, later."""

    @functools.cache
    def real_view():
        return import_string(dotted_path).as_view(**initkwargs)

    def view(request, *args, **kwargs):
        return real_view()(request, *args, **kwargs)

    view.csrf_exempt = True  # as every DRF view; the wrapped view enforces its own rules
    view.__name__ = view.__qualname__ = dotted_path.rsplit(".", 1)[-1]
    return view
