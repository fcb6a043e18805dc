#!/usr/bin/env python
"""Django's command-line utility for mbc_cms."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mbc_cms.settings")
    # A shell that configures nothing is a developer's: commands run the development settings.
    # Production sets DJANGO_SECRET_KEY (then debug stays off) or DJANGO_DEBUG=0 explicitly;
    # the web server (mbc_cms.wsgi) never gets this default and refuses to start without a key.
    if "DJANGO_DEBUG" not in os.environ and "DJANGO_SECRET_KEY" not in os.environ:
        os.environ["DJANGO_DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
