"""``python -m sufficiency.cli``: the same app as the ``sufficiency`` script."""

from sufficiency.cli import main

main()
