"""`{% select_options %}`: every value and label escaped, the chosen one selected (compared as
text), safe strings kept, lazy translations rendered in the active language."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy


def _render(pairs, selected=None) -> str:
    template = Template("{% load select_options %}{% select_options pairs selected %}")
    return template.render(Context({"pairs": pairs, "selected": selected}))


def test_values_and_labels_are_escaped_and_the_chosen_one_selected():
    html = _render([(1, "A & B"), (2, '<script>"x"</script>'), ("3'", "it's")], selected="2")
    assert html == ('<option value="1">A &amp; B</option>'
                    '<option value="2" selected>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</option>'
                    '<option value="3&#x27;">it&#x27;s</option>')


def test_nothing_selected_safe_strings_kept_and_lazy_labels_translated():
    assert _render([]) == ""
    assert _render([(1, mark_safe("<b>ok</b>"))], selected=None) == '<option value="1"><b>ok</b></option>'
    with translation.override("zh-hans"):
        html = _render([(1, gettext_lazy("Students"))], selected=1)
    assert html == '<option value="1" selected>学生</option>'
