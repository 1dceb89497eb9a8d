from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "autofocus": True}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        min_length=6,
        help_text=_("The 6-digit code we sent by SMS."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class TotpForm(forms.Form):
    token = forms.CharField(
        label=_("Authenticator code"),
        max_length=8,
        help_text=_("The 6-digit code your authenticator app shows now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class SignUpForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True})
    )
    id_number = forms.CharField(
        label=_("ID number"), max_length=18, help_text=_("Your 18-digit resident identity card number.")
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("The number registered with the bureau; the code is sent there."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class SignUpCompleteForm(CodeForm):
    username = forms.CharField(
        label=_("Choose a user name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Choose a password"),
        help_text=_("At least 10 characters mixing three of: lower case, upper case, digits, symbols."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class EmployerForm(forms.Form):
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        help_text=_("The employer's 18-character code; its registered contact receives a code to confirm."),
        widget=forms.TextInput(attrs={"autofocus": True}),
    )


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True})
    )


# ---- the self-service kiosk (hrss.identity.kiosk) -------------------------------------


class KioskCardForm(forms.Form):
    pin = forms.CharField(
        label=_("Card PIN"),
        max_length=6,
        min_length=6,
        help_text=_("The 6-digit service PIN you set when you activated the card."),
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True}),
    )


class KioskCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Electronic card code"),
        max_length=200,
        help_text=_("Hold the QR code of your electronic card under the scanner."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "spellcheck": "false"}),
    )


class KioskFaceForm(forms.Form):
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        help_text=_("Your 18-digit resident identity card number."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    # Filled by the kiosk camera's capture agent with the reference of the liveness capture
    # it stored with the biometric provider (shown for typing only with the development provider).
    face_reference = forms.CharField(label=_("Face capture"), max_length=300, required=False)


class KioskInsertForm(forms.Form):
    """Development only: put a card in this terminal's recording reader."""

    card_number = forms.CharField(label=_("Card number"), max_length=20)
    chip_serial = forms.CharField(label=_("Chip serial"), max_length=40, required=False)
