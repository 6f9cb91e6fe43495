"""A mail backend whose first send fails, as an SMTP server going away would, then delivers to
django.core.mail.outbox like the test backend."""

from django.core.mail.backends.locmem import EmailBackend


class FailOnceBackend(EmailBackend):
    failures = 0

    def send_messages(self, messages):
        if FailOnceBackend.failures == 0:
            FailOnceBackend.failures += 1
            raise ConnectionError("SMTP indisponible")
        return super().send_messages(messages)
