"""The life of a label file as a table: for each action, the states it may start from and the
state it leads to. Services lock the file, check the row and apply it; who may act is checked
by the service with permissions.py."""

from ecoquartier.labels.models import FileState

TRANSITIONS = {
    # action: (sources, target)
    "assign_experts": ((FileState.SUBMITTED, FileState.IN_EXPERTISE), FileState.IN_EXPERTISE),
    "schedule_visit": ((FileState.IN_EXPERTISE,), FileState.IN_EXPERTISE),
    "give_opinion": ((FileState.IN_EXPERTISE,), FileState.EXPERTISE_DONE),
    # Local commission (the DDT(M)/DREAL of the file's territory).
    "propose": ((FileState.EXPERTISE_DONE,), FileState.PROPOSED),
    "adjourn": ((FileState.EXPERTISE_DONE,), FileState.ADJOURNED),
    "not_propose": ((FileState.EXPERTISE_DONE,), FileState.NOT_PROPOSED),
    # National commission.
    "award": ((FileState.PROPOSED,), FileState.AWARDED),
    "not_award": ((FileState.PROPOSED,), FileState.NOT_AWARDED),
}


def sources(action):
    return TRANSITIONS[action][0]


def target(action):
    return TRANSITIONS[action][1]
