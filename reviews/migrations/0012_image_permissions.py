"""The media library: writers and editors upload and edit images, editors also delete them;
clinical reviewers see them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Writers": ["add_image", "change_image", "view_image"],
    "Editors": ["add_image", "change_image", "view_image", "delete_image"],
    "Clinical reviewers": ["view_image"],
}
CODENAMES = sorted({codename for codenames in GRANTS.values() for codename in codenames})


def grant(apps, schema_editor):
    articles = apps.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, verbosity=0)
    articles.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        permissions = Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        for group in Group.objects.filter(name=name):
            group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GRANTS:
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *group.permissions.filter(
                    content_type__app_label="articles", codename__in=CODENAMES
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0011_evidenceflag"),
        ("articles", "0013_media_library"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
