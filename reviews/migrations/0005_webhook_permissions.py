"""Editors register webhook endpoints, read the outbox and retry failed deliveries in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "add_webhookendpoint",
    "change_webhookendpoint",
    "view_webhookendpoint",
    "view_webhookevent",
    "view_webhookdelivery",
    # The admin's "Retry now" action: it changes no field an editor can type into.
    "change_webhookdelivery",
    "view_webhookattempt",
]


def grant(apps, schema_editor):
    articles = apps.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, verbosity=0)
    articles.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = [
        Permission.objects.get(content_type__app_label="articles", codename=codename)
        for codename in CODENAMES
    ]
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="articles", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_feedback_permission"),
        ("articles", "0003_webhooks"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
