"""Editors triage reader feedback (change it); clinical reviewers read it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"Editors": "change_feedback", "Clinical reviewers": "view_feedback"}


def grant(apps, schema_editor):
    articles = apps.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, verbosity=0)
    articles.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codename in GRANTS.items():
        permission = Permission.objects.get(content_type__app_label="articles", codename=codename)
        for group in Group.objects.filter(name=name):
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codename in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *group.permissions.filter(content_type__app_label="articles", codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0009_confirmation_override_credentials"),
        ("articles", "0010_feedback_triage_reading_grade"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
