"""The labour app in Simplified Chinese (every catalogue is checked in hrss/portal/tests/test_i18n.py)."""

from __future__ import annotations

from django.utils import translation


def test_the_case_states_in_simplified_chinese():
    from hrss.labor.models import CaseStatus, ClockState

    with translation.override("zh-hans"):
        assert str(CaseStatus.AWARDED.label) == "已作出裁决"
        assert str(ClockState.OVERDUE.label) == "已超期"
