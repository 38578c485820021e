"""Allow ``python -m claimwatch``."""

from claimwatch.cli import main

if __name__ == "__main__":  # worker processes re-import this module: run nothing then
    main()
