"""How a letter addresses a person: from the maintained form-of-address table where one is
chosen ("Exzellenz"), else from the person's own form — Frau, Herr, or by their full name for
whom neither fits or nothing is known. Never "Sehr geehrte/r"."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..core.enums import LabelledEnum
from ..core.errors import ValidationFailed
from ..core.letters import address_block, check_postal_address, postal_lines


class SalutationForm(LabelledEnum):
    FEMALE = "female", _l("Ms (Frau)")
    MALE = "male", _l("Mr (Herr)")
    #: For whom neither fits: "Guten Tag Kim Meyer".
    NEUTRAL = "neutral", _l("By full name, without Ms or Mr")


#: (line above the name in the address, salutation) per language and form; {surname}, {name}.
_FORMS = {
    "de": {SalutationForm.FEMALE: ("Frau", "Sehr geehrte Frau {surname}"),
           SalutationForm.MALE: ("Herrn", "Sehr geehrter Herr {surname}"),
           SalutationForm.NEUTRAL: ("", "Guten Tag {name}")},
    "en": {SalutationForm.FEMALE: ("Ms", "Dear Ms {surname}"),
           SalutationForm.MALE: ("Mr", "Dear Mr {surname}"),
           SalutationForm.NEUTRAL: ("", "Dear {name}")},
}
#: When nobody is named.
NEUTRAL_SALUTATION = {"de": "Sehr geehrte Damen und Herren", "en": "Dear Sir or Madam"}


def _language(language: str | None) -> str:
    return "de" if language == "de" else "en"


def _surname(name: str) -> str:
    words = (name or "").split()
    return words[-1] if words else ""


def salutation(language: str | None, name: str | None, *, address_form=None, form: str | None = None) -> str:
    """The letter's salutation (without the comma) in `language`."""
    language = _language(language)
    name = (name or "").strip()
    if address_form is not None:
        return address_form.salutation(language, name)
    if not name:
        return NEUTRAL_SALUTATION[language]
    chosen = SalutationForm(form) if form in {f.value for f in SalutationForm} else SalutationForm.NEUTRAL
    return _FORMS[language][chosen][1].format(surname=_surname(name), name=name)


def addressee_lines(language: str | None, name: str, *, address_form=None, form: str | None = None,
                    personal_line: str | None = None) -> list[str]:
    """The addressee as the address field writes it: "Frau" above the name in German, "Ms Ruth
    Goldmann" in English; a form of address from the table ("Ihre Exzellenz") or a personal
    one comes first instead."""
    language = _language(language)
    line = personal_line or (address_form.address(language) if address_form is not None else "")
    if line:
        return [line, name]
    chosen = form if form in {f.value for f in SalutationForm} else None
    title = _FORMS[language][SalutationForm(chosen)][0] if chosen else ""
    if not title:
        return [name]
    return [title, name] if language == "de" else [f"{title} {name}"]


def checked_postal_values(*, salutation_form: str | None, postal_address: str | None,
                          postal_country_code: str | None) -> dict:
    """The postal part of a person as it may be stored, or a clear error naming the field."""
    from ..extensions import db
    from .models import Country

    if salutation_form and salutation_form not in {f.value for f in SalutationForm}:
        raise ValidationFailed(_l("Unknown form of salutation."), field="salutation_form")
    code = (postal_country_code or "").strip().upper() or None
    if code and db.session.get(Country, code) is None:
        raise ValidationFailed(_l("Unknown country."), field="postal_country_code")
    return {"salutation_form": salutation_form or None, "postal_address": check_postal_address(postal_address),
            "postal_country_code": code}


class PostalAddressMixin:
    """A person the office writes to by post: their own form of address and postal address."""

    salutation_form: Mapped[str | None] = mapped_column(sa.String(10))
    #: Street, postcode and town …, one per line; the country is its own field.
    postal_address: Mapped[str | None] = mapped_column(sa.String(300))

    @declared_attr
    def postal_country_code(cls) -> Mapped[str | None]:
        return mapped_column(sa.ForeignKey("countries.code"))

    @declared_attr
    def postal_country(cls):
        return relationship("Country", foreign_keys=[cls.postal_country_code], lazy="joined")

    def address_block(self, language: str | None = None) -> list[str]:
        """The DIN 5008 address field of a letter to this person (empty lines dropped)."""
        language = language or getattr(self, "language", "de")
        addressee = addressee_lines(language, self.name, address_form=self.address_form, form=self.salutation_form,
                                    personal_line=self.form_of_address)
        extra = [line for line in (self.function, self.organisation) if line]
        country = self.postal_country
        return address_block(addressee + extra, postal_lines(self.postal_address),
                             country_code=self.postal_country_code, country_name=country.name if country else None)
