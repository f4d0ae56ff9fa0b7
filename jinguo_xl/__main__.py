"""``python -m jinguo_xl`` runs the CLI."""

from jinguo_xl.cli import main

raise SystemExit(main())
