"""The command line: global options, the error boundary, and the command groups.

Each command lives in a module of this package and registers itself on ``cli``.
"""

from __future__ import annotations

import logging
import sqlite3
import sys

import click

from claimwatch import __version__
from claimwatch.cli.context import App
from claimwatch.errors import ClaimwatchError, ExitCode, StoreError


class Failure(click.ClickException):
    """An error shown as one line, with claimwatch's exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: object = None) -> None:
        click.echo(f"claimwatch: error: {self.message}", err=True)


class Group(click.Group):
    """The error boundary: one friendly line per error, tracebacks only under --debug."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except ClaimwatchError as exc:
            if _debug(ctx):
                raise
            raise Failure(str(exc), exc.exit_code) from None
        except StoreError as exc:
            if _debug(ctx):
                raise
            raise Failure(str(exc), ExitCode.DATABASE) from None
        except sqlite3.Error as exc:  # a read that failed: locked, corrupt, unreadable
            if _debug(ctx):
                raise
            db = ctx.obj.cfg.db if ctx.obj else "the database"
            raise Failure(f"database error on {db}: {exc}", ExitCode.DATABASE) from None
        except Exception as exc:
            if _debug(ctx):
                raise
            msg = f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)"
            raise Failure(msg, ExitCode.ERROR) from None


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.obj and ctx.obj.debug)


@click.group(
    cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.option(
    "--db", metavar="PATH", help="SQLite database [env CLAIMWATCH_DB; default: per-user data dir]."
)
@click.option(
    "--sources",
    metavar="FILE",
    help="Sources file imported by crawl, schedule and sources"
    " [env CLAIMWATCH_SOURCES; default: bundled seeds].",
)
@click.option(
    "--config",
    metavar="FILE",
    help="Config file with settings and [[hook]] tables [env CLAIMWATCH_CONFIG].",
)
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.version_option(__version__, prog_name="claimwatch")
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    sources: str | None,
    config: str | None,
    debug: bool,
    verbose: bool,
) -> None:
    """Watch web sources for what they claim, and report claim changes, not line noise."""
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    logging.getLogger("claimwatch").setLevel(level)
    ctx.obj = App(db=db, sources=sources, config=config, debug=debug)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    """Console entry point."""
    cli(prog_name="claimwatch")


def _register_commands() -> None:
    """Import every module of this package: each registers its commands on ``cli``."""
    import importlib
    import pkgutil

    for mod in pkgutil.iter_modules(__path__):
        if mod.name != "context":
            importlib.import_module(f"{__name__}.{mod.name}")


_register_commands()
