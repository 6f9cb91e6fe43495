"""Identifier checks for organisations."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def luhn_is_valid(digits):
    """The Luhn checksum INSEE uses for SIREN numbers."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siren(value):
    if not (len(value) == 9 and value.isascii() and value.isdigit()):
        raise ValidationError(
            _("Un numéro SIREN comporte exactement 9 chiffres."), code="siren_format"
        )
    if not luhn_is_valid(value):
        raise ValidationError(
            _("Ce numéro SIREN n’est pas valide : vérifiez les chiffres saisis."),
            code="siren_checksum",
        )
