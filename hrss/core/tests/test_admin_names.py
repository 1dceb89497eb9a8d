"""The admin reads as Chinese in zh-hans: every section (app) and table (model) it lists,
the third-party apps' included."""

import re

from django.contrib import admin
from django.utils import translation

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_admin_section_and_table_has_a_chinese_name():
    english = []
    with translation.override("zh-hans"):
        for model in admin.site._registry:
            meta, app = model._meta, model._meta.app_config
            for what, name in (
                ("app", app.verbose_name),
                ("model", meta.verbose_name),
                ("model plural", meta.verbose_name_plural),
            ):
                if not CJK.search(str(name)):
                    english.append(f"{meta.label} {what}: {name}")
    assert not english, english
