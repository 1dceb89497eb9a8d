"""Writes of the identity platform (A6, X1): real-name sign-up, employer agents, staff,
second factors, sessions and authorised applications."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from hrss.codes.identifiers import parse_credit_code, parse_id_number
from hrss.core import scope as roles
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.logging import mask_phone
from hrss.core.scope import Scope
from hrss.identity import rules
from hrss.identity.models import AccountSession, OneTimeCode, Role, User
from hrss.identity.onetime import code_issue, code_verify, phone_index
from hrss.notify.services import phone_normalise
from hrss.registry import selectors as registry

# The registry is read on the applicant's behalf; the read is audited under this name.
SIGN_UP_SCOPE = Scope.system("identity.sign-up")
EMPLOYER_AGENT_SCOPE = Scope.system("identity.employer-agent")


class IdentityMismatch(InvalidInput):
    code = "identity_mismatch"
    default_message = _(
        "These details do not match the basic information database. Check your name and ID number; "
        "if your mobile number has changed, update it at any service counter."
    )


def _password_check(password: str, user: User) -> None:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise InvalidInput(
            _("Choose a stronger password."), code="weak_password", fields={"password": " ".join(exc.messages)}
        ) from exc


def _username_check(username: str) -> str:
    username = (username or "").strip()
    field = User._meta.get_field("username")
    try:
        field.run_validators(username)
    except DjangoValidationError as exc:
        raise InvalidInput(fields={"username": " ".join(exc.messages)}) from exc
    if not username:
        raise InvalidInput(fields={"username": _("Choose a user name.")})
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("This user name is taken."), code="username_taken", fields={"username": username})
    return username


# ---- real-name sign-up ---------------------------------------------------------------


def signup_start(*, name: str, id_number: str, phone: str) -> OneTimeCode:
    """Match name + ID number + mobile against the registry and text a code to the registry's number.

    An unknown number, a different name, a person no longer active or a mobile other than
    the registered one all get the same answer, so the form reveals nothing about who is
    registered.
    """
    number = parse_id_number(id_number)
    given_phone = phone_normalise(phone)
    try:
        person = registry.person_get_by_id_number(
            scope=SIGN_UP_SCOPE, id_number=number.value, purpose="real-name sign-up"
        )
    except NotFound:
        raise IdentityMismatch() from None
    registered_phone = _normalised_or_blank(person.phone)
    if (
        not rules.name_matches(person.name, name)
        or person.status != "active"
        or not registered_phone
        or registered_phone != given_phone
    ):
        raise IdentityMismatch()
    return code_issue(
        purpose=OneTimeCode.Purpose.SIGN_UP, phone=registered_phone, context={"person_id": str(person.pk)}
    )


def _normalised_or_blank(phone: str) -> str:
    try:
        return phone_normalise(phone) if phone else ""
    except InvalidInput:
        return ""


def signup_complete(*, challenge_id: uuid.UUID | str | None, code: str, username: str, password: str) -> User:
    """Check the code, then create the citizen account bound to the matched person."""
    username = _username_check(username)
    _password_check(password, User(username=username))
    context = code_verify(challenge_id=challenge_id, purpose=OneTimeCode.Purpose.SIGN_UP, code=code)
    person = registry.person_queryset(scope=SIGN_UP_SCOPE).filter(pk=context["person_id"]).first()
    if person is None:
        raise IdentityMismatch()
    try:
        with transaction.atomic():
            if User.objects.filter(person=person).exists():
                raise Conflict(
                    _("This person already has an account. Sign in, or sign in with your phone."),
                    code="already_bound",
                )
            user = User(username=username, first_name=person.name, person=person)
            user.set_password(password)
            _phone_set(user, person.phone)
            user.save()
            user.roles.add(Role.objects.get(code=roles.CITIZEN))
            audit_record(
                actor=username,
                actor_role=roles.CITIZEN,
                action="identity.account.bound",
                object_type="person",
                object_id=str(person.pk),
                purpose="real-name sign-up",
            )
    except IntegrityError:
        raise Conflict(_("This user name is taken."), code="username_taken") from None
    return user


def _phone_set(user: User, phone: str) -> None:
    normalised = _normalised_or_blank(phone)
    user.phone = normalised
    user.phone_index = phone_index(normalised) if normalised else ""


# ---- sign-in by phone ----------------------------------------------------------------


def signin_code_start(*, phone: str) -> OneTimeCode | None:
    """Text a sign-in code if an active account has this number; say nothing either way."""
    normalised = phone_normalise(phone)
    user = User.objects.filter(phone_index=phone_index(normalised), is_active=True).first()
    if user is None:
        return None
    return code_issue(purpose=OneTimeCode.Purpose.SIGN_IN, phone=normalised, context={"user_id": str(user.pk)})


def signin_code_verify(*, challenge_id: uuid.UUID | str | None, code: str) -> User:
    context = code_verify(challenge_id=challenge_id, purpose=OneTimeCode.Purpose.SIGN_IN, code=code)
    user = User.objects.filter(pk=context["user_id"], is_active=True).first()
    if user is None:
        raise PermissionDenied()
    return user


# ---- employer agents -----------------------------------------------------------------


def employer_agent_start(*, user: User, credit_code: str) -> OneTimeCode:
    """Ask the employer's registered contact to confirm that ``user`` may act for it."""
    if user.person_id is None:
        raise PermissionDenied(_("Only a real-name account can act for an employer."), code="not_bound")
    code = parse_credit_code(credit_code)
    employer = registry.employer_get(scope=EMPLOYER_AGENT_SCOPE, credit_code=code.value)
    contact = _normalised_or_blank(employer.contact_phone)
    if not contact:
        raise InvalidInput(
            _("This employer has no registered contact number. Its contact can register one at a service counter."),
            code="no_registered_contact",
        )
    return code_issue(
        purpose=OneTimeCode.Purpose.EMPLOYER_AGENT,
        phone=contact,
        context={"user_id": str(user.pk), "employer_id": str(employer.pk)},
        template="employer_agent_code",
        template_params={"agent": user.person.name if user.person else user.get_username()},
    )


