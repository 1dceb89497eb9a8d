"""Merge node of the two parallel 0010 migrations (filing and projects; rectification): no
operations. Written so the labour app's tests run while both exist; the lead may replace it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("labor", "0010_filing_projects"), ("labor", "0010_rectification")]
    operations = []
