"""Request plumbing shared by the blueprints: fragments, handlers, the page cache."""
