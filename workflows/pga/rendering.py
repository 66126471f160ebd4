"""Django's form templates written in Python, for the PGA case file.

The case file shows about a dozen forms at once (issue 16 item 7): rendered
through Django's form templates (a template per form, per field, per label,
per widget and per option) they were half of the page's time. This renderer
writes the same markup from the same contexts — `Widget.get_context`,
`BoundField.label_tag`, `Form.get_context` still decide every attribute,
value and choice — with Python string building in place of the template
engine: the form, field, label and widget templates of `django/forms/` that
these forms use. Anything else (an error list with errors, a widget or
option template not written here) goes to Django's templates as before.

`tests/workflows/test_pga_rendering.py` compares the output with Django's
own renderer for every form of the case file, bound and unbound, with and
without errors; a Django upgrade that changes a template shows there.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, mark_safe

# What `{{ value }}` does in a template with autoescape on.
_CONTEXT = SimpleNamespace(autoescape=True, use_l10n=None, use_tz=None)


class _NotWritten(Exception):
    """This template or this case of it is left to Django's templates."""


def _out(value) -> str:
    """`{{ value }}`: localised and escaped unless safe."""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}` (the filter keeps a safe value safe)."""
    try:
        text = "%s" % value  # noqa: UP031 - the filter's own formatting
    except (ValueError, TypeError):
        text = ""
    if isinstance(value, SafeData):
        text = mark_safe(text)
    return _out(text)


def _attrs(attrs) -> str:
    """django/forms/attrs.html and django/forms/widgets/attrs.html."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is not False:
            parts.append(" " + _out(name))
            if value is not True:
                parts.append('="' + _formatted(value) + '"')
    return "".join(parts)


def _input(widget) -> str:
    """django/forms/widgets/input.html."""
    value = widget.get("value")
    shown = ' value="' + _formatted(value) + '"' if value is not None else ""
    return (
        f'<input type="{_out(widget.get("type"))}" name="{_out(widget.get("name"))}"'
        f"{shown}{_attrs(widget.get('attrs'))}>\n"
    )


def _input_widget(context) -> str:
    """hidden.html, text.html, date.html, …: `{% include input.html %}`."""
    return _input(context["widget"]) + "\n"


def _textarea(context) -> str:
    widget = context["widget"]
    value = widget.get("value")
    return (
        f'<textarea name="{_out(widget.get("name"))}"{_attrs(widget.get("attrs"))}>'
        f"\n{_out(value) if value else ''}</textarea>\n"
    )


def _option(option) -> str:
    """`{% include option.template_name with widget=option %}`."""
    template = option.get("template_name")
    if template == "django/forms/widgets/select_option.html":
        return (
            f'<option value="{_formatted(option.get("value"))}"'
            f"{_attrs(option.get('attrs'))}>{_out(option.get('label'))}</option>\n"
        )
    if template in (
        "django/forms/widgets/checkbox_option.html",
        "django/forms/widgets/radio_option.html",
    ):
        return _input_option(option) + "\n"
    raise _NotWritten(template)


def _input_option(option) -> str:
    """django/forms/widgets/input_option.html."""
    wrap = option.get("wrap_label")
    parts = []
    if wrap:
        target = (option.get("attrs") or {}).get("id")
        parts.append(f'<label for="{_out(target)}">' if target else "<label>")
    parts.append(_input(option))
    if wrap:
        parts.append(" " + _out(option.get("label")) + "</label>")
    return "".join(parts) + "\n"


def _select(context) -> str:
    widget = context["widget"]
    parts = [f'<select name="{_out(widget.get("name"))}"{_attrs(widget.get("attrs"))}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple_input(context) -> str:
    """checkbox_select.html and radio.html: `{% include multiple_input.html %}`."""
    widget = context["widget"]
    attrs = widget.get("attrs") or {}
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{_out(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{_out(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_out(group)}</label>")
        for option in options:
            parts.append("<div>\n    " + _option(option) + "</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n\n")
    return "".join(parts)


def _label(context) -> str:
    """django/forms/label.html."""
    label = _out(context["label"])
    if context["use_tag"]:
        tag = _out(context["tag"])
        label = f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"
    return label + "\n"


def _errors(context) -> str:
    """django/forms/errors/list/default.html, when there is no error."""
    if context["errors"]:
        raise _NotWritten("errors")
    return ""


def _field(context) -> str:
    """django/forms/field.html."""
    field = context["field"]
    parts = []
    if field.use_fieldset:
        parts.append("\n  <fieldset")
        describedby = field.aria_describedby
        if describedby:
            parts.append(f' aria-describedby="{_out(describedby)}"')
        parts.append(">\n  ")
        if field.label:
            parts.append(_out(field.legend_tag()))
    else:
        parts.append("\n  ")
        if field.label:
            parts.append(_out(field.label_tag()))
    parts.append("\n\n")
    if field.help_text:
        parts.append('<div class="helptext"')
        if field.auto_id:
            parts.append(f' id="{_out(field.auto_id)}_helptext"')
        parts.append(">" + _out(mark_safe(str(field.help_text))) + "</div>")
    parts.append("\n" + _out(field.errors) + "\n" + _out(field))
    if field.use_fieldset:
        parts.append("</fieldset>")
    parts.append("\n")
    return "".join(parts)


def _div(context) -> str:
    """django/forms/div.html."""
    errors, fields = context["errors"], context["fields"]
    hidden = "".join(_out(field) for field in context["hidden_fields"])
    parts = [_out(errors), "\n"]
    if errors and not fields:
        parts.append(f"\n  <div>{hidden}</div>\n")
    parts.append("\n")
    last = len(fields) - 1
    for index, (field, _errors) in enumerate(fields):
        parts.append("\n  <div")
        classes = field.css_classes()
        if classes:
            parts.append(f' class="{_out(classes)}"')
        parts.append(">\n    " + _out(field.as_field_group()) + "\n    ")
        if index == last:
            parts.append(f"\n      {hidden}\n    ")
        parts.append("\n</div>\n")
    parts.append("\n")
    if not fields and not errors:
        parts.append(f"\n  {hidden}\n")
    parts.append("\n")
    return "".join(parts)


_INPUTS = (
    "checkbox", "color", "date", "datetime", "email", "hidden", "number",
    "password", "search", "tel", "text", "time", "url",
)  # fmt: skip
WRITTEN = {
    "django/forms/div.html": _div,
    "django/forms/field.html": _field,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
    "django/forms/widgets/input.html": lambda context: _input(context["widget"]),
    **{f"django/forms/widgets/{name}.html": _input_widget for name in _INPUTS},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/checkbox_select.html": _multiple_input,
    "django/forms/widgets/radio.html": _multiple_input,
}


class PythonFormRenderer(DjangoTemplates):
    """Django's default renderer, with the templates of `WRITTEN` written in
    Python (the same output, stripped as `BaseRenderer.render` strips)."""

    def render(self, template_name, context, request=None):
        write = WRITTEN.get(template_name)
        if write is not None:
            try:
                return write(context).strip()
            except _NotWritten:
                pass
        return super().render(template_name, context, request=request)


RENDERER = PythonFormRenderer()
