"""The session engine (settings.SESSION_ENGINE): Django's database sessions, kept in
`servicepoints.models.Session`, which has the signed-in user's id in a column."""

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from servicepoints.models import Session

        return Session

    def create_model_instance(self, data):
        """The row to save: Django's, with `user_id` taken from the same data."""
        session = super().create_model_instance(data)
        session.user_id = user_id_of(data)
        return session


def user_id_of(data):
    """The signed-in user's primary key in session data, as `django.contrib.auth` reads it
    (None when nobody is signed in or the value is not a key)."""
    if SESSION_KEY not in data:
        return None
    try:
        return get_user_model()._meta.pk.to_python(data[SESSION_KEY])
    except ValidationError:
        return None
