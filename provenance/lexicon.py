"""Bundled word lists the extractors and speaker resolution share: reporting verbs, titles,
speaker nouns, first names (``first_names.tsv``, beside this module).

These are general English news vocabulary, not fitted to any corpus.
"""

from __future__ import annotations

from importlib import resources

_VERBS = """
say tell add explain note stress insist argue warn claim declare ask reply write tweet state
announce continue recall suggest acknowledge observe remark emphasize emphasise confirm deny
reiterate repeat urge predict estimate report testify concede conclude admit+ point~out chime~in
maintain assert contend complain allege affirm caution vow promise pledge respond answer agree
counter recount quote post comment concur mention remind advise confess indicate assure demand
put~it
""".split()
_MANNER_VERBS = """
joke quip+ sigh shout exclaim whisper mutter lament boast retort echo blurt scoff snap+ muse gush
laugh chuckle crow marvel scold sniff grumble groan gripe rave enthuse bark beg+ cry yell scream
murmur chant brag+ fume
""".split()  # how words were said: cues for quotes, for reported speech only with "that"

_IRREGULAR = {
    "say": ["says", "said", "saying"],
    "tell": ["tells", "told", "telling"],
    "write": ["writes", "wrote", "writing", "written"],
    "agree": ["agrees", "agreed", "agreeing"],
    "put": ["puts", "put", "putting"],
}


def _inflect(verb: str) -> list[str]:
    """The verb and its inflected forms; ``+`` marks a verb that doubles its last consonant
    ("admit+": "admitted"), ``~`` joins a particle ("point~out")."""
    verb = verb.replace("~", " ")
    head, _, rest = verb.partition(" ")
    head, doubles = head.rstrip("+"), head.endswith("+")
    if head in _IRREGULAR:
        forms = [head, *_IRREGULAR[head]]
    elif head.endswith("y") and head[-2] not in "aeiou":
        forms = [head, head[:-1] + "ies", head[:-1] + "ied", head + "ing"]
    else:
        stem = head + head[-1] if doubles else head[:-1] if head.endswith("e") else head
        third = head + "es" if head.endswith(("s", "sh", "ch", "x", "o")) else head + "s"
        forms = [head, third, stem + "ed", stem + "ing"]
    return [f"{form} {rest}".strip() for form in forms]


MANNER_VERBS: frozenset[str] = frozenset(form for verb in _MANNER_VERBS for form in _inflect(verb)[1:])
"""Inflected verbs of how words were said ("laughed", "quipped", "echoes"): a quote's cue, but
followed by a noun phrase as often as by speech ("laughed at the idea")."""

REPORTING_VERBS: frozenset[str] = (
    frozenset(form for verb in _VERBS for form in _inflect(verb)[1:]) | MANNER_VERBS | {"say", "tell"}
)
"""Inflected forms of verbs that introduce speech ("said", "tells", "declaring", "points out"). Bare
forms are left out ("state", "report", "claim" are nouns far more often), but for "say" and "tell"."""

BARE_REPORTING_VERBS: frozenset[str] = frozenset(_inflect(verb)[0] for verb in _VERBS if "~" not in verb)
"""The bare forms ("report", "argue", "warn"): a cue only after a plural subject ("users report")."""

NAMING_VERBS = frozenset(
    """called calls calling dubbed dubs described describes describing termed labelled labeled
    branded hailed hails praised praises lauded lauds condemned condemns denounced denounces
    dismissed dismisses derided derides likened likens decried decries""".split()
)
"""Verbs by which a speaker names or judges something in their own quoted words ("called the plan
“a disaster”", "dismissed the offer as “a rounding error”", "likened the rules to “…”")."""

PHRASAL_CUES: frozenset[str] = frozenset(form for form in REPORTING_VERBS if " " in form)
"""The reporting verbs with a particle ("pointed out", "chimes in"), read as one token."""

TITLES = frozenset(
    """president prime minister premier chancellor king queen prince princess pope secretary
    senator sen congressman congresswoman representative rep governor gov mayor ambassador
    general gen colonel col admiral adm captain capt lieutenant sergeant commander chief
    spokesman spokeswoman spokesperson director chairman chairwoman chair ceo cfo founder
    professor prof dr mr mrs ms sir dame lord lady judge justice leader deputy vice foreign
    defence defense state interior finance health economy trade justice officer official
    analyst researcher economist expert head executive manager coach inspector superintendent
    sheriff councillor councilor mp mep minister's strongman counterpart constable const cst
    corporal cpl sergeant sgt detective det commissioner ex""".split()
)
"""Words that may precede or describe a name without being part of it."""

SPEAKER_NOUNS = frozenset(
    """president minister leader official officials spokesman spokeswoman spokesperson ministry
    government agency agencies police analyst analysts expert experts source sources statement
    company report reports officer officers judge court researcher researchers economist
    economists lawmaker lawmakers senator governor mayor ambassador chancellor premier king
    queen secretary department office kremlin white~house diplomat diplomats commander
    spokesmen investigators prosecutors prosecutor lawyer lawyers attorney witness witnesses
    residents resident doctor doctors scientist scientists union group board committee
    council media broadcaster newspaper authorities representative representatives chief
    ceo founder director professor manager executive coach militants militant army military
    side team bank commission institute association organisation organization federation
    network service administration regulator watchdog campaigners protesters charity party
    opposition spokespeople father mother son daughter brother sister wife husband parent
    parents friend friends neighbour neighbor neighbours neighbors owner owners victim victims
    survivor survivors student students teacher teachers worker workers employee employees
    member members fan fans user users voter voters customer customers patient patients family
    families man woman men women people person citizen citizens organizer organizers volunteer
    volunteers staff aide aides critic critics supporter supporters opponent opponents advocate
    advocates activist activists observer observers insider insiders allies colleague
    colleagues panel""".replace("~", " ").split()
)
"""Head nouns of descriptive speakers: "the Russian leader", "Taiwan's foreign ministry"."""

