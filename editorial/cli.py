"""Command-line tools: `flask --app editorial create-user | seed-demo | ...`."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app

from editorial import accounts, demo
from editorial.errors import DomainError
from editorial.extensions import db


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)


@click.command("create-user")
@click.argument("username")
@click.option("--name", "display_name", help="Display name (defaults to username).")
@click.option(
    "--role", type=click.Choice(["author", "editor", "admin"]), default="author"
)
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
def create_user(
    username: str, display_name: str | None, role: str, password_stdin: bool
) -> None:
    """Create a desk user; asks for the password (or reads it from stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(
            db.session,
            username=username,
            display_name=display_name or username,
            password=password,
            role=role,
            method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"),
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.username}.")


@click.command("seed-demo")
def seed_demo() -> None:
    """Fill an empty database with demo users, categories and articles."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Refusing to add demo data in production.")
    try:
        result = demo.seed(
            db.session,
            password=current_app.config.get("DEMO_PASSWORD"),
            hash_method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"),
        )
    except RuntimeError as error:
        db.session.rollback()
        click.echo(str(error))
        return
    db.session.commit()
    click.echo(
        f"Demo: {result.published} published, {result.drafts} drafts, "
        f"{result.in_review} in review."
    )
    for username, password in result.passwords.items():
        click.echo(f"  {username:8} password: {password}")