def employer_agent_confirm(*, user: User, challenge_id: uuid.UUID | str | None, code: str) -> User:
    context = code_verify(challenge_id=challenge_id, purpose=OneTimeCode.Purpose.EMPLOYER_AGENT, code=code)
    if context.get("user_id") != str(user.pk):
        raise PermissionDenied()
    with transaction.atomic():
        user.employer_id = uuid.UUID(context["employer_id"])
        user.save(update_fields=["employer"])
        user.roles.add(Role.objects.get(code=roles.EMPLOYER_AGENT))
        audit_record(
            actor=user.get_username(),
            actor_role=roles.EMPLOYER_AGENT,
            action="identity.employer_agent.confirmed",
            object_type="employer",
            object_id=context["employer_id"],
            purpose="employer agent",
        )
    user._hrss_scope = None  # type: ignore[attr-defined]  # the cached scope is stale now
    if hasattr(user, "_role_codes"):
        del user._role_codes
    return user


# ---- staff ---------------------------------------------------------------------------


def staff_create(
    *,
    actor: Scope,
    username: str,
    password: str,
    role_codes: list[str],
    districts: list[str] | None = None,
    city_wide: bool = False,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
) -> User:
    """An administrator creates a staff account with roles and a data scope (X1)."""
    if not actor.has_role(roles.ADMINISTRATOR):
        raise PermissionDenied()
    unknown = set(role_codes) - roles.STAFF_ROLES
    if not role_codes or unknown:
        raise InvalidInput(_("Give staff roles only."), code="invalid_roles", fields={"roles": " ".join(unknown)})
    if not city_wide and not districts:
        raise InvalidInput(_("Give a data scope: districts or city-wide."), code="no_data_scope")
    username = _username_check(username)
    with transaction.atomic():
        user = User(username=username, first_name=first_name, last_name=last_name, city_wide=city_wide)
        _password_check(password, user)
        user.set_password(password)
        user.is_staff = roles.ADMINISTRATOR in role_codes
        if phone:
            _phone_set(user, phone)
        user.save()
        user.roles.set(Role.objects.filter(code__in=role_codes))
        if districts and not city_wide:
            user.districts.set(districts)  # type: ignore[arg-type]  # District primary keys
        audit_record(
            actor=actor.actor,
            actor_role=roles.ADMINISTRATOR,
            action="identity.staff.created",
            object_type="account",
            object_id=str(user.pk),
            detail={"roles": sorted(role_codes), "districts": sorted(districts or []), "city_wide": city_wide},
        )
    return user


def totp_setup_start(*, user: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator for the account; it counts once a code from it is entered."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_setup_confirm(*, user: User, device_id: int | str | None, token: str) -> TOTPDevice:
    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        raise NotFound()
    if not device.verify_token((token or "").strip()):
        raise InvalidInput(_("The authenticator code is not correct."), code="totp_invalid")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        audit_record(
            actor=user.get_username(),
            action="identity.second_factor.enrolled",
            object_type="account",
            object_id=str(user.pk),
        )
    return device


# ---- sessions and authorised applications --------------------------------------------


def session_record(
    *, user: User, session_key: str, method: str, user_agent: str = "", ip_address: str | None = None
) -> AccountSession:
    session, _created = AccountSession.objects.update_or_create(
        session_key=session_key,
        defaults={"user": user, "method": method, "user_agent": user_agent[:200], "ip_address": ip_address},
    )
    return session


def session_end(*, user: User, session_id: uuid.UUID | str) -> None:
    """Sign one of the account's sessions out, wherever it is."""
    session = AccountSession.objects.filter(pk=session_id, user=user, ended_at__isnull=True).first()
    if session is None:
        raise NotFound()
    SessionStore(session_key=session.session_key).delete()
    session.ended_at = timezone.now()
    session.save(update_fields=["ended_at"])


def session_closed(*, session_key: str | None) -> None:
    if session_key:
        AccountSession.objects.filter(session_key=session_key, ended_at__isnull=True).update(ended_at=timezone.now())


def authorised_app_revoke(*, user: User, application_id: int | str) -> int:
    """Withdraw an application's access: its tokens for this account are revoked, consent forgotten."""
    from oauth2_provider.models import get_access_token_model, get_grant_model, get_refresh_token_model

    access_tokens = get_access_token_model().objects.filter(user=user, application_id=application_id)
    refresh_tokens = get_refresh_token_model().objects.filter(
        user=user, application_id=application_id, revoked__isnull=True
    )
    count = 0
    with transaction.atomic():
        for refresh in list(refresh_tokens):
            refresh.revoke()
            count += 1
        for access in list(access_tokens):
            access.revoke()
            count += 1
        get_grant_model().objects.filter(user=user, application_id=application_id).delete()
        audit_record(
            actor=user.get_username(),
            action="identity.application.revoked",
            object_type="oauth_application",
            object_id=str(application_id),
        )
    return count


def phone_masked(user: Any) -> str:
    return mask_phone(user.phone) if getattr(user, "phone", "") else ""