ORGANISATION_HEADS = frozenset(
    """authority department ministry agency council commission committee association party bank
    university college hospital police service services board institute foundation union company
    corporation corp inc ltd group network office court administration federation organisation
    organization coalition alliance society league fund trust centre center times post news
    journal tribune herald guardian telegraph globe press gazette daily review magazine radio
    television tv hydro government kremlin military army motors electric mills dynamics
    industries airlines airways systems technologies pharmaceuticals holdings co""".split()
)
"""Last words of organisations' and outlets' names ("Nova Scotia Health Authority", "New York Times")."""

MEDIA_HEADS = frozenset(
    """times post news journal tribune herald guardian telegraph globe press gazette daily magazine
    radio television tv""".split()
)
"""Last words of outlets' names ("the New York Times", "CBC News"): an organisation that is media."""

SOURCE_DOCUMENTS = frozenset(
    """ad ads clip video spot commercial memo dossier editorial op-ed transcript book poll article
    piece story column bill law rules bylaws guidance policy indictment affidavit""".split()
)
"""Texts that are a source of their own ("the ad says"), besides :data:`DOCUMENT_NOUNS`."""

PERSON_NOUNS = frozenset(
    """parent friend neighbour neighbor owner victim survivor student teacher worker employee
    member fan user voter customer patient person citizen resident doctor nurse scientist
    lawyer attorney witness veteran athlete player rookie star actor actress artist author
    writer activist entrepreneur immigrant refugee mechanic farmer labourer laborer proprietor
    retiree teenager youngster graduate designer chef photographer filmmaker musician
    singer dancer novelist poet historian""".split()
)
"""Head nouns of descriptions of one person by what they are ("the Cambridge resident")."""

DOCUMENT_NOUNS = frozenset(
    """statement release report document letter study survey assessment filing post tweet paper
    memo email website findings lawsuit complaint ruling decision notice submission""".split()
)
"""Head nouns of texts that speak for their author: "the union's release" is the union speaking."""

SPEAKING_TEXTS = DOCUMENT_NOUNS | SOURCE_DOCUMENTS
"""Head nouns of texts that can be a quote's source: "the memo says", "the letter said"."""

PERSON_ROLES = frozenset(
    """president leader minister premier chancellor king queen prince pope secretary senator
    governor mayor ambassador general commander chief spokesman spokeswoman spokesperson
    director chairman chairwoman ceo founder professor judge official diplomat envoy head
    counterpart coach captain""".split()
)
"""Head nouns of descriptions that name one person ("the Russian leader", "the Chinese president")."""

PLACE_HEADS = frozenset(
    """county city town village township district region province state school college
    university academy hospital clinic street avenue road highway bridge park square centre
    center church cathedral mosque temple hall house hotel arena stadium airport station
    island islands lake river bay mountain mountains valley beach open cup championship
    league games award awards prize foundation museum library court authority corporation
    states kingdom nations union republic emirates affairs relations""".split()
)
"""Last words that make a capitalised phrase a place, body or event ("Douglas County",
"Houston Open"), not a person, even after a first name."""

PRONOUNS = frozenset("he she they it we i".split())

NOUNS_IN_LY = frozenset(
    """assembly family ally rally supply monopoly oligopoly anomaly daily weekly monthly quarterly
    bully belly jelly lily folly reply homily panoply butterfly""".split()
)
"""Nouns that end like an adverb ("the assembly said" is not "he finally said")."""


def is_adverb(word: str) -> bool:
    """Whether a lower-case word reads as an adverb in -ly ("finally", "repeatedly")."""
    return word.endswith("ly") and len(word) > 4 and word not in NOUNS_IN_LY


SKIPPABLE_BEFORE_CUE = frozenset(
    """also later then has had have was were is are been would will had previously repeatedly again
    once further recently earlier separately reportedly has~since told must may might could should
    can""".split()
)
"""Words that may stand between a speaker and the cue verb ("Putin also said")."""

TIME_WORDS = frozenset(
    """today yesterday tonight monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    on in last this earlier recently""".split()
)
"""Words that may follow a cue verb before the reported clause ("said Thursday that")."""

NAME_PARTICLES = frozenset("de van von der den bin al el da la le del di du st. mc".split())

FUNCTION_WORDS = frozenset(
    """and but or so then while as in on at for with when after before because if though although
    this that these those there here it its his her their our my your the a an of to from by into
    however meanwhile yet also just still about across against along among around behind below
    beside between beyond during inside near outside over past through throughout toward towards
    under upon within without""".split()
)
"""Words that are never part of a name, even capitalised at the start of a sentence."""

QUANTIFIERS = frozenset("many some most several few both each every all".split())
"""Words that count people ("Many users report …"): capitalised at a sentence start, never a name."""

CONNECTIVES = frozenset(
    """later then nonetheless nevertheless still first finally instead meanwhile however rather
    afterwards afterward eventually now again yet so but and besides moreover indeed perhaps maybe
    certainly clearly obviously surely sometimes often""".split()
)
"""Sentence adverbs that open a fronted phrase before the subject ("Later that month, …",
"Besides Demi, …"): not a name, though capitalised."""


def _first_names() -> dict[str, str]:
    lines = resources.files(__package__).joinpath("first_names.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t") for line in lines.splitlines() if line and not line.startswith("#"))


FIRST_NAMES: dict[str, str] = _first_names()
"""First names (lower case) given to at least 500 people in US birth records, with their usual
gender: "f", "m", or "u" when neither holds 85% (built by ``scripts/first_names.py``)."""
