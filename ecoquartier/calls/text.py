"""French text-search primitives shared by indexing (models) and querying (search.py).

Two engines, one behaviour (see docs/adr/0013-calls-french-full-text-search.md):

- PostgreSQL: a weighted `tsvector` column built with the `eq_french` configuration (French
  Snowball stemmer behind `unaccent`), created by migration 0002.
- Any other database (SQLite in development): three columns of folded, lightly stemmed words that
  the fallback matches word by word with LIKE.
"""

import re

from django.contrib.postgres.search import SearchVector
from django.db.models import TextField, Value
from django.db.models.functions import Coalesce, Concat

from ecoquartier.territories.text import fold

SEARCH_CONFIG = "eq_french"

# Words too common to narrow a search; PostgreSQL's French dictionary drops the same ones.
STOP_WORDS = frozenset(
    """a au aux avec ce ces d dans de des du elle en et eux il je l la le les leur lui ma mais me
    meme mes moi mon n ne nos notre nous on ou par pas pour qu que qui s sa se ses son sur ta
    te tes toi ton tu un une vos votre vous y c j m t est sont""".split()  # noqa: SIM905
)

_MARKDOWN_NOISE = re.compile(r"https?://\S+|[#*_>`\[\]()|-]+")


def stem(word):
    """A light French stemmer: folds inflections (plural, feminine) so that "friches" and
    "friche", "territoriaux" and "territorial", "durables" and "durable" meet. It never tries
    derivations (aménagement ≠ aménager); PostgreSQL's Snowball stemmer goes further."""
    if len(word) > 4 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def stems(text):
    """The meaningful words of `text`, folded (no accents, lower case) and stemmed, in order."""
    words = fold(_MARKDOWN_NOISE.sub(" ", text or "")).split()
    return [stem(w) for w in words if w not in STOP_WORDS]


def index_text(*texts):
    """What a fallback column stores: distinct stems, space-separated and space-padded, so that
    a whole word matches with LIKE '% word %'."""
    seen = dict.fromkeys(s for text in texts for s in stems(text))
    return f" {' '.join(seen)} " if seen else ""


def weighted_vector(title_fields, summary_fields, body_fields):
    """The PostgreSQL tsvector: title A > summary B > body C."""

    def part(fields, weight):
        items = _spaced(fields)
        joined = Concat(*items, output_field=TextField()) if len(items) > 1 else items[0]
        return SearchVector(joined, config=SEARCH_CONFIG, weight=weight)

    return part(title_fields, "A") + part(summary_fields, "B") + part(body_fields, "C")


def _spaced(fields):
    items = []
    for name in fields:
        if items:
            items.append(Value(" "))
        items.append(Coalesce(name, Value(""), output_field=TextField()))
    return items
