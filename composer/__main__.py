"""`python -m composer` is the same as the `outreach` command."""

from composer.cli import main

raise SystemExit(main())
