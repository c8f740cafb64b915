"""The built-in candidate source, ``bigrams``, on both stores: shortlist order, exact hits, chance
neighbours left out, and the cap on common keys; and the claims it proposes as matchers see them."""

from __future__ import annotations

from itertools import pairwise

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from provenance import candidates, index
from provenance.db import session_scope
from provenance.domain import ClaimKind, ClaimText
from provenance.index import BigramIndex, bigram_hashes
from provenance.models import Claim, ClaimKey, StopKey
from provenance.text import text_key


def store(engine: Engine, *texts: str) -> list[int]:
    """Stored and indexed claims, as the pipeline indexes them; their ids in order."""
    with session_scope(engine) as session:
        claims = [Claim(kind="quote", text=t, key=text_key(t)) for t in texts]
        session.add_all(claims)
        session.flush()
        ids = [c.id for c in claims if c.id is not None]
        stored = [ClaimText(ClaimKind.QUOTE, t, claim_id=i) for i, t in zip(ids, texts, strict=True)]
        BigramIndex().add(session.connection(), stored)
    return ids


def proposed(session: Session, text: str) -> list[int]:
    """The claims the source proposes for a new quote ``text``, best first."""
    (found,) = BigramIndex().propose(session.connection(), [ClaimText(ClaimKind.QUOTE, text)])
    return list(found)


def test_shortlist_puts_exact_hits_first_then_the_claims_sharing_most_keys(engine: Engine) -> None:
    near, exact, far, unrelated = store(
        engine,
        "the harbour bridge will reopen to traffic on monday morning after repairs",
        "harbour bridge reopens monday",
        "the harbour bridge closed again",
        "ferry fares rise in the spring",
    )
    query = "the harbour bridge will reopen to traffic on monday after the repairs"
    with Session(engine) as session:
        ids = proposed(session, query)
        assert proposed(session, "Harbour bridge reopens Monday!")[0] == exact  # the same text, first
        (found,) = candidates.shortlists(
            session.connection(), [BigramIndex()], [ClaimText(ClaimKind.QUOTE, query)]
        )
    assert ids.index(near) < ids.index(far) and unrelated not in ids
    assert [c.claim_id for c in found] == ids  # as matchers see them: in order, each claim whole
    assert found[0].text.startswith("the harbour bridge will reopen") and found[0].kind == ClaimKind.QUOTE


def test_a_key_too_common_becomes_a_stop_key_and_is_never_posted_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "MAX_POSTINGS", 3)
    common = next(iter(bigram_hashes("prime minister")))
    first = store(engine, "prime minister", "the prime minister")  # two postings: under the cap
    with Session(engine) as session:
        assert set(
            session.execute(select(col(ClaimKey.claim_id)).where(col(ClaimKey.key) == common)).scalars()
        ) == set(first)
    later = store(engine, "a prime minister", "our prime minister")  # the third and fourth: over it
    with Session(engine) as session:
        assert list(session.execute(select(col(StopKey.key))).scalars()) == [common]
        assert not session.execute(select(ClaimKey).where(col(ClaimKey.key) == common)).first()
        assert set(proposed(session, "prime minister prime")).isdisjoint(first + later)  # no exact hit
        kept = proposed(session, "our prime minister")  # found through its other key
        assert kept[:1] == [later[1]]
    store(engine, "prime minister again")
    with Session(engine) as session:
        assert not session.execute(select(ClaimKey).where(col(ClaimKey.key) == common)).first()


def test_claims_sharing_one_key_with_a_long_text_are_shortlisted_only_among_the_best(engine: Engine) -> None:
    query = "the council will publish its budget for the new library before the winter recess"
    words = query.split()
    neighbours = store(engine, *(f"{a} {b}" for a, b in pairwise(words[1:8])))
    (variant,) = store(engine, query.replace("winter", "summer"))
    with Session(engine) as session:
        found = proposed(session, query)
    assert len(index.bigram_hashes(query)) >= index.LONE_KEY_QUERY
    assert found[0] == variant  # it shares several keys
    # of the six claims sharing one key each, only those still among the best few are kept
    assert found[1:] == neighbours[: index.SURE_CANDIDATES - 1]


def test_a_short_text_keeps_every_claim_sharing_one_of_its_keys(engine: Engine) -> None:
    query = "the new library opens before the winter recess"
    words = query.split()
    assert len(index.bigram_hashes(query)) < index.LONE_KEY_QUERY
    neighbours = store(engine, *(f"{a} {b}" for a, b in pairwise(words[:7])))
    with Session(engine) as session:
        assert proposed(session, query) == neighbours
