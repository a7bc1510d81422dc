"""The `shishi` command line: Django's manage.py plus the project's own commands."""

import os
import sys


def main() -> None:
    from shishi.core.instance import ensure_var_dir

    ensure_var_dir()  # before Django reads the settings, which only read var/
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shishi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
