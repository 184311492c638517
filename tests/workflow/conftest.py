"""Fixtures shared with the web tests."""

from tests.web.admin_helpers import mailbox  # noqa: F401 - a local SMTP server
