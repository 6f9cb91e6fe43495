"""The programme dashboard's filters (GET)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import DsfrForm
from ecoquartier.followup.models import FollowUp


class DashboardFilterForm(DsfrForm):
    programme = forms.TypedChoiceField(
        label=_("Programme"), coerce=int, empty_value=None, required=False
    )
    region = forms.TypedChoiceField(label=_("Région"), coerce=int, empty_value=None, required=False)
    state = forms.ChoiceField(
        label=_("État"), choices=[("", _("Tous")), *FollowUp.State.choices], required=False
    )

    def __init__(self, *args, programmes, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", _("Tous")), *programmes]
        self.fields["region"].choices = [("", _("Toutes")), *regions]

    def filters(self):
        """The cleaned filters, or none when the form is invalid (a stale link)."""
        return self.cleaned_data if self.is_valid() else {}
