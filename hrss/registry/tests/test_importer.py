import io

import pytest

from hrss.core.errors import InvalidInput
from hrss.core.models import AuditEntry
from hrss.registry.importer import registry_import
from hrss.registry.models import Employer, Employment, ImportBatch, Person
from hrss.testing import make_credit_code, make_id_number

pytestmark = pytest.mark.django_db


def run(text, kind="persons", source="public_security", batch_size=2):
    return registry_import(
        stream=io.BytesIO(text.encode()),
        filename="in.csv",
        kind=kind,
        source=source,
        actor="tester",
        batch_size=batch_size,
    )


@pytest.fixture
def mixed_file():
    good = [make_id_number("120101"), make_id_number("120103"), make_id_number("120116")]
    lines = [
        "id_number,name,household_district,residence_district,phone,death_date",
        f"{good[0]},张一,120101,120101,13800000001,",
        "120101199001011230,坏校验,120101,120101,,",  # wrong check digit
        f"{good[1]},张二,120103,120103,12345,",  # bad phone
        f"{good[2].lower()},张三,120107,120116,,",  # retired household code → 滨海新区; lower-case x fine
        f"{good[1][:-1]},缺一位,120101,,,",  # short number
        f"{make_id_number()},张四,129999,,,",  # unknown district
        f"{make_id_number()},张五,120101,,,2199-01-01",  # impossible death date
    ]
    return good, "\n".join(lines) + "\n"


def test_good_rows_applied_bad_rows_reported_nothing_half_written(mixed_file):
    good, text = mixed_file
    batch = run(text)
    assert (batch.rows_total, batch.rows_created, batch.rows_invalid) == (7, 2, 5)
    assert Person.objects.count() == 2
    assert [entry["row"] for entry in batch.report] == [3, 4, 6, 7, 8]
    codes = {entry["row"]: entry["code"] for entry in batch.report}
    assert codes[3] == "invalid_id_number" and codes[4] == "invalid_input" and codes[6] == "invalid_id_number"
    assert batch.report[1]["fields"] == {"phone": "12345"}
    # the report masks ID numbers
    assert all("*" in entry["key"] or entry["key"] == "" for entry in batch.report)
    # the row with the bad phone wrote nothing at all, not even the valid name
    from hrss.registry.services import id_number_index

    assert not Person.objects.filter(id_number_index=id_number_index(good[1])).exists()
    assert Person.objects.get(id_number_index=id_number_index(good[2])).household_district_id == "120116"
    assert AuditEntry.objects.filter(action="registry.import", object_id=str(batch.pk)).exists()


def test_reimport_changes_nothing(mixed_file):
    _good, text = mixed_file
    run(text)
    snapshot = sorted(Person.objects.values_list("id", "name", "updated_at"))
    again = run(text)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged, again.rows_invalid) == (0, 0, 2, 5)
    assert sorted(Person.objects.values_list("id", "name", "updated_at")) == snapshot


def test_less_authoritative_file_goes_to_review(mixed_file):
    good, text = mixed_file
    run(text)
    batch = run(f"id_number,name\n{good[0]},张壹\n", source="self_declared")
    assert batch.rows_conflict == 1 and batch.report[0]["code"] == "sent_to_review"
    assert Person.objects.get(name="张一")


def test_missing_required_column_is_refused_whole():
    with pytest.raises(InvalidInput):
        run("name\n张三\n")
    assert ImportBatch.objects.count() == 0


def test_not_utf8_is_refused():
    with pytest.raises(InvalidInput):
        registry_import(
            stream=io.BytesIO("id_number,name\n1,张".encode("gbk")),
            filename="x.csv",
            kind="persons",
            source="tax",
            actor="t",
        )


def test_employers_and_employments():
    person_number = make_id_number("120101")
    run(f"id_number,name\n{person_number},职工甲\n")
    code = make_credit_code("120101")
    wrong_check = code[:-1] + ("1" if code.endswith("0") else "0")  # never the valid code itself
    batch = run(
        f"credit_code,name,industry,district,size\n{code},甲公司,65,120101,small\n{wrong_check},乙公司,65,120101,small\n"
        f"{make_credit_code()},丙公司,XX,120101,small\n",
        kind="employers",
        source="market_regulation",
    )
    assert (batch.rows_created, batch.rows_invalid) == (1, 2)
    assert Employer.objects.get().name == "甲公司"
    spells = run(
        "id_number,credit_code,start_date,end_date,occupation,monthly_wage\n"
        f"{person_number},{code},2019-03-01,2021-06-30,2-02,9000.50\n"
        f"{person_number},{code},2022-01-01,2021-01-01,,\n"
        f"{person_number},{code},2023-01-01,,,-5\n",
        kind="employments",
        source="tax",
    )
    assert (spells.rows_created, spells.rows_invalid) == (1, 2)
    assert Employment.objects.get().monthly_wage == 9000.50
    assert (
        run(
            f"id_number,credit_code,start_date,end_date,occupation,monthly_wage\n{person_number},{code},2019-03-01,2021-06-30,2-02,9000.50\n",
            kind="employments",
            source="tax",
        ).rows_unchanged
        == 1
    )


def test_command_writes_report(tmp_path, mixed_file, capsys):
    from django.core.management import call_command

    _good, text = mixed_file
    path = tmp_path / "ps.csv"
    path.write_text(text, encoding="utf-8")
    call_command("registry", "import", str(path), "--source", "public_security")
    out = capsys.readouterr().out
    assert "7 rows: 2 created" in out and "5 invalid" in out
    report = (tmp_path / "ps.report.csv").read_text(encoding="utf-8").splitlines()
    assert report[0] == "row,key,code,message,fields" and len(report) == 6
