"""Sessions in the database, as Django keeps them, refusing a session key Django could never have made."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        # Django's keys are 32 lowercase letters and digits. A forged cookie holding a NUL made PostgreSQL refuse
        # the lookup: a 500 on every page that reads the session (the admin, previews, two-factor setup).
        return bool(super()._validate_session_key(key)) and key.isascii() and key.isalnum()
