"""Reference lists (taxonomy, themes, régions and départements…) cached for the filter forms.

Every list page's filter form shows the same few reference rows; they change when a data command
runs or in the admin. A `ReferenceList` reads them once into the cache and forgets them whenever a
row of its models is saved or deleted; bulk writers call `forget()`. The timeout bounds what
another process may still hold when the cache is per process (the default local-memory cache;
`CACHE_URL` pointing at Redis shares it). Define them at module level in a module the app's
`ready()` imports, so that every process (web, task worker, commands) forgets on change.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

REFERENCE_SECONDS = 300


class ReferenceList:
    def __init__(self, key, read, *, models):
        """`read()` returns the list (picklable); `models` are those it is read from."""
        self.key = f"reference:{key}"
        self.read = read
        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(
                    self.forget,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"{self.key}:{signal}:{model._meta.label}",
                )

    def __call__(self):
        return cache.get_or_set(self.key, self.read, REFERENCE_SECONDS)

    def forget(self, **kwargs):
        cache.delete(self.key)
