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


def demo_roster() -> list[str]:
    lines = []
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
