"""plugins/provenance-semantic, installed for real: translations of one person's statement are
suggested for review, never linked.

The package is pip-installed once per session into a throw-away directory (as the jaccard test
does) and found through its ``provenance`` entry point; its model comes from the wordllama
package's own folder, with downloads disabled. The texts other than the seeds are written for
this test, before the plugin's suggestion threshold was chosen (its README says how).
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, text

from provenance.api.app import create_app
from provenance.domain import ClaimKind, ClaimText
from provenance.matching import verdicts
from provenance.models import CandidateStatus
from provenance.plugins import PluginRegistry
from provenance.settings import Settings
from tests.conftest import with_key
from tests.installing import pip_install

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "provenance-semantic"
# one statement by the governor, as two outlets translated it: too few shared words for the
# bigram index to propose the one for the other (the built-ins never compare them)
RATES = (
    "The central bank's governor spoke in Lisbon on Monday. “We are not going to raise interest rates"
    " again this year unless energy prices surge,” said Luis Ferreira. Inflation reached 9 percent in"
    " October."
)
RATES_TRANSLATED = (
    "The governor ruled out another move when he met reporters. “There will be no further rate"
    " increase this year, except if the cost of energy jumps,” Luis Ferreira said."
)
# the same words, said by someone else of the same surname (filed under the same key)
RATES_OTHER_SPEAKER = (
    "A union leader answered him on Tuesday. “We are not going to raise interest rates again this"
    " year unless energy prices surge,” said Maria Ferreira, mocking the bank."
)
# own texts: (one statement in two translations, or two statements) of one person on one topic
TRANSLATIONS = [
    (
        "Our country will never accept borders redrawn by force, and we will keep standing with our"
        " neighbours for as long as it takes",
        "This nation shall not recognise frontiers changed through violence; we remain at the side of"
        " the countries next door however long that may be",
    ),
    (
        "The grain corridor must stay open, because millions of people in Africa depend on our wheat",
        "The corridor for cereals has to remain open since millions of Africans rely on the wheat we export",
    ),
    (
        "Inflation is the cruellest tax on the poor, and the bank will do whatever is necessary to bring"
        " it down",
        "Rising prices are the harshest levy on poor families, and the central bank will take all needed"
        " steps to lower them",
    ),
    (
        "We are not going to raise interest rates again this year unless energy prices surge",
        "There will be no further rate increase this year, except if the cost of energy jumps",
    ),
    (
        "The reactor will be restarted only when every safety inspection has been passed",
        "We will switch the nuclear plant back on only after it clears all of the safety checks",
    ),
    (
        "Japan and Korea share a responsibility to keep peace in the region for our children",
        "Tokyo and Seoul have a common duty to preserve regional peace for the next generation",
    ),
    (
        "Humanitarian aid is being blocked at the border while children are starving in the camps",
        "Relief supplies are held up at the frontier even as kids go hungry in the refugee camps",
    ),
    (
        "We demand an immediate ceasefire so that the wounded can be evacuated",
        "We call for the fighting to stop at once to allow injured people to be taken out",
    ),
]
OTHER_STATEMENTS = [
    (TRANSLATIONS[0][0], "We thank our partners for the air defence systems that arrived this week"),
    (TRANSLATIONS[1][0], "Farmers in the south have lost half of their harvest to the shelling this summer"),
    (TRANSLATIONS[2][0], "The labour market remains strong and wages are growing faster than expected"),
    (TRANSLATIONS[3][0], "The bank will publish its new forecasts for growth and prices in March"),
    (TRANSLATIONS[4][0], "Electricity bills will fall once more reactors return to service next year"),
    (TRANSLATIONS[5][0], "The missile launches by the North are a grave threat to the security of Japan"),
    (TRANSLATIONS[6][0], "The hospitals in the north have run out of fuel and medicine"),
    (
        TRANSLATIONS[7][0],
        "Any peace agreement must include the return of the displaced families to their homes",
    ),
]


@pytest.fixture(scope="session")
def semantic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the installed provenance-semantic distribution (not on sys.path yet)."""
    return pip_install(PACKAGE, tmp_path_factory.mktemp("semantic") / "site")


