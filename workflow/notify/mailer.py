"""Plain e-mail through the SMTP server of the settings (none configured → nothing sent).

Kept tiny and synchronous: it is called from the reminder job, never from a web request.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from workflow.runtime import Settings

TIMEOUT_SECONDS = 10


def send_mail(settings: Settings, to: list[str], subject: str, body: str) -> int:
    """Send one message to ``to``; returns how many recipients it went to (0 when SMTP is
    off or there is nobody to send to). SMTP errors propagate so the caller can retry."""
    recipients = sorted({address for address in to if address and "@" in address})
    if not settings.smtp_host or not recipients:
        return 0
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
        smtp.send_message(message)
    return len(recipients)
