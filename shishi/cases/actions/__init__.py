"""Every write of 典型案例评选 (re-exported: `actions.cast_vote`)."""

from shishi.cases.actions.nominations import NominationData, decide_nomination, nominate
from shishi.cases.actions.scoring import score_nomination
from shishi.cases.actions.selections import (
    SelectionData,
    add_judge,
    create_selection,
    publish_results,
)
from shishi.cases.actions.votes import cast_vote, void_votes

__all__ = [
    "NominationData",
    "SelectionData",
    "add_judge",
    "cast_vote",
    "create_selection",
    "decide_nomination",
    "nominate",
    "publish_results",
    "score_nomination",
    "void_votes",
]
