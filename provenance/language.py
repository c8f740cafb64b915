"""Language identification by function words: enough to tell which articles the English rules may read.

Function words are the most frequent words of a language and almost never shared across these
languages in bulk, so their share among a text's words is a reliable signal for paragraphs and up.
"""

from __future__ import annotations

from collections import Counter

from provenance.text import normalize

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in is was that for it with as on be by at this are from have has had not but "
        "they which were their been would said will he she his her its an or who we our".split()
    ),
    "fr": frozenset(
        "le la les des du de et est une un dans pour que qui pas sur au aux avec ce cette son sont "
        "ont été par plus nous vous il elle ils leur mais ou comme".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine zu den von mit sich des auf für im dem wird auch es an "
        "werden aus er hat dass sie nach bei um noch wie einem über einen so zum war".split()
    ),
    "es": frozenset(
        "el la los las de y en que del se por con para una un es al lo como más pero sus le ya o "
        "este ha sí porque esta entre cuando muy sin sobre también fue había".split()
    ),
    "it": frozenset(
        "il lo la gli le di e che per con una un non è del della dei delle nel nella sono da al "
        "alla come più ma anche questo questa ha si nostro nostra ecco".split()
    ),
    "pt": frozenset(
        "o a os as de e que do da dos das em um uma para com não por mais no na se é foi ao pelo "
        "pela como mas seu sua também ou está".split()
    ),
    "nl": frozenset(
        "de het een en van in is dat op te zijn met voor niet aan er maar om ook als bij door "
        "wordt nog naar uit dan deze tot".split()
    ),
}


def detect_language(text: str, min_words: int = 5) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or ``None`` when too short or unclear."""
    tokens = normalize(text).split()
    if len(tokens) < min_words:
        return None
    counts = Counter(tokens)
    scores = {
        lang: sum(counts[w] for w in vocab.intersection(counts)) for lang, vocab in FUNCTION_WORDS.items()
    }
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] < max(2, len(tokens) // 20):
        return None
    return best
