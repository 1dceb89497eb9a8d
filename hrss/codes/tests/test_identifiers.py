import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from hrss.codes.identifiers import InvalidCreditCode, InvalidIdNumber, parse_credit_code, parse_id_number
from hrss.testing import make_credit_code


class TestIdNumber:
    def test_gb_11643_example(self):
        parsed = parse_id_number("11010519491231002X")
        assert parsed.value == "11010519491231002X"
        assert parsed.birth_date == dt.date(1949, 12, 31)
        assert parsed.sex == "F"  # sequence 002 is even
        assert parsed.address_code == "110105"

    def test_lower_case_x_is_normalised(self):
        assert parse_id_number("11010519491231002x").value == "11010519491231002X"

    def test_spaces_and_separators_are_stripped(self):
        assert parse_id_number(" 110105 19491231 002X ").value == "11010519491231002X"

    def test_fifteen_digit_legacy_number_is_converted(self):
        parsed = parse_id_number("150102880730303")
        assert parsed.value == "150102198807303035"
        assert parsed.converted_from == "150102880730303"
        assert parsed.birth_date == dt.date(1988, 7, 30)
        assert parsed.sex == "M"

    @pytest.mark.parametrize("code", ["120107", "120108", "120109", "120221", "120223", "120225"])
    def test_retired_tianjin_district_codes_are_accepted(self, code):
        body = f"{code}19750615123"
        number = body + ric.calc_check_digit(body + "0")
        assert parse_id_number(number).address_code == code

    def test_current_tianjin_code(self):
        body = "12011619900101001"
        assert parse_id_number(body + ric.calc_check_digit(body + "0")).sex == "M"

    def test_wrong_check_digit(self):
        with pytest.raises(InvalidIdNumber) as error:
            parse_id_number("110105194912310021")
        assert error.value.code == "invalid_id_number"
        assert "check digit" in str(error.value.message)

    @pytest.mark.parametrize("date", ["19900230", "19901301", "19900000"])
    def test_impossible_birth_date(self, date):
        body = f"120101{date}123"
        with pytest.raises(InvalidIdNumber) as error:
            parse_id_number(body + "0")
        assert "birth date" in str(error.value.message)

    def test_future_birth_date(self):
        body = "12010120990101123"
        with pytest.raises(InvalidIdNumber):
            parse_id_number(body + ric.calc_check_digit(body + "0"))

    @pytest.mark.parametrize("value", ["", "1234", "12010119900101123456", "ABCDEFGHIJKLMNOPQR", "1201011990010112X3"])
    def test_malformed(self, value):
        with pytest.raises(InvalidIdNumber):
            parse_id_number(value)

    def test_unknown_address_code(self):
        body = "12999919900101123"
        with pytest.raises(InvalidIdNumber):
            parse_id_number(body + ric.calc_check_digit(body + "0"))

    def test_residence_permit(self):
        body = "81000019900101123"
        assert parse_id_number(body + ric.calc_check_digit(body + "0")).kind == "residence_permit"

    @given(
        st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
        st.integers(min_value=0, max_value=999),
        st.sampled_from(["120101", "120103", "120116", "120119"]),
    )
    def test_any_well_formed_number_round_trips(self, birth, seq, district):
        body = f"{district}{birth:%Y%m%d}{seq:03d}"
        number = body + ric.calc_check_digit(body + "0")
        parsed = parse_id_number(number.lower())
        assert parsed.value == number
        assert parsed.birth_date == birth
        assert parsed.sex == ("M" if seq % 2 else "F")


class TestCreditCode:
    def test_valid_code(self):
        parsed = parse_credit_code("91110000600037341L")
        assert parsed.authority_code == "9"
        assert parsed.category_code == "1"
        assert parsed.district_code == "110000"
        assert parsed.organisation_code == "600037341"

    def test_lower_case_is_normalised(self):
        assert parse_credit_code("91110000600037341l").value == "91110000600037341L"

    def test_wrong_check_character(self):
        with pytest.raises(InvalidCreditCode) as error:
            parse_credit_code("91110000600037341M")
        assert error.value.code == "invalid_credit_code"

    def test_forbidden_letters(self):
        with pytest.raises(InvalidCreditCode):
            parse_credit_code("9111000060003734IO")

    def test_inner_organisation_code_check(self):
        # 600037342 fails the GB 11714 check even when the outer character is recomputed.
        from stdnum.cn import uscc

        body = "91110000600037342"
        with pytest.raises(InvalidCreditCode) as error:
            parse_credit_code(body + uscc.calc_check_digit(body))
        assert "organisation code" in str(error.value.message)

    def test_wrong_length(self):
        with pytest.raises(InvalidCreditCode):
            parse_credit_code("9111000060003734")

    def test_generated_codes_are_valid(self):
        for _ in range(20):
            assert parse_credit_code(make_credit_code("120116")).district_code == "120116"
