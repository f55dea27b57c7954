"""``python -m spinemets.screen``: see :func:`spinemets.screen.cli.main`."""

from .cli import main

raise SystemExit(main())
