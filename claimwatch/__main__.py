"""Entry point for ``claimwatch`` and ``python -m claimwatch``.

Kept free of imports: worker processes are spawned and re-import the main module, and a
worker that extracts claims must not pay for the command line, Scrapy and Twisted.
"""


def main() -> None:
    """Run the command line."""
    from claimwatch.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
