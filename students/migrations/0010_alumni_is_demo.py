from django.db import migrations, models


def mark_existing_alumni_as_demo(apps, schema_editor):
    """Until now the only way alumni entered the database was the demo generator
    (seed_demo → outlook.alumni.alumni_generate): every existing record is demo data."""
    apps.get_model("students", "Alumnus").objects.update(is_demo=True)


class Migration(migrations.Migration):

    dependencies = [
        ('students', '0009_term_attainment'),
    ]

    operations = [
        migrations.AddField(
            model_name='alumnus',
            name='is_demo',
            field=models.BooleanField(default=False, verbose_name='demo record'),
        ),
        migrations.RunPython(mark_existing_alumni_as_demo, migrations.RunPython.noop, elidable=True),
    ]
