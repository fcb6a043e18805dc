"""Editors read reader feedback in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    articles = apps.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, verbosity=0)
    articles.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="articles", codename="view_feedback"
    )
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="articles", codename="view_feedback")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_review_comments"),
        ("articles", "0002_snapshot_text_counterpart_feedback"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
