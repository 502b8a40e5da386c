"""Desk forms (shape only: limits and rules are checked by the domain)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired


class NewArticleForm(FlaskForm):
    title = StringField("Title", validators=[InputRequired("Title cannot be empty.")])
    category = SelectField("Category", coerce=str, validate_choice=False)
