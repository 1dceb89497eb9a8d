"""The labour app's demo (``hrss demo``, ``make run``): two mediation organisations, and the
arbitrators' roster, so that a case
accepted in the demo is assigned to an arbitrator who can sign in (the demo's ``arbitrator``,
of 和平区, and ``arbitrator_hexi``, of 河西区). Idempotent."""

from __future__ import annotations

import datetime as dt

from hrss.labor.models import Arbitrator, ArbitratorKind, MediationOrganisation, OrganisationKind

# (username, name, kind, district, qualification certificate)
ROSTER = [
    ("arbitrator", "王仲裁", ArbitratorKind.FULL_TIME, "120101", "津仲裁资字2019第0012号"),
    ("arbitrator_hexi", "李仲裁", ArbitratorKind.PART_TIME, "120103", "津仲裁资字2021第0047号"),
]


# (name, kind, district): where a worker may apply for mediation before arbitration
ORGANISATIONS = [
    ("和平区南营门街劳动争议调解委员会", OrganisationKind.STREET, "120101"),
    ("河西区人民调解委员会劳动争议调解工作室", OrganisationKind.GRASSROOTS, "120103"),
]


# District units of the rights-protection register (the city-wide ones come with migration 0009).
UNITS = [
    ("hp-inspection", "和平区劳动保障监察大队", "inspection", "120101"),
    ("hx-inspection", "河西区劳动保障监察大队", "inspection", "120103"),
]


def demo_register() -> list[str]:
    """A petition by the demo citizen about the demo employer, transferred to 和平区's labour
    inspection team and awaiting its receipt (签收). Found by the demo's own identifiers, never
    the synthetic city's people; idempotent (the same keys answer the same records)."""
    from hrss.codes import examples
    from hrss.core.scope import INSPECTOR, Scope
    from hrss.labor.models import Unit
    from hrss.labor.services import register, transfers
    from hrss.registry.models import Employer, Person
    from hrss.registry.services import id_number_index

    for code, name, kind, district in UNITS:
        Unit.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "district_id": district})
    person = Person.objects.filter(id_number_index=id_number_index(examples.ID_NUMBER)).first()
    employer = Employer.objects.filter(credit_code=examples.CREDIT_CODE).first()
    if person is None or employer is None:
        return []
    desk = Scope(actor="demo-petition-office", roles=frozenset({INSPECTOR}), districts=None)
    petition = register.petition_record(
        scope=desk,
        channel="letter",
        subject="反映单位拖欠工资",
        content="来信反映天津示范科技有限公司拖欠2026年9月至10月工资。",
        person_id=person.pk,
        credit_code=employer.credit_code,
        idempotency_key="demo-petition-1",
    )
    sent = transfers.transfer_send(
        scope=desk,
        kind="petition",
        reference=petition.reference,
        to_unit="hp-inspection",
        reason="属地劳动保障监察办理",
        idempotency_key="demo-transfer-1",
    )
    state = "received" if sent.received_at else f"awaiting receipt (due {sent.receipt_due})"
    return [f"petition {petition.reference} transferred to 和平区劳动保障监察大队, {state}"]


def demo_roster() -> list[str]:
    lines = demo_register()
    for org_name, org_kind, org_district in ORGANISATIONS:
        MediationOrganisation.objects.get_or_create(
            name=org_name, defaults={"kind": org_kind, "district_id": org_district}
        )
        lines.append(f"mediation organisation: {org_name}")
    for username, name, kind, district, qualification in ROSTER:
        arbitrator, _created = Arbitrator.objects.get_or_create(
            username=username,
            defaults={
                "name": name,
                "kind": kind,
                "district_id": district,
                "qualification": qualification,
                "qualified_on": dt.date(2019, 6, 1),
            },
        )
        lines.append(f"arbitrator on the roster: {arbitrator}")
    return lines
