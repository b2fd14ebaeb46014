# Issue 16: a value and a summary row are keyed by the combination of age group, ethnicity and area too.
# Every existing row becomes combination "" (the figure over all of them), which is what it was: the column is
# added with that default, and the unique keys are widened, never narrowed, so no existing row can collide.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0006_indicator_age_groups"),
        ("reporting", "0003_accepted_sum"),
    ]

    operations = [
        migrations.AddField(
            model_name="value",
            name="combo",
            field=models.CharField(blank=True, default="", max_length=120, verbose_name="phân tổ"),
        ),
        migrations.AddField(
            model_name="acceptedsum",
            name="combo",
            field=models.CharField(blank=True, default="", max_length=120),
        ),
        migrations.RemoveConstraint(model_name="value", name="value_unique"),
        migrations.AddConstraint(
            model_name="value",
            constraint=models.UniqueConstraint(fields=("report", "indicator", "sex", "combo"), name="value_unique_combo"),
        ),
        migrations.RemoveConstraint(model_name="acceptedsum", name="accepted_sum_unique"),
        migrations.AddConstraint(
            model_name="acceptedsum",
            constraint=models.UniqueConstraint(
                fields=("plan", "unit", "indicator", "sex", "combo", "period", "rank", "own"),
                name="accepted_sum_unique_combo",
            ),
        ),
        migrations.AlterModelOptions(
            name="value",
            options={
                "ordering": ["report", "indicator", "combo", "sex"],
                "verbose_name": "số liệu chỉ tiêu",
                "verbose_name_plural": "số liệu chỉ tiêu",
            },
        ),
    ]
