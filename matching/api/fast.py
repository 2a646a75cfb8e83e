"""The match answers without building DRF serializers per request: exactly
``ActorMatchesSerializer`` and ``StatementMatchesSerializer`` of ``{"results": matches}``,
their brief objects compiled (eventsapi.api.representation). tests/matching/test_candidates.py
holds each equal to its serializer."""

from claims.api.serializers import StatementBriefSerializer
from events.api.serializers import ActorBriefSerializer
from eventsapi.api.representation import compile_list

actor_briefs = compile_list(ActorBriefSerializer)
statement_briefs = compile_list(StatementBriefSerializer)


def actor_matches_answer(matches, request) -> dict:
    rows = [{column: getattr(match.actor, column) for column in actor_briefs.columns} for match in matches]
    return {
        "results": [
            {
                "score": float(match.score),
                "decision": match.decision,
                "actor": brief,
                "matched_on": match.matched_on,
            }
            for match, brief in zip(matches, actor_briefs(rows, request), strict=True)
        ]
    }


def statement_matches_answer(matches, request) -> dict:
    rows = [
        {column: getattr(match.statement, column) for column in statement_briefs.columns} for match in matches
    ]
    return {
        "results": [
            {"score": float(match.score), "decision": match.decision, "statement": brief}
            for match, brief in zip(matches, statement_briefs(rows, request), strict=True)
        ]
    }
