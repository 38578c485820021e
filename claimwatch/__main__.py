"""Allow ``python -m claimwatch``."""

from claimwatch.cli import main

main()
