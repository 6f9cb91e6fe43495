import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text):
    """Lower-case, strip accents, fold punctuation and spaces: "Saint-Ouen-sur-Seine" ->
    "saint ouen sur seine". Used both to store search names and to read queries."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    ascii_text = ascii_text.replace("œ", "oe").replace("æ", "ae")
    return _NON_ALNUM.sub(" ", ascii_text).strip()


# Abbreviations people type for the names' first words.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def fold_query(text):
    """`fold`, plus the common abbreviations: "St-Ouen" -> "saint ouen"."""
    return " ".join(_ABBREVIATIONS.get(word, word) for word in fold(text).split())
