"""The actor match's answer without building DRF serializers per request: exactly
``ActorMatchesSerializer({"results": matches}).data``, its brief actors compiled
(eventsapi.api.representation). tests/matching/test_candidates.py holds the two equal."""

from events.api.serializers import ActorBriefSerializer
from eventsapi.api.representation import compile_list

actor_briefs = compile_list(ActorBriefSerializer)


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
