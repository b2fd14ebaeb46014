# Issue 16: the age groups an indicator is reported by (plans/categories.py).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_plan_is_national"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="age_groups",
            field=models.JSONField(blank=True, default=list, verbose_name="nhóm tuổi"),
        ),
    ]
