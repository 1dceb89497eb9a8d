import datetime as dt

import pytest

from hrss.codes.identifiers import parse_id_number
from hrss.core.errors import InvalidInput
from hrss.core.events import subscribe, unsubscribe
from hrss.core.scope import Scope
from hrss.registry import services
from hrss.registry.models import AttributeChange, ConflictReview, Person
from hrss.testing import make_id_number, make_person

pytestmark = pytest.mark.django_db


def apply(number, source, **values):
    return services.person_apply(id_number=parse_id_number(number), values=values, source=source)


def test_create_derives_sex_and_birth_date_from_the_number():
    number = make_id_number("120104", dt.date(1985, 5, 20), "F")
    result = apply(number, "public_security", name="李娜", residence_district="120104")
    person = result.obj
    assert result.outcome == "created"
    assert (person.sex, person.birth_date) == ("F", dt.date(1985, 5, 20))
    assert person.sources["name"]["source"] == "public_security"
    assert person.sources["birth_date"]["source"] == "id_number"


def test_one_person_per_id_number_including_legacy_form():
    apply("150102198807303035", "public_security", name="王五")
    result = apply("150102880730303", "civil_affairs", name="王五")
    assert result.outcome == "unchanged"
    assert Person.objects.count() == 1


def test_new_person_needs_a_name():
    with pytest.raises(InvalidInput):
        apply(make_id_number(), "public_security")


def test_reapplying_changes_nothing():
    number = make_id_number()
    apply(number, "public_security", name="赵六", household_district="120101")
    before = Person.objects.get().updated_at
    assert apply(number, "public_security", name="赵六", household_district="120101").outcome == "unchanged"
    assert Person.objects.get().updated_at == before


def test_less_authoritative_source_goes_to_review_not_into_the_record():
    number = make_id_number()
    apply(number, "public_security", name="孙七")
    result = apply(number, "self_declared", name="孙柒")
    assert result.outcome == "conflict"
    assert Person.objects.get().name == "孙七"
    conflict = ConflictReview.objects.get()
    assert (conflict.current_value, conflict.proposed_value, conflict.proposed_source) == (
        "孙七",
        "孙柒",
        "self_declared",
    )
    # the same conflict from the same source is not queued twice
    apply(number, "self_declared", name="孙柒")
    assert ConflictReview.objects.count() == 1


def test_authoritative_source_overwrites_and_is_recorded():
    number = make_id_number()
    apply(number, "self_declared", name="周八")
    result = apply(number, "public_security", name="周捌")
    assert result.outcome == "updated"
    assert Person.objects.get().name == "周捌"
    change = AttributeChange.objects.get()
    assert (change.attribute, change.old_source, change.new_source) == ("name", "self_declared", "public_security")


def test_accepting_a_conflict_applies_the_proposed_value():
    number = make_id_number()
    apply(number, "public_security", name="吴九", phone="13800000001")
    assert apply(number, "tax", phone="13900000002").outcome == "conflict"  # tax ranks below public security
    apply(number, "bureau_counter", name="吴玖")
    conflict = ConflictReview.objects.get(attribute="name")
    services.conflict_decide(
        scope=Scope(actor="reviewer", roles=frozenset({"reviewer"}), districts=None),
        conflict_id=conflict.pk,
        accept=True,
    )
    person = Person.objects.get()
    assert person.name == "吴玖" and person.sources["name"]["reviewed_by"] == "reviewer"
    conflict.refresh_from_db()
    assert conflict.status == "accepted"


def test_death_marks_person_deceased_and_publishes_after_commit(django_capture_on_commit_callbacks):
    person = make_person()
    seen = []
    handler = subscribe(services.PersonDied)(lambda event: seen.append(event))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            apply(person.id_number, "civil_affairs", death_date=dt.date(2024, 2, 1))
    finally:
        unsubscribe(services.PersonDied, handler)
    person.refresh_from_db()
    assert person.status == "deceased" and person.death_date == dt.date(2024, 2, 1)
    assert [e.person_id for e in seen] == [person.pk]
