"""One object per creating form, whatever the number of clicks.

A creating form carries a single-use key (`{% idempotency_key %}`, templatetags/idempotency.py).
The view creates inside `with once(request) as key:`, which writes the key's row in the same
transaction as the creation, and tells it where the result lives (`key.done(obj)`). A second
POST of the same key (a double click, a reload, a retry) finds the row — on PostgreSQL it waits
for the first transaction, then hits the unique key — and raises `Repeated`: the middleware
redirects it to what the first POST created, with an informational message. A POST without a
key (an API client, a test) is not deduplicated; a POST that fails (invalid data) leaves no row,
so the same key may be sent again once corrected.
"""

import re
import secrets
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ecoquartier.core.models import IdempotencyKey

FIELD = "_idempotency_key"
_KEY = re.compile(r"[A-Za-z0-9_-]{32}")
KEEP = timedelta(days=2)  # long after any retry: older rows are deleted as new ones come


class Repeated(Exception):  # noqa: N818 - a signal, not an error
    """This form was already sent: `url` shows what its first POST created (None: unknown)."""

    def __init__(self, url):
        super().__init__(url)
        self.url = url


def new_key():
    return secrets.token_urlsafe(24)


def key_of(request):
    key = request.POST.get(FIELD, "")
    return key if _KEY.fullmatch(key) else None


class Claim:
    def __init__(self, row=None):
        self.row = row

    def done(self, target):
        """Where a repeat of this POST goes: an object with get_absolute_url, or a URL."""
        if self.row is not None:
            url = target if isinstance(target, str) else target.get_absolute_url()
            self.row.url = url[:500]
            self.row.save(update_fields=["url"])


@contextmanager
def once(request):
    """The body creates at most once per key of the request's form (see the module)."""
    key = key_of(request) if request.method == "POST" else None
    if key is None:
        yield Claim()
        return
    user = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(key=key, user=user)
        except IntegrityError:
            first = IdempotencyKey.objects.filter(key=key).first()
            mine = first is not None and first.user_id == getattr(user, "pk", None)
            raise Repeated(first.url if mine and first.url else None) from None
        yield Claim(row)
        IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
