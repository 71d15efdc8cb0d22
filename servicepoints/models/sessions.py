"""Signed-in sessions: Django's database sessions, with the user's id in a column of its own."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class Session(AbstractBaseSession):
    """A session as Django keeps it (`session_data` signed and encoded, `expire_date`), plus the
    signed-in user, written from the session's own data each time it is saved
    (`servicepoints.sessions.SessionStore`).

    With the user in a column, one query reads a session with its user (the vector tiles,
    `servicepoints.tiles.scope.Requester`), a user's sessions can be found, and they go when the
    user is deleted. No database constraint: a session saved just as its user is deleted must
    not fail; it then simply finds no user and signs nobody in.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="sessions",
        verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        # Never the key: it signs its holder in (the admin lists a user's sessions when the
        # user is deleted). The user's id, not the user: no query, and no error if it is gone.
        if self.user_id is None:
            text = _("Session of nobody signed in, until %(expiry)s")
        else:
            text = _("Session of user %(user)s, until %(expiry)s")
        return text % {
            "user": self.user_id,
            "expiry": self.expire_date.isoformat(timespec="minutes"),
        }

    @classmethod
    def get_session_store_class(cls):
        from servicepoints.sessions import SessionStore

        return SessionStore
