"""The balanced-selection helper (F-33). Pure: no database, no Django models.

Given N and strata (population class, urban/peri-urban/rural, région, a yes/no answer such as
"Agenda 21"…), propose N candidates that cover every stratum value present among them while
maximising the total score. When N is too small to cover everything, the proposal covers as many
values as possible (then maximises score) and names the values left uncovered.

The search is an exact branch and bound over candidates in score order (include / exclude), with
two bounds: values still coverable by the remaining slots, and the best scores still available.
Jury shortlists are a few dozen files; a node budget keeps pathological inputs bounded, and the
proposal then says it is the best found rather than proven best (`exact=False`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

NODE_BUDGET = 20_000


@dataclass(frozen=True)
class Candidate:
    id: object
    score: Decimal | float | int
    strata: Mapping[str, object] = field(default_factory=dict)
    label: str = ""


@dataclass(frozen=True)
class Pick:
    candidate: Candidate
    rank: int
    reasons: tuple


@dataclass(frozen=True)
class Proposal:
    picks: list
    required: list  # [(stratum, value)] present among candidates
    uncovered: list  # [(stratum, value)] the picks miss
    exact: bool
    messages: list  # French explanations of what could not be covered

    @property
    def feasible(self):
        return not self.uncovered

    @property
    def ids(self):
        return [p.candidate.id for p in self.picks]

    @property
    def total(self):
        return sum((Decimal(str(p.candidate.score)) for p in self.picks), Decimal(0))


def _present(value):
    return value not in (None, "")


def stratum_values(candidates, strata):
    """Every (stratum, value) present among the candidates, in a stable order."""
    seen = []
    for name in strata:
        values = {str(c.strata.get(name)) for c in candidates if _present(c.strata.get(name))}
        seen += [(name, v) for v in sorted(values)]
    return seen


def propose(candidates, n, strata, labels=None, node_budget=NODE_BUDGET):
    """Choose min(n, len(candidates)) candidates; see the module docstring."""
    labels = labels or {}
    ordered = sorted(candidates, key=lambda c: (-Decimal(str(c.score)), str(c.id)))
    required = stratum_values(ordered, strata)
    index = {pair: i for i, pair in enumerate(required)}
    masks = [_mask(c, strata, index) for c in ordered]
    chosen, exact = _search(ordered, masks, min(n, len(ordered)), node_budget)
    covered = 0
    for i in chosen:
        covered |= masks[i]
    uncovered = [pair for pair, i in index.items() if not covered >> i & 1]
    picks = [_pick(ordered, masks, chosen, i, required, labels) for i in chosen]
    messages = [
        _("Impossible de couvrir « %(value)s » avec %(n)s candidature(s) : augmentez N ou "
          "choisissez une autre strate.") % {"value": describe(pair, labels), "n": n}
        for pair in uncovered
    ]  # fmt: skip
    return Proposal(picks, required, uncovered, exact, messages)


def _mask(candidate, strata, index):
    mask = 0
    for name in strata:
        value = candidate.strata.get(name)
        if _present(value):
            mask |= 1 << index[(name, str(value))]
    return mask


def _search(ordered, masks, slots, budget):
    """Indices of the best subset of exactly `slots` candidates: most values covered, then
    highest total score. Returns (indices, proven optimal)."""
    scores = [Decimal(str(c.score)) for c in ordered]
    count = len(ordered)
    suffix = [0] * (count + 1)
    for i in range(count - 1, -1, -1):
        suffix[i] = suffix[i + 1] | masks[i]
    best = {"key": (-1, Decimal("-Infinity")), "picks": []}
    nodes = {"n": 0}
    # A greedy answer first, so that the bounds prune from the start.
    greedy = _greedy(masks, scores, slots)
    greedy_mask = 0
    for i in greedy:
        greedy_mask |= masks[i]
    best["key"] = (greedy_mask.bit_count(), sum((scores[i] for i in greedy), Decimal(0)))
    best["picks"] = sorted(greedy)

    def bound(i, mask, score, left):
        reachable = (mask | suffix[i]).bit_count()
        gains = sorted(((m & ~mask).bit_count() for m in masks[i:]), reverse=True)
        reachable = min(reachable, mask.bit_count() + sum(gains[:left]))
        return reachable, score + sum(scores[i : i + left])

    def visit(i, picks, mask, score):
        nodes["n"] += 1
        left = slots - len(picks)
        if left == 0:
            key = (mask.bit_count(), score)
            if key > best["key"]:
                best["key"], best["picks"] = key, list(picks)
            return
        if nodes["n"] > budget or bound(i, mask, score, left) <= best["key"]:
            return
        picks.append(i)
        visit(i + 1, picks, mask | masks[i], score + scores[i])
        picks.pop()
        if count - i - 1 >= left:
            visit(i + 1, picks, mask, score)

    visit(0, [], 0, Decimal(0))
    return best["picks"], nodes["n"] <= budget


def _greedy(masks, scores, slots):
    """Most new values first (then score), then the best scores for the slots left."""
    chosen, covered = [], 0
    while len(chosen) < slots:
        gains = [
            ((m & ~covered).bit_count(), scores[i], -i)
            for i, m in enumerate(masks)
            if i not in chosen
        ]
        gain, _score, minus_i = max(gains)
        if gain == 0:
            break
        chosen.append(-minus_i)
        covered |= masks[-minus_i]
    rest = [i for i in range(len(masks)) if i not in chosen]
    return chosen + rest[: slots - len(chosen)]


def describe(pair, labels):
    name, value = pair
    shown = {"yes": _("oui"), "no": _("non")}.get(value, value)
    return f"{labels.get(name, name)} : {shown}"


def _pick(ordered, masks, chosen, i, required, labels):
    others = 0
    for j in chosen:
        if j != i:
            others |= masks[j]
    own = masks[i] & ~others
    candidate = ordered[i]
    reasons = []
    if own:
        values = ", ".join(
            describe(pair, labels) for bit, pair in enumerate(required) if own >> bit & 1
        )
        reasons.append(_("Seule candidature proposée couvrant %s.") % values)
    reasons.append(
        _("Note %(score)s, rang %(rank)s sur %(count)s.")
        % {"score": number_format(candidate.score, 2), "rank": i + 1, "count": len(ordered)}
    )
    if not own:
        reasons.append(_("Retenue pour sa note parmi les candidatures restantes."))
    return Pick(candidate, i + 1, tuple(reasons))
