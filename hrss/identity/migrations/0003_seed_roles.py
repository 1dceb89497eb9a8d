from django.db import migrations

ROLES = [
    ("citizen", "参保人/公民"),
    ("employer_agent", "单位经办人"),
    ("counter_clerk", "综合柜员"),
    ("reviewer", "审核人员"),
    ("approver", "审批人员"),
    ("arbitrator", "仲裁员"),
    ("inspector", "劳动保障监察员"),
    ("fund_supervisor", "基金监督人员"),
    ("analyst", "数据分析人员"),
    ("administrator", "系统管理员"),
    ("agency_client", "部门/机构接入"),
]


def seed(apps, schema_editor):
    Role = apps.get_model("identity", "Role")
    for code, name in ROLES:
        Role.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("identity", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
