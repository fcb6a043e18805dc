"""Create the editorial groups with their model permissions.

Nobody gets ``delete_article``: articles are archived, never deleted. Workflow moves are not
model permissions; reviews.workflow decides them from group membership.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_CONTENT = [
    "articles.view_article",
    "articles.view_reference",
    "articles.view_topic",
    "articles.view_clinicaltrial",
    "articles.view_publishedarticle",
    "reviews.view_review",
    "reviews.view_auditentry",
    "reviews.view_reviewerprofile",
]
WRITE_ARTICLES = [
    "articles.add_article",
    "articles.change_article",
    "articles.add_reference",
    "articles.change_reference",
    "articles.delete_reference",
]
ROLES = {
    "Writers": VIEW_CONTENT + WRITE_ARTICLES,
    "Clinical reviewers": VIEW_CONTENT + WRITE_ARTICLES + ["reviews.change_reviewerprofile"],
    "Editors": VIEW_CONTENT
    + WRITE_ARTICLES
    + [
        "articles.add_topic",
        "articles.change_topic",
        "articles.delete_topic",
        "articles.add_clinicaltrial",
        "articles.change_clinicaltrial",
        "articles.delete_clinicaltrial",
        "reviews.add_reviewerprofile",
        "reviews.change_reviewerprofile",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