@pytest.fixture
def semantic(semantic_site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """provenance-semantic visible to ``importlib.metadata`` and imports, for one test."""
    monkeypatch.syspath_prepend(str(semantic_site))
    import provenance_semantic

    yield provenance_semantic
    sys.modules.pop("provenance_semantic", None)


@pytest.fixture
def semantic_store(semantic: ModuleType, engine: Engine) -> Iterator[ModuleType]:
    """The plugin on a store; its table dropped afterwards, as PostgreSQL test stores outlive a test
    (and the core's cleanup knows only the core's tables)."""
    yield semantic
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS semantic_vector"))


def post(client: TestClient, article: str, url: str | None = None) -> dict[str, Any]:  # type: ignore[type-arg]
    response = client.post("/v1/articles", json={"text": article, "url": url})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def quote(article: dict[str, Any]) -> dict[str, Any]:
    (found,) = [c for c in article["claims"] if c["kind"] == "quote"]
    return found


def trail(client: TestClient, claim: dict[str, Any]) -> dict[int, tuple[str, str]]:  # type: ignore[type-arg]
    """The claims scored for the claim's last mention, with the matcher and status of each."""
    scored = client.get(f"/v1/mentions/{claim['mentions'][-1]['id']}/candidates").json()
    return {c["claim_id"]: (c["matcher"], c["status"]) for c in scored}


def nothing_linked_by_semantic(engine: Engine) -> None:
    with engine.connect() as connection:
        statuses = connection.execute(
            text("SELECT DISTINCT status FROM match_candidate WHERE matcher = 'semantic'")
        ).scalars()
        assert set(statuses) <= {CandidateStatus.SUGGESTED.value, CandidateStatus.CONSIDERED.value}
        linked = connection.execute(text("SELECT COUNT(*) FROM mention WHERE matcher = 'semantic'"))
        assert linked.scalar_one() == 0


def test_the_model_loads_from_the_package_without_the_network(
    semantic: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the model tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(semantic, "_models", [])
    assert semantic.embedding("We will stay").shape == (semantic.DIMENSIONS,)
    assert len(semantic._models) == 1
    semantic.embedding("We will go")
    assert len(semantic._models) == 1  # once per process


def test_own_texts_translations_are_suggested_other_statements_are_not(semantic: ModuleType) -> None:
    """The first run of these cases (cosines, before the threshold was chosen) is in the
    plugin's README: translations 0.48 0.76 0.28 0.62 0.48 0.57 0.51 0.24, other statements
    0.18 0.01 -0.01 0.27 0.30 0.31 0.09 0.17."""
    matcher = PluginRegistry.create(Settings()).matchers["semantic"]  # as installed

    def score(a: str, b: str) -> float:
        query = ClaimText(ClaimKind.QUOTE, f"“{a},”", speaker="Ferreira")
        scored = matcher.score(query, ClaimText(ClaimKind.QUOTE, b, speaker="Luis Ferreira", claim_id=1))
        assert scored is not None
        return scored.score

    suggested = [score(a, b) >= matcher.suggest_threshold for a, b in TRANSLATIONS]
    assert suggested == [False, True, False, True, False, True, False, False]
    assert max(score(a, b) for a, b in OTHER_STATEMENTS) < matcher.suggest_threshold
    same_words = [score(a, a) for a, _ in TRANSLATIONS]
    assert same_words == pytest.approx([0.79] * len(TRANSLATIONS))  # under fuzzy's links (0.8)
    same = ClaimText(ClaimKind.QUOTE, TRANSLATIONS[0][0], "Luis Ferreira", claim_id=1)
    (verdict,) = verdicts(same, [same], [matcher])
    assert verdict.status == CandidateStatus.SUGGESTED  # the same words: suggested, never linked


def test_the_matcher_compares_one_persons_quotes_and_attributions_only(semantic: ModuleType) -> None:
    matcher = semantic.SemanticMatcher()
    words, translated = TRANSLATIONS[3]
    said = ClaimText(ClaimKind.QUOTE, words, speaker="Luis Ferreira", claim_id=1)
    scored = matcher.score(ClaimText(ClaimKind.QUOTE, translated, speaker="Ferreira"), said)
    assert scored is not None
    assert "cosine 0.62" in scored.explanation and "suggests only" in scored.explanation
    assert matcher.score(ClaimText(ClaimKind.QUOTE, words, speaker="Maria Ferreira"), said) is None
    assert matcher.score(ClaimText(ClaimKind.QUOTE, words), said) is None  # no speaker
    figure = ClaimText(ClaimKind.FIGURE, "9 percent", "Luis Ferreira", 9, "percent", claim_id=2)
    assert matcher.score(figure, figure) is None
    assert semantic.person_keys("Ana Ruiz and Tom J. Bexley") == ["ruiz", "bexley"]


def test_hook_register_matchers_semantic_suggests_the_seed_xi_translations_and_links_nothing(
    settings: Settings, engine: Engine, seed_texts: dict[str, str], semantic_store: ModuleType
) -> None:
    registry = PluginRegistry.create(settings)  # installed entry points: no setting names it
    assert [e for e in registry.errors if e.plugin == "semantic"] == []
    with with_key(TestClient(create_app(settings, registry)), settings.database_url) as client:
        listed = {p["name"]: p for p in client.get("/v1/plugins").json()["plugins"]}
        assert listed["semantic"]["hooks"] == ["register_candidate_sources", "register_matchers"]
        assert listed["semantic"]["provides"] == {"candidate_sources": ["semantic"], "matchers": ["semantic"]}
        for name, article in sorted(seed_texts.items()):
            post(client, article, f"https://seeds.example/{name}")
        queue = client.get("/v1/suggestions").json()["items"]
        xi = [
            n
            for n, s in enumerate(queue)
            if "powers" in s["mention"]["text"] and "powers" in s["claim"]["text"]
        ]
        assert xi[:1] == [0], "the two Xi translations are not the top suggestion"
        first = queue[0]
        pair = {first["mention"]["text"], first["claim"]["text"]}
        assert any("assume the role of great powers" in t for t in pair)
        assert any("responsibilities of big powers" in t for t in pair)
        stored = [
            client.get(f"/v1/claims/{i}").json() for i in (first["mention"]["claim_id"], first["claim"]["id"])
        ]
        mine, theirs = (
            ClaimText(ClaimKind.QUOTE, c["text"], c["speaker"]["name"], claim_id=c["id"]) for c in stored
        )
        (verdict,) = verdicts(mine, [theirs], [registry.matchers["semantic"]])
        assert verdict.status == CandidateStatus.SUGGESTED and 0.6 < verdict.score < 0.75
    nothing_linked_by_semantic(engine)


def test_hook_register_candidate_sources_semantic_proposes_a_translation_for_review_only(
    settings: Settings, engine: Engine, semantic_store: ModuleType
) -> None:
    registry = PluginRegistry.create(settings)
    assert list(registry.candidate_sources) == ["bigrams", "semantic"]
    with with_key(
        TestClient(create_app(settings, registry)), settings.database_url
    ) as client:  # its start creates the table
        said = post(client, RATES, "https://lisbon.example/rates")
        original, figure = quote(said), next(c for c in said["claims"] if c["kind"] == "figure")
        translated = quote(post(client, RATES_TRANSLATED, "https://lisbon.example/no-rise"))
        assert translated["id"] != original["id"], "a translation is never linked by the plugin"
        assert trail(client, translated)[original["id"]] == ("semantic", "suggested")
        (suggestion,) = client.get("/v1/suggestions").json()["items"]
        assert (suggestion["claim"]["id"], suggestion["matcher"]) == (original["id"], "semantic")
        assert suggestion["mention"]["claim_id"] == translated["id"]

        other = quote(post(client, RATES_OTHER_SPEAKER, "https://lisbon.example/union"))
        assert other["id"] not in (original["id"], translated["id"])  # the same words, another person
        assert "semantic" not in {matcher for matcher, _ in trail(client, other).values()}
        assert len(client.get("/v1/suggestions").json()["items"]) == 1

    source = semantic_store.SemanticSource()
    with engine.connect() as connection:
        filed = connection.execute(text("SELECT claim_id, speaker_key FROM semantic_vector")).all()
        assert sorted(filed) == sorted(
            [(original["id"], "ferreira"), (translated["id"], "ferreira"), (other["id"], "ferreira")]
        )
        assert figure["id"] not in {claim_id for claim_id, _ in filed}  # a figure is never filed ...
        as_figure = ClaimText(ClaimKind.FIGURE, "9 percent", "Luis Ferreira", 9, "percent")
        assert source.propose(connection, [as_figure]) == [[]]  # ... nor proposed for
        unnamed = ClaimText(ClaimKind.QUOTE, TRANSLATIONS[3][0])
        assert source.propose(connection, [unnamed]) == [[]]
    nothing_linked_by_semantic(engine)


def test_a_claim_merged_by_an_editor_is_not_proposed_again(
    settings: Settings, engine: Engine, semantic_store: ModuleType
) -> None:
    with with_key(
        TestClient(create_app(settings, PluginRegistry.create(settings))), settings.database_url
    ) as client:
        original = quote(post(client, RATES, "https://lisbon.example/rates"))
        translated = quote(post(client, RATES_TRANSLATED, "https://lisbon.example/no-rise"))
        source = semantic_store.SemanticSource()
        query = ClaimText(ClaimKind.QUOTE, RATES_TRANSLATED.split("“")[1].split("”")[0], "Luis Ferreira")
        with engine.connect() as connection:
            assert source.propose(connection, [query]) == [[translated["id"], original["id"]]]

        merged = client.post(f"/v1/claims/{original['id']}/merge", json={"other_claim_id": translated["id"]})
        assert merged.status_code == 200, merged.text
        with engine.connect() as connection:
            assert source.propose(connection, [query]) == [[original["id"]]]
            filed = text("SELECT claim_id FROM semantic_vector WHERE claim_id = :merged")
            assert connection.execute(filed, {"merged": translated["id"]}).all() == []
        again = quote(post(client, RATES_TRANSLATED.replace("met reporters", "spoke"), "https://l.example/2"))
        assert again["id"] == original["id"]  # the merged wording now links to the claim it joined
        assert translated["id"] not in trail(client, again)


def test_a_mention_an_editor_detaches_is_filed_under_its_speaker(
    settings: Settings, engine: Engine, semantic_store: ModuleType
) -> None:
    with with_key(
        TestClient(create_app(settings, PluginRegistry.create(settings))), settings.database_url
    ) as client:
        first = quote(post(client, RATES, "https://lisbon.example/rates"))
        again = quote(post(client, RATES.replace("Monday", "Tuesday"), "https://porto.example/rates"))
        assert again["id"] == first["id"]  # the same words, linked
        mention = client.get(f"/v1/claims/{first['id']}/mentions").json()["items"][-1]
        detached = client.post(f"/v1/mentions/{mention['id']}/detach", json={})
        assert detached.status_code == 200, detached.text
        with engine.connect() as connection:
            filed = text("SELECT speaker_key FROM semantic_vector WHERE claim_id = :claim")
            keys = connection.execute(filed, {"claim": detached.json()["claim_id"]}).scalars().all()
        assert keys == ["ferreira"]  # indexed as ingest indexes a new claim: with its speaker
