"""Form widgets for the editorial admin that a screen reader, a magnifier or a keyboard can use.

Django's two-box ``filter_horizontal`` selector and its select2 autocomplete carry ARIA that
axe-core reports as serious (labels with ``aria-label`` on a ``span`` with no role, comboboxes
with no accessible name), and the raw-id lookup asks a writer to type a database id. The
article form uses plain HTML controls instead: a group of checkboxes named by a ``legend``
(``CheckboxGroup``) and, for single choices, the native ``<select>`` named by its label.
"""

from django import forms
from django.utils.html import format_html


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """One checkbox per choice, each labelled by its choice, in a ``fieldset`` whose
    ``legend`` is the field's label (``legend``, set by the form), so a screen reader
    announces which list a box belongs to; the list scrolls when it is long."""

    legend = ""

    def render(self, name, value, attrs=None, renderer=None):
        boxes = super().render(name, value, attrs, renderer)
        return format_html(
            '<fieldset class="checkbox-group"><legend class="visually-hidden">{}</legend>'
            "{}</fieldset>",
            self.legend or name,
            boxes,
        )


def name_checkbox_groups(form: forms.BaseForm) -> None:
    """Give each ``CheckboxGroup`` of ``form`` its field's label as the group's legend (the
    admin may have wrapped the widget in its add/change links)."""
    for field in form.fields.values():
        widget = getattr(field.widget, "widget", field.widget)
        if isinstance(widget, CheckboxGroup):
            widget.legend = str(field.label)
