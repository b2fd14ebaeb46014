from django.db import migrations


def load(apps, schema_editor):
    from binhdang.plans.catalogue import catalogue_load

    catalogue_load(apps.get_model("plans", "CatalogueIndicator"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
