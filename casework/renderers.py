"""The form renderer of the application (`FORM_RENDERER`, issue 16 item 7).

Django's Jinja2 form renderer draws the markup of its Django form templates
(`django/forms/jinja2/`) in about a third of the time; a page of a dozen
forms (the PGA case file) spent a third of its time in those templates. A
template that exists only for Django's template engine — the admin's widget
wrapper — is drawn by that engine, as before.
"""

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(Jinja2):
    """Jinja2 for the forms and widgets Django writes for it; Django's own
    templates for the rest."""

    fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
