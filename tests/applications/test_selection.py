"""The balanced-selection helper: exact on small inputs, explains itself, names what it cannot
cover."""

from decimal import Decimal
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from ecoquartier.applications.selection import Candidate, propose, stratum_values

STRATA = ["region", "population", "agenda21"]
LABELS = {"region": "Région", "population": "Classe de population", "agenda21": "Agenda 21"}


def c(id, score, **strata):
    return Candidate(id, Decimal(score), strata, f"Candidature {id}")


def test_covers_every_stratum_value_while_keeping_the_best_scores():
    candidates = [
        c(1, 18, region="PACA", agenda21="yes"),
        c(2, 17, region="PACA", agenda21="yes"),
        c(3, 16, region="PACA", agenda21="no"),
        c(4, 9, region="Bretagne", agenda21="yes"),
    ]
    proposal = propose(candidates, 3, ["region", "agenda21"], LABELS)
    assert proposal.feasible
    assert sorted(proposal.ids) == [1, 3, 4]
    assert proposal.total == Decimal(43)


def test_each_pick_says_why():
    candidates = [c(1, 18, region="PACA"), c(2, 17, region="PACA"), c(3, 5, region="Bretagne")]
    picks = {p.candidate.id: p for p in propose(candidates, 2, ["region"], LABELS).picks}
    assert "Région : Bretagne" in " ".join(picks[3].reasons)
    assert "rang 3 sur 3" in " ".join(picks[3].reasons)


def test_names_the_value_it_cannot_cover():
    candidates = [
        c(1, 18, region="PACA"),
        c(2, 17, region="Bretagne"),
        c(3, 5, region="Corse"),
    ]
    proposal = propose(candidates, 2, ["region"], LABELS)
    assert not proposal.feasible
    assert proposal.uncovered == [("region", "Corse")]
    assert "Région : Corse" in proposal.messages[0]
    assert sorted(proposal.ids) == [1, 2]  # the best two of those that cover as much


def test_unknown_values_are_not_strata_to_cover():
    proposal = propose([c(1, 10, region=""), c(2, 9, region=None)], 1, ["region"])
    assert proposal.feasible and proposal.ids == [1]


def test_n_larger_than_the_pool_takes_everyone():
    assert sorted(propose([c(1, 1), c(2, 2)], 5, []).ids) == [1, 2]


def brute_force(candidates, n, strata):
    required = set(stratum_values(candidates, strata))
    best = None
    for combo in combinations(candidates, min(n, len(candidates))):
        covered = {(s, str(x.strata[s])) for x in combo for s in strata if x.strata.get(s)}
        key = (len(covered & required), sum(x.score for x in combo))
        best = key if best is None or key > best else best
    return best, required


candidate_lists = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=20),
        st.sampled_from(["PACA", "Bretagne", "Corse", ""]),
        st.sampled_from(["<2k", "2k-10k", "10k+"]),
        st.sampled_from(["yes", "no", ""]),
    ),
    min_size=1,
    max_size=9,
)


@settings(max_examples=150, deadline=None)
@given(rows=candidate_lists, n=st.integers(min_value=1, max_value=6))
def test_property_optimal_and_honest_on_random_inputs(rows, n):
    candidates = [
        c(i, score, region=r, population=p, agenda21=a) for i, (score, r, p, a) in enumerate(rows)
    ]
    proposal = propose(candidates, n, STRATA)
    (best_covered, best_score), required = brute_force(candidates, n, STRATA)
    assert len(proposal.picks) == min(n, len(candidates))
    assert len(set(proposal.ids)) == len(proposal.ids)
    covered = len(required) - len(proposal.uncovered)
    assert covered == best_covered
    assert proposal.total == best_score
    # Feasible exactly when a cover exists; otherwise the uncovered values are named.
    assert proposal.feasible == (best_covered == len(required))
    assert len(proposal.messages) == len(proposal.uncovered)
    for pick in proposal.picks:
        assert pick.reasons
