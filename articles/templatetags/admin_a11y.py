"""Template helpers that make the admin's messages and form errors reach screen readers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import template
from django.contrib.messages import constants
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def live_region_role(messages: Iterable) -> str:
    """``alert`` (read at once) when one of the messages is an error, else ``status``."""
    return "alert" if any(message.level >= constants.ERROR for message in messages) else "status"


@dataclass(frozen=True)
class ErrorItem:
    """One line of a form's error summary: the field's label and id (to link to), or neither
    for an error about the whole form."""

    message: str
    label: str = ""
    field_id: str = ""


def _form_items(form, prefix: str = "") -> list[ErrorItem]:
    items = []
    for name, messages in form.errors.items():
        field = form.fields.get(name)
        visible = field is not None and not field.widget.is_hidden
        for message in messages:
            if visible:
                label = f"{prefix}{field.label or name}"
                items.append(ErrorItem(message, label, form[name].auto_id or ""))
            else:
                items.append(ErrorItem(f"{prefix}{message}" if prefix else message))
    return items


@register.simple_tag
def error_summary(adminform, inline_admin_formsets) -> list[ErrorItem]:
    """Every error of an admin change form, the main form's first, then each inline's."""
    items = _form_items(adminform.form) if adminform else []
    for inline in inline_admin_formsets or []:
        formset = inline.formset
        name = str(inline.opts.verbose_name).capitalize()
        items += [ErrorItem(message) for message in formset.non_form_errors()]
        for number, form in enumerate(formset.forms, start=1):
            items += _form_items(form, prefix=f"{name} {number}: ")
    return items


def _refused(context, action: str, name: str) -> list[str]:
    """The errors of input ``name`` of the workflow form of ``action`` just refused, if any."""
    refused = context.get("refused_action")
    if not refused or refused["action"] != action:
        return []
    return list(refused["errors"].get(name, []))


@register.simple_tag(takes_context=True)
def refused_attrs(context, action: str, name: str, field_id: str) -> str:
    """``aria-invalid`` and ``aria-describedby`` (naming the error list) on an input of a
    refused workflow form."""
    if not _refused(context, action, name):
        return ""
    return format_html(' aria-invalid="true" aria-describedby="{}-error"', field_id)


@register.simple_tag(takes_context=True)
def refused_value(context, action: str, name: str) -> str:
    """What the person typed into an input of a refused workflow form, to type no more."""
    refused = context.get("refused_action")
    if not refused or refused["action"] != action:
        return ""
    return refused["values"].get(name, "")


@register.simple_tag(takes_context=True)
def refused_errors(context, action: str, name: str, field_id: str) -> str:
    """The error list of an input of a refused workflow form, with the id its input names."""
    errors = _refused(context, action, name)
    if not errors:
        return ""
    return format_html(
        '<ul class="errorlist" id="{}-error">{}</ul>',
        field_id,
        format_html_join("", "<li>{}</li>", ((error,) for error in errors)),
    )
