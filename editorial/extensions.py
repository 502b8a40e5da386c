"""Flask extensions, created unbound and initialised in create_app()."""

from __future__ import annotations

from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

from editorial.domain.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = Htmx()
cache = Cache()
# No default limits: successful use of the desk is never throttled; only failed
# logins are counted (see editorial.auth).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
