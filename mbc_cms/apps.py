"""The project's admin app: ``django.contrib.admin`` with the editorial site (the dashboard)."""

from django.contrib.admin.apps import AdminConfig


class EditorialAdminConfig(AdminConfig):
    """``django.contrib.admin`` with ``mbc_cms.admin_site.EditorialAdminSite`` as
    ``admin.site``; that module loads only once the models are ready."""

    default_site = "mbc_cms.admin_site.EditorialAdminSite"
