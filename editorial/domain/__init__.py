"""The newsroom's rules in plain Python over SQLAlchemy. Nothing here imports Flask."""
