"""Article text → entities and relations, using spaCy's parse and geokg's lexicons.

Two passes over the article:

1. **Mentions**: gazetteer phrases (countries, capitals, demonyms, organisations,
   places, titles, issues), capitalised names with a telling head word ("…
   Council", "… Agreement", "… Forum"), spaCy's named entities, persons
   introduced by a title, and noun phrases headed by agreement or event words.
   Mentions are then resolved to one entity per real thing (surnames to full
   names, acronyms to their long form, capitals used as actors to their country).
2. **Relations**: rules over the dependency parse of each sentence (verb and
   noun triggers with their subjects and objects, titles, appositions,
   membership copulas, event participants and venues), skipping negated,
   hedged and unattributed statements.

Examples:
    >>> from kg.reader import read_text
    >>> ex = extract(read_text("Japan and France signed the Paris Agreement."))
    >>> sorted(e.label for e in ex.entities if e.cls == "Country")
    ['France', 'Japan']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .lexicon import Lexicon, load_lexicon
from .model import Document, Entity, Evidence, Extraction, Relation
from .vocab import slug

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span, Token

ORG_HEADS = {
    "council", "organization", "organisation", "agency", "ministry", "commission", "group", "holdings",
    "association", "federation", "collective", "party", "union", "bank", "fund", "police", "navy", "army",
    "force", "forces", "guard", "corporation", "company", "institute", "committee", "community",
    "secretariat", "parliament", "assembly", "court", "office", "department", "service", "authority",
    "solution", "solutions", "technology", "technologies", "industries", "steelworkers", "coalition",
    "front", "movement", "network", "foundation", "inc", "corp", "ltd", "airlines", "energy", "motors",
    "systems", "aviation", "sistemas", "chamber", "board", "cabinet", "senate", "congress", "mission",
    "programme", "program", "alliance", "bureau", "directorate", "administration", "government",
    "brigade", "militia", "faction", "league", "tribunal", "club", "circle", "unit",
}
AGREEMENT_NAME_HEADS = {
    "agreement", "treaty", "pact", "accord", "declaration", "convention", "protocol", "charter",
    "memorandum", "resolution", "compact", "act", "partnership", "deal", "framework", "initiative",
}
EVENT_NAME_HEADS = {"summit", "forum", "conference", "show", "games", "expo", "olympics", "congress",
                    "dialogue", "war", "talks", "exercise", "exercises"}
LOCATION_NAME_HEADS = {
    "route", "sea", "strait", "field", "bay", "island", "islands", "province", "region", "base", "house",
    "hill", "canal", "gulf", "peninsula", "port", "ocean", "river", "valley", "desert", "mountains",
    "square", "palace", "street", "airport", "district", "state", "county", "city", "coast", "reef",
    "reefs", "shoal", "harbour", "harbor", "de",
}
CONNECTORS = {"of", "the", "for", "and", "de", "du", "des", "la", "le", "on", "&", "-", "–", "al", "bin",
              "von", "van", "der", "del", "da", "di"}
PRONOUNS_PERSON = {"he", "she", "him", "her", "his", "hers"}
PRONOUNS_GROUP = {"they", "them", "their", "theirs"}
PRONOUNS_THING = {"it", "its"}
SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
CLASS_OF_KIND = {
    "country": "Country", "capital": "Country", "demonym": "Country", "org": "Organization",
    "person": "Person", "region": "Location", "city": "Location", "location": "Location",
    "agreement": "Agreement", "event": "Event", "issue": "Issue",
}
ACTORS = {"Person", "Country", "Organization"}
DASHES = "-–—‐‑−"


@dataclass
class Mention:
    """A span of one sentence that names (or refers back to) an entity."""

    start: int  # token index in the paragraph doc
    end: int  # exclusive
    kind: str
    key: str = ""
    text: str = ""
    label: str = ""
    aliases: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


@dataclass
class Ent:
    key: str
    cls: str
    label: str
    aliases: list[str] = field(default_factory=list)
    order: int = 0
    titles: set[str] = field(default_factory=set)
    head: str = ""
    words: frozenset[str] = frozenset()
    attributes: dict[str, str] = field(default_factory=dict)
    keep: bool = True
    seen_at: list[tuple[int, int]] = field(default_factory=list)  # (sentence index, token) of each mention
    aside_at: set[tuple[int, int]] = field(default_factory=set)  # those inside a relative clause

    def add_alias(self, alias: str) -> None:
        alias = _clean_label(alias)
        if alias and alias != self.label and alias not in self.aliases:
            self.aliases.append(alias)


NAME_PARTICLES = {"bin", "al", "el", "ibn", "de", "van", "von", "da", "abu", "der", "den", "la", "le", "del",
                  "dos", "das", "do", "di", "du", "ter", "ten", "y", "bint", "ould"}

_PLAIN_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " "})


def _in_relative_clause(tok: Token) -> bool:
    """Is ``tok`` inside a relative clause ("…, which has accused X over a port deal, …")?"""
    return any(a.dep_ == "relcl" for a in tok.ancestors)


def _clean_label(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:\"'“”‘’()")
    text = re.sub(r"^(the|a|an|this|that|these|those|its|their|his|her|our)\s+", "", text, flags=re.I)
    return text.strip()


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2)


class _Sentence:
    """One sentence with its resolved mentions, as the relation rules see it."""

    def __init__(self, span: Span, offset: int, heading: bool, source: str) -> None:
        self.span = span
        self.offset = offset
        self.heading = heading
        self.mentions: list[Mention] = []
        self.token_key: dict[int, str] = {}
        # the exact characters of the document (the parser saw no-break spaces as spaces),
        # without the whitespace spaCy keeps at a sentence's end
        start = offset + span.start_char
        text = source[start:offset + span.end_char].rstrip()
        self.start_char, self.end_char, self.text = start, start + len(text), text


class Extractor:
    """Runs both passes over one document. Use :func:`extract`."""

    def __init__(self, document: Document, lexicon: Lexicon, nlp: Any,
                 known_people: Mapping[str, tuple[str, str]] | None = None) -> None:
        self.doc = document
        self.lex = lexicon
        # surname -> (person key, full name) of people named in full by earlier articles
        self.known_people = known_people or {}
        self.nlp = nlp
        self.trig = lexicon.triggers
        self.entities: dict[str, Ent] = {}
        self.relations: list[Relation] = []
        self.sentences: list[_Sentence] = []
        self.article_key = document.key
        self._order = 0
        self._tables = _surface_tables(lexicon, nlp)
        self.acronyms: dict[str, str] = {}
        self.recent: list[tuple[int, str]] = []  # (global order, key) in reading order
        self._issue_seen: set[str] = set()
        self._org_names: set[str] = set()
        self._issue_tokens: set[int] = set()  # tokens of the issue mentions of the current sentence

    # ------------------------------------------------------------------ pass 0: text
    def paragraphs(self) -> list[tuple[int, str, bool]]:
        """(offset, text, is_heading) for the title and each paragraph of the body."""
        text = self.doc.text
        out: list[tuple[int, str, bool]] = []
        body_start = self.doc.body_start
        for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
            start, chunk = m.start(), m.group()
            if m.end() <= body_start:
                out.append((start, chunk, True))
                continue
            if start < body_start:
                chunk = chunk[body_start - start:]
                start = body_start
            stripped = chunk.strip()
            if not stripped:
                continue
            words = stripped.split()
            heading = len(words) <= 14 and not re.search(r"[.!?\"”:;)]$", stripped)
            lead = len(chunk) - len(chunk.lstrip())
            out.append((start + lead, chunk.strip(), heading))
        return out

    def parser_input(self) -> list[str]:
        """The texts (title, paragraphs) the parser reads, in order; see :meth:`run`."""
        # no-break spaces parse as stray SPACE tokens that derail the parser; one character
        # for one keeps every offset into the document text valid
        return [p[1].translate(_PLAIN_SPACES) for p in self.paragraphs()]

    def run(self, parsed: Iterable[Any] | None = None) -> Extraction:
        """Extract. ``parsed``: spaCy docs of :meth:`parser_input`, when the caller batches
        the parsing of many articles in one ``nlp.pipe``."""
        paras = self.paragraphs()
        docs = parsed if parsed is not None else self.nlp.pipe(self.parser_input())
        for (offset, _text, heading), pdoc in zip(paras, docs, strict=True):
            for sent in pdoc.sents:
                if not sent.text.strip():
                    continue
                s = _Sentence(sent, offset, heading, self.doc.text)
                self.find_mentions(s)
                self.sentences.append(s)
        self.resolve()
        self.relate()
        return self.result()

    # ------------------------------------------------------------------ pass 1: mentions
    def find_mentions(self, s: _Sentence) -> None:
        span = s.span
        taken: set[int] = set()
        found: list[Mention] = []

        def take(m: Mention) -> bool:
            if any(i in taken for i in range(m.start, m.end)):
                return False
            taken.update(range(m.start, m.end))
            found.append(m)
            return True

        if s.heading:
            # title case makes "U.S. Steel Tariffs" look like a company: headlines name
            # countries and public bodies only
            s.mentions = [m for m in self._gazetteer(span) if m.kind == "country" or m.kind == "org"
                          and self.lex.orgs[m.key].kind != "company"]
            return
        gazetteer = self._gazetteer(span)
        for m in gazetteer:  # a known treaty's name wins over guessing from "… Agreement"
            if m.kind == "agreement":
                m.extra["named"] = True
                take(m)
        for m in self._capitalised_names(span):
            take(m)
        # a name right after a title is a person even when a place has that name
        # ("President Santiago Peña"); names of known places or bodies stay what they are
        own = set(taken) | {i for m in gazetteer if m.kind == "country" or m.kind == "org" and (
            m.end - m.start > 1 or m.text.isupper()) for i in range(m.start, m.end)}
        for m in self._titled_persons(span, own):
            if take(m):
                taken.update(i for i in range(m.extra["title_start"], m.start) if i not in own)
        for m in gazetteer:
            if m.kind == "issue" and any(i in self._title_tokens(span) for i in range(m.start, m.end)):
                continue  # "Energy Minister" names an office, not the issue
            take(m)
        for m in self._named_entities(span):
            take(m)
        inner = list(found)
        self._issue_tokens = {i for m in found if m.kind == "issue" for i in range(m.start, m.end)}
        phrases = []
        for m in self._noun_phrases(span, taken):
            head_i = m.extra.get("head_i", m.start)
            if head_i in taken or any(p.start <= head_i < p.end for p in phrases):
                continue
            phrases.append(m)
        # names inside a phrase ("Trump–Takaichi summit") or inside a proper name
        # ("U.S.–Japan Security Treaty") stay available as inner mentions
        for m in found + phrases:
            if m.kind == "agreement" and m.key in self.lex.agreements:
                # a known treaty: the countries its name joins are its parties ("U.S.–Japan …")
                words = span.doc[m.start:m.end - 1]
                m.extra["inner"] = [x for x in self._gazetteer(words) if x.kind == "country"]
            elif m.kind in ("agreement", "event"):
                m.extra["inner"] = [x for x in inner + self._gazetteer(span)
                                    if x is not m and m.start <= x.start and x.end <= m.end]
        found.extend(phrases)
        found.sort(key=lambda m: (m.start, -m.end))
        self._acronym_definitions(span, found)
        s.mentions = found

    def _gazetteer(self, span: Span) -> list[Mention]:
        out = []
        toks = [t.text for t in span]
        lows = [t.lower() for t in toks]
        i = 0
        exact, lower = self._tables
        while i < len(toks):
            hit = None
            for n in range(min(8, len(toks) - i), 0, -1):
                seq = tuple(toks[i:i + n])
                if seq in exact:
                    hit = (n, exact[seq])
                    break
                lseq = tuple(lows[i:i + n])
                if lseq in lower:
                    hit = (n, lower[lseq])
                    break
            if hit is None:
                i += 1
                continue
            n, (kind, key) = hit
            start = span.start + i
            text = span.doc[start:start + n].text
            if kind == "issue" and not self._issue_ok(span.doc[start:start + n]):
                i += n
                continue
            out.append(Mention(start, start + n, kind, key, text))
            i += n
        return out

    def _issue_ok(self, sp: Span) -> bool:
        # an issue word used as a plain adjective or inside a proper name is not an issue
        if any(t.pos_ == "PROPN" and t.text[:1].isupper() and t.i != sp.start for t in sp):
            return False
        root = sp.root
        return (root.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") and root.dep_ != "amod"
                or root.dep_ == "compound")

    def _capitalised_names(self, span: Span) -> list[Mention]:
        """Proper names whose last word tells the class: '… Council', '… Treaty', '… Forum'."""
        out = []
        toks = list(span)
        i = 0
        while i < len(toks):
            t = toks[i]
            if not _is_cap(t) or t.is_sent_start and (t.lower_ in ("the", "a", "an") or t.pos_ == "NOUN" and (
                    i + 1 < len(toks) and toks[i + 1].lower_ == "of")):
                i += 1  # "Leaders of the Group of Seven …": a capital only because it starts the sentence
                continue
            j = i
            last_cap = i
            while j + 1 < len(toks):
                nxt = toks[j + 1]
                if _is_cap(nxt) or nxt.like_num and _is_cap(toks[j]):
                    j += 1
                    last_cap = j
                elif nxt.lower_ in CONNECTORS and j + 2 < len(toks) and toks[j + 2].ent_type_ not in (
                        "DATE", "TIME") and not (nxt.lower_ == "and" and toks[j + 2].lower_ == "the") and (
                        _is_cap(toks[j + 2]) or toks[j + 2].lower_ in ("the",) and j + 3 < len(toks)
                        and _is_cap(toks[j + 3])):
                    j += 1
                else:
                    break
            end = last_cap + 1
            start = i
            # "General Secretary of the Communist Party of China Xi Jinping": the office is
            # not part of the organisation's name (the person is read by _titled_persons)
            lows = [x.lower_ for x in toks]
            n = self._title_at(lows, start)
            if n and start + n < end and lows[start + n] == "of":
                start += n + 1
            while start < end and toks[start].lower_ in ("the", "a", "an"):
                start += 1
            if end - start >= 2:
                head = toks[end - 1].lower_
                words = [x.lower_ for x in toks[start:end]]
                kind = None
                at = next((k2 for k2, w in enumerate(words[:-1]) if words[k2 + 1] in ("of", "for", "on")
                           and w in ORG_HEADS | AGREEMENT_NAME_HEADS | EVENT_NAME_HEADS), None)
                inner_head = words[at] if at is not None else None
                if inner_head and head not in AGREEMENT_NAME_HEADS | EVENT_NAME_HEADS | ORG_HEADS:
                    head = inner_head
                    if head == "forum":
                        head = "organization"
                    # "… Party of Vietnam To Lam": a place name closes "X of Y"; a name may follow
                    rest = start + at + 2
                    places = self.lex.country_by_surface.keys() | self.lex.regions.keys()
                    if rest + 1 < end and toks[rest].text in places and toks[rest + 1].text[:1].isupper():
                        end = rest + 1
                        words = words[:at + 3]
                if head in AGREEMENT_NAME_HEADS or toks[end - 1].like_num and words[-2] in (
                        "resolution", "agreement"):
                    kind = "agreement"
                elif head in EVENT_NAME_HEADS and not (end < len(toks) and toks[end].lower_ in ("for", "of")
                                                       and head == "forum"):
                    kind = "event"
                elif head in ORG_HEADS or (head == "forum"):
                    kind = "org"
                elif head in LOCATION_NAME_HEADS:
                    kind = "location"
                if kind:
                    sp = span.doc[span.start + start:span.start + end]
                    # a known country/organisation name is not re-labelled by its head word
                    if sp.text in self.lex.org_by_surface:
                        kind = "org"
                    elif sp.text in self.lex.country_by_surface:
                        kind = "country"
                    out.append(Mention(sp.start, sp.end, kind, "", sp.text, extra={"named": True}))
            i = max(end, i + 1)
        return out

    def _titled_persons(self, span: Span, taken: set[int]) -> list[Mention]:
        """'Prime Minister Mark Carney', 'Its finance minister, Ana Lopez' — a title then a name."""
        out = []
        toks = list(span)
        lows = [t.lower_ for t in toks]
        i = 0
        while i < len(toks):
            n = self._title_at(lows, i)
            if not n:
                i += 1
                continue
            j = i + n
            title_end = span.start + j
            # "President of the European Commission Ursula von der Leyen": the office's owner
            # (already read as a name) sits between the title and the person
            title_of = None
            if j < len(toks) and lows[j] == "of":
                k2 = j + 1 + (j + 1 < len(toks) and lows[j + 1] == "the")
                if k2 < len(toks) and span.start + k2 in taken:
                    title_of = span.start + k2
                    while k2 < len(toks) and span.start + k2 in taken:
                        k2 += 1
                    j = k2
            if j < len(toks) and toks[j].text == ",":
                j += 1
            k = j
            while k < len(toks) and (toks[k].text in self.lex.honorifics or self._title_at(lows, k)):
                k += self._title_at(lows, k) or 1
            start = k
            k = _name_end(toks, k, after_title=True)
            if k > start and not any(span.start + x in taken for x in range(start, k)):
                name = span.doc[span.start + start:span.start + k]
                if not self._is_known_non_person(name.text):
                    extra = {"title_start": span.start + i}
                    if title_of is not None:
                        extra.update(title_of=title_of, title_end=title_end)
                    out.append(Mention(name.start, name.end, "person", "", name.text, extra=extra))
            i = max(i + n, k)
        return out

    def _title_tokens(self, span: Span) -> set[int]:
        lows = [t.lower_ for t in span]
        out: set[int] = set()
        i = 0
        while i < len(lows):
            n = self._title_at(lows, i)
            if n and (i + n < len(lows) and (span[i + n].text[:1].isupper() or span[i + n].text == ",")):
                out.update(range(span.start + i, span.start + i + n))
                i += n
            else:
                i += 1
        return out

    def _title_at(self, lows: list[str], i: int) -> int:
        """Length in tokens of the title of office starting at ``lows[i]`` (0: none).

        A rank word before a title ("Assistant Secretary of State", "Deputy Prime
        Minister") is part of it when the longer reading covers more words.
        """
        best = 0
        for n in (4, 3, 2, 1):
            if i + n <= len(lows):
                phrase = " ".join(lows[i:i + n]).replace(" - ", " ").replace("-", " ")
                if phrase in self.lex.titles:
                    best = n
                    break
        if i + 1 < len(lows) and lows[i] in self.trig["rank_words"]:
            rest = self._title_at(lows, i + 1)
            if rest and rest + 1 > best:
                return rest + 1
        return best

    def _is_known_non_person(self, text: str) -> bool:
        lex = self.lex
        return (text in lex.country_by_surface or text in lex.org_by_surface or text in lex.capital_by_surface
                or text in lex.demonym_by_surface or text in lex.regions or text in lex.cities)

    def _named_entities(self, span: Span) -> list[Mention]:
        out = []
        for ent in span.ents:
            sp = ent
            while len(sp) and sp[0].lower_ in ("the", "a", "an") or len(sp) and sp[0].is_punct:
                sp = sp[1:]
            if not len(sp):
                continue
            label = ent.label_
            text = sp.text
            if label == "PERSON":
                # strip honorifics and titles written inside the entity
                k = 0
                while k < len(sp) - 1 and (sp[k].text in self.lex.honorifics
                                           or self._title_at([t.lower_ for t in sp], k)):
                    k += self._title_at([t.lower_ for t in sp], k) or 1
                title_start = sp.start if k else None
                sp = sp[k:]
                end = _name_end(list(sp.doc[sp.start:sp.sent.end]), 0) + sp.start
                if end > sp.end:
                    sp = sp.doc[sp.start:end]
                if any(t.text in ("’s", "'s") for t in sp):
                    continue
                if self._is_known_non_person(sp.text):
                    continue
                if title_start is None and self._names_a_place(sp):
                    out.append(Mention(sp.start, sp.end, "location", "", sp.text))
                    continue
                extra = {"title_start": title_start} if title_start is not None else {}
                out.append(Mention(sp.start, sp.end, "person", "", sp.text, extra=extra))
            elif label == "ORG":
                if not any(t.text[:1].isupper() for t in sp) or len(text) < 2:
                    continue
                if len(sp) == 1 and sp[0].is_sent_start and sp[0].pos_ in ("NOUN", "ADJ") \
                        and not sp[0].text.isupper():
                    continue  # "Ships will call …": capitalised only because it starts the sentence
                if any(t.lower_ in self.trig["event_heads"] for t in sp[-1:]):
                    continue
                if self._names_a_place(sp):
                    out.append(Mention(sp.start, sp.end, "location", "", text))
                    continue
                out.append(Mention(sp.start, sp.end, "org_ner", "", text))
            elif label in ("GPE", "LOC", "FAC"):
                if text in self.lex.country_by_surface or len(text) < 3:
                    continue
                out.append(Mention(sp.start, sp.end, "location", "", text))
            elif label == "EVENT":
                out.append(Mention(sp.start, sp.end, "event", "", text, extra={"named": True}))
            elif label == "LAW":
                # a named law or treaty says what it is ("… Act", "… Treaty"); NER also tags
                # stray names as LAW
                heads = AGREEMENT_NAME_HEADS | set(self.trig["agreement_heads"])
                if any(t.lower_ in heads for t in sp) or sp[-1].like_num and len(sp) > 1:
                    out.append(Mention(sp.start, sp.end, "agreement", "", text, extra={"named": True}))
        return out

    def _names_a_place(self, sp: Span) -> bool:
        """'the Donetsk and Luhansk regions', 'the town of Bakhmut': a name naming a place noun."""
        tok = sp.root
        while tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
        places = self.trig["place_nouns"]
        if tok.dep_ == "pobj" and tok.head.lower_ == "of":  # "the town of Bakhmut"
            return tok.head.head.lemma_.lower() in places
        return tok.dep_ in ("compound", "nmod") and tok.head.lemma_.lower() in places

    def _noun_phrases(self, span: Span, taken: set[int]) -> list[Mention]:
        """Agreements and events named by a noun phrase: 'a new framework for lithium cooperation'."""
        out = []
        agr = set(self.trig["agreement_heads"])
        evt = set(self.trig["event_heads"])
        for tok in span:
            if tok.pos_ not in ("NOUN", "PROPN") or tok.i in taken:
                continue
            lemma = tok.lower_ if tok.lower_ in agr | evt else tok.lemma_.lower()
            if lemma in agr and tok.lower_ not in ("sanctions",):
                kind = "agreement"
            elif lemma in evt or tok.lower_ in evt:
                kind = "event"
            else:
                continue
            if tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN"):
                continue  # "summit meeting": the head noun decides
            if tok.tag_ in ("NNS", "NNPS") and tok.lower_ not in self.trig["plural_event_heads"]:
                continue  # "political meetings", "votes": plural heads are rarely one identified thing
            if kind == "event" and lemma in self.trig["figurative_event_heads"] and any(
                    c.dep_ == "prep" and c.lower_ in ("on", "against") and any(
                        p.dep_ == "pobj" and p.i in self._issue_tokens for p in c.children)
                    for c in tok.children):
                continue  # "an attack on supply chains" is a complaint, not an event
            m = self._phrase_mention(tok, kind, taken)
            if m:
                out.append(m)
        return out

    def _phrase_mention(self, head: Token, kind: str, taken: set[int]) -> Mention | None:
        generic = set(self.trig["generic_modifiers"])
        needs_mod = set(self.trig["agreement_heads_needing_modifier"]) | set(
            self.trig["event_heads_needing_modifier"])
        left = [c for c in head.lefts if c.dep_ in ("amod", "compound", "nmod", "nummod", "quantmod",
                                                    "poss", "det", "npadvmod", "punct", "case")]
        start = min([head.i] + [min(t.i for t in c.subtree) for c in left])
        toks = [t for t in head.doc[start:head.i + 1]]
        det = next((t for t in toks if t.dep_ == "det"), None)
        poss = [c for c in head.lefts if c.dep_ == "poss" and c.ent_type_ not in ("DATE", "TIME")]
        if det is None and any(c.dep_ == "poss" and c.ent_type_ in ("DATE", "TIME") for c in head.lefts):
            det = next(c for c in head.lefts if c.dep_ == "poss")  # "Wednesday's agreement" = "the agreement"
        content = [t for t in toks if t.i != head.i and t.dep_ not in ("det", "punct", "case", "poss")
                   and t.lower_ not in generic and not t.like_num and t.pos_ not in ("NUM", "SYM")
                   and t.lower_ not in ("$", "%", "billion", "million", "percent")
                   and not any(t.i >= p.i and t.i <= max(x.i for x in p.subtree) for p in poss)]
        # right side: one or two prepositional phrases ("visit to Nairobi", "framework for lithium …")
        right_end = head.i + 1
        for c in head.rights:
            if any(t.ent_type_ in ("DATE", "TIME") for t in c.children if t.dep_ == "pobj"):
                break  # "a memorandum on Monday": when, not what
            if c.dep_ == "prep" and c.lower_ in ("to", "in", "at", "on", "with", "between", "of", "for",
                                                 "over", "against", "near", "by") and c.i == right_end:
                sub = list(c.subtree)
                # commas only inside a list ("talks on drought, trade and security")
                listed = all(t.head.dep_ == "conj" or any(x.dep_ == "conj" for x in t.head.children)
                             for t in sub if t.text == ",")
                if len(sub) <= 12 and listed and not any(t.text in (";", "(", "—", "–") for t in sub):
                    right_end = max(t.i for t in sub) + 1
                elif len(sub) > 10:
                    # keep the preposition and its object's own modifiers only
                    pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                    if pobj is not None:
                        right_end = pobj.i + 1
                break
        if start < head.i and any(t.ent_type_ in ("DATE", "TIME") and t.dep_ == "poss" for t in toks):
            start = max(t.i for t in toks if t.ent_type_ in ("DATE", "TIME") or t.text in ("’s", "'s")) + 1
            toks = [t for t in toks if t.i >= start]
            content = [t for t in content if t.i >= start]
        # a phrase made only of names ("U.S.–Japan partnership") is a relationship, not an agreement
        named_only = content and all(t.ent_type_ in ("GPE", "PERSON", "NORP", "ORG") or t.text in DASHES
                                     for t in content)
        thing_heads = self.trig["agreement_heads"] + self.trig["event_heads"]
        predicative = head.dep_ == "oprd" or head.dep_ == "attr" and any(
            c.dep_ == "nsubj" and c.lemma_.lower() in thing_heads for c in head.head.children)
        if det is not None and det.lower_ in ("a", "an") and predicative:
            return None  # "called the deal a win-win agreement": says what it is, names nothing new
        if kind == "agreement" and head.lower_ in self.trig["weak_agreement_heads"]:
            has_prep = right_end > head.i + 1
            if named_only and not has_prep:
                return None
            if det is not None and det.lower_ in ("a", "an") and not has_prep and not any(
                    t.pos_ in ("NOUN", "PROPN") for t in content):
                return None
        if head.tag_ in ("NNS", "NNPS") and det is None and not poss and right_end == head.i + 1:
            return None
        # "a 2022 fire": a year makes an event one particular event
        dated = kind == "event" and any(re.fullmatch(r"(19|20)\d\d", t.text) for t in toks)
        bare = not content and right_end == head.i + 1 and not dated
        anaphoric = bare and (det is not None and (det.lower_ in self.trig["anaphoric_determiners"]
                                                   or det.dep_ == "poss")  # "Wednesday's agreement"
                              or poss and poss[0].lower_ in ("its", "their", "his", "her"))
        # "a protest organised by WALHI", "a rally held in Nairobi": a participle makes it one event
        described = kind == "event" and bare and not anaphoric and head.lower_ not in needs_mod and any(
            c.dep_ == "acl" and c.tag_ == "VBN" for c in head.children)
        if described:
            return Mention(head.i, head.i + 1, kind, "", head.text, label=head.lower_,
                           extra={"head": head.lemma_.lower(), "head_i": head.i, "poss": poss, "content": []})
        if bare and not anaphoric:
            if head.lower_ in needs_mod or det is not None and det.lower_ in ("a", "an", "any", "no") or (
                    det is None and not poss):
                return None
        if anaphoric:
            return Mention(head.i, head.i + 1, kind, "", head.text,
                           extra={"anaphoric": True, "head": head.lemma_.lower(), "poss": poss})
        if not content and not poss and head.lower_ in needs_mod and right_end == head.i + 1:
            return None
        doc = head.doc
        full = _clean_label(doc[start:right_end].text)
        poss_free_start = start
        for p in poss:
            poss_free_start = max(poss_free_start, max(x.i for x in p.subtree) + 1)
        short_core = [t for t in doc[poss_free_start:head.i + 1] if t.dep_ != "det"]
        forms = []
        no_poss = _clean_label(doc[poss_free_start:right_end].text)
        core = _clean_label(" ".join(t.text_with_ws for t in short_core).strip())
        no_generic = _clean_label("".join(t.text_with_ws for t in doc[poss_free_start:head.i + 1]
                                          if t.i == head.i or t in content or t.text in DASHES))
        for f in (full, no_poss, core, no_generic):
            f = re.sub(r"\s+([’']s)\b", r"\1", f)
            if f and f not in forms:
                forms.append(f)
        if not forms or forms[0].lower() in (head.lower_,) and not poss and head.lower_ in needs_mod:
            return None
        label = forms[0]
        if len(label.split()) > 14:
            label = forms[1] if len(forms) > 1 else label
        return Mention(start, right_end, kind, "", doc[start:right_end].text, label=label,
                       aliases=tuple(forms), extra={"head": head.lemma_.lower(), "head_i": head.i,
                                                    "poss": poss, "content": [t.i for t in content]})

    def _acronym_definitions(self, span: Span, found: list[Mention]) -> None:
        """'International Energy Agency (IEA)': the bracketed acronym becomes an alias."""
        doc = span.doc
        by_end = {m.end: m for m in found}
        for tok in span:
            if tok.text != "(" or tok.i + 2 >= len(doc):
                continue
            acr = doc[tok.i + 1]
            if doc[tok.i + 2].text != ")" or not re.fullmatch(r"[A-Z][A-Za-z0-9+&.-]{1,9}", acr.text):
                continue
            if sum(c.isupper() for c in acr.text) < 2:
                continue
            m = by_end.get(tok.i)
            if m is None:
                continue
            m.extra.setdefault("acronyms", []).append(acr.text)
            # the acronym token itself is part of the definition, not a second mention
            for other in list(found):
                if other.start == acr.i:
                    found.remove(other)

    # ------------------------------------------------------------------ resolution
    def _new_entity(self, key: str, cls: str, label: str, **kw: Any) -> Ent:
        ent = self.entities.get(key)
        if ent is None:
            self._order += 1
            ent = Ent(key, cls, label, order=self._order, **kw)
            self.entities[key] = ent
        return ent

    def resolve(self) -> None:
        # persons first: full names anchor the short forms used later (or earlier)
        full_names: dict[str, str] = {}
        for s in self.sentences:
            for m in s.mentions:
                if m.kind == "person":
                    name = _strip_possessive(m.text)
                    if len(name.split()) >= 2:
                        full_names.setdefault(name, "person/" + slug(name))
        tokens_to_person: dict[str, str] = {}
        for name, key in full_names.items():
            parts = name.replace("-", " ").split()
            for p in parts:
                if p.lower() in ("al", "bin", "de", "van", "von", "el", "ibn", "da"):
                    continue
                tokens_to_person.setdefault(p, key)
            tokens_to_person[parts[-1]] = key  # the surname wins
            tokens_to_person[name.split()[-1]] = key
        self._person_index = (full_names, tokens_to_person)

        for s in self.sentences:
            if s.heading:
                continue
            covered = {i for m in s.mentions if m.kind not in ("agreement", "event")
                       for i in range(m.start, m.end)}
            for t in s.span:
                # the tagger often reads a sentence-initial surname as a common noun ("Trump defended …")
                if t.i not in covered and (t.pos_ == "PROPN" or t.pos_ == "NOUN" and t.is_sent_start) \
                        and t.text in tokens_to_person and t.text[:1].isupper():
                    s.mentions.append(Mention(t.i, t.i + 1, "person", "", t.text))
            s.mentions.sort(key=lambda m: (m.start, -m.end))
        self._later_heads: dict = {}
        for s in self.sentences:
            self._mark_given_names(s)
        for n, s in enumerate(self.sentences):
            for m in s.mentions:
                if not m.extra.get("anaphoric") and "named_as" not in m.extra:
                    self._resolve_mention(s, m)
                    ent = self.entities.get(m.key) if m.key else None
                    if ent is not None and ent.cls in ("Agreement", "Event"):
                        self._later_heads.setdefault((ent.cls, ent.head), m.key)
                        ent.seen_at.append((n, m.start))
                        if _in_relative_clause(s.span.doc[m.extra.get("head_i", m.end - 1)]):
                            ent.aside_at.add((n, m.start))
        for n, s in enumerate(self.sentences):
            for m in s.mentions:
                if m.extra.get("anaphoric"):
                    m.extra["at"] = (n, m.start)
                    self._resolve_mention(s, m)
                    ent = self.entities.get(m.key)
                    if ent is not None and ent.cls in ("Agreement", "Event"):
                        ent.seen_at.append((n, m.start))
                elif "named_as" in m.extra:
                    other = m.extra["named_as"]
                    if other.key and other.key in self.entities:
                        m.key, m.kind = other.key, "known"
                        self.entities[other.key].add_alias(_strip_possessive(m.text))
                    else:
                        self._resolve_mention(s, m)
            for m in s.mentions:  # phrases point from their head word only, so inner names win
                if m.key and m.kind not in ("agreement", "event", "known") or m.key and m.extra.get("named"):
                    for i in range(m.start, m.end):
                        s.token_key.setdefault(i, m.key)
                elif m.key:
                    s.token_key[m.extra.get("head_i", m.start)] = m.key

    def _mark_given_names(self, s: _Sentence) -> None:
        """'… which Canadians call CUSMA', 'the Quad, also known as …': the name given is
        another name of the thing described, resolved with it."""
        by_token = {i: m for m in s.mentions for i in range(m.start, m.end)}
        for v in s.span:
            lemma = v.lemma_.lower()
            names, anchor = [], None
            if lemma in self.trig["naming_verbs"]:
                names = [c for c in v.children if c.dep_ in ("dobj", "oprd")]
                clause = v
                while clause.dep_ == "conj" and clause.head.i != clause.i:
                    clause = clause.head
                if clause.dep_ == "relcl" and any(c.lower_ in ("which", "that", "what") for c in v.children):
                    anchor = clause.head
            elif lemma == "know" and v.dep_ == "acl":
                names = [p for c in v.children if c.dep_ == "prep" and c.lower_ == "as"
                         for p in c.children if p.dep_ == "pobj"]
                anchor = v.head
            if anchor is None:
                continue
            target = by_token.get(anchor.i)
            for tok in names:
                m = by_token.get(tok.i)
                if m is not None and target is not None and m is not target \
                        and m.kind in ("org_ner", "org", "location", "agreement") \
                        and target.kind in ("agreement", "org", "event"):
                    m.extra["named_as"] = target

    def _dateline_city(self) -> str:
        """The dateline's city in lower case ("tromsø" for "TROMSØ, Norway"), or ''."""
        place = self.doc.dateline_place or ""
        return place.split(",")[0].strip().lower()

    def _person_key(self, text: str) -> tuple[str, str]:
        full_names, tokens_to_person = self._person_index
        name = _strip_possessive(text)
        if name in full_names:
            return full_names[name], name
        last = name.replace("-", " ").split()[-1] if name else name
        for cand in (name, last, name.split()[-1] if name else name):
            if cand in tokens_to_person:
                key = tokens_to_person[cand]
                return key, next(n for n, k in full_names.items() if k == key)
        if name in self.known_people:  # "Chancellor Merz", named in full by an earlier article
            return self.known_people[name]
        return "person/" + slug(name), name

    def _resolve_mention(self, s: _Sentence, m: Mention) -> None:
        lex = self.lex
        tok = s.span.doc[m.start]
        full_names, tokens_to_person = self._person_index
        if m.kind in ("org_ner", "location") and not m.extra.get("named"):
            text = _strip_possessive(m.text)
            if text in full_names or text in tokens_to_person:
                m.kind = "person"
            elif m.kind == "org_ner" and (text in lex.cities or text in lex.capital_by_surface
                                          or text.lower() == self._dateline_city()):
                m.kind = "location"
        if m.kind == "person" and len(_strip_possessive(m.text).split()) == 1 and tok.ent_type_ != "PERSON" \
                and _strip_possessive(m.text) not in tokens_to_person \
                and not ("title_start" in m.extra and _strip_possessive(m.text) in self.known_people):
            m.key = ""
            return  # a lone capitalised word after a title, unconfirmed by NER or a full name
        if m.kind == "person" and (self._renamed_as_org(s, m)
                                   or _strip_possessive(m.text) in self._org_names):
            m.kind = "org"
            m.extra["renamed"] = True
            self._org_names.add(_strip_possessive(m.text))
        if m.kind == "org_ner":
            text = _strip_possessive(m.text)
            if text in self.acronyms:
                m.kind, m.key = "known", self.acronyms[text]
                self.entities[m.key].add_alias(text)
                return
            else:
                m.kind = "org"
        if m.kind == "person":
            key, full = self._person_key(m.text)
            ent = self._new_entity(key, "Person", full)
            ent.add_alias(_strip_possessive(m.text))
            if "title_start" in m.extra:
                title = s.span.doc[m.extra["title_start"]:m.start].text.strip(" ,")
                ent.add_alias(f"{title} {_strip_possessive(m.text)}")
                ent.titles.add(title.lower())
            m.key = key
        elif m.kind == "country":
            iso = lex.country_by_surface.get(m.text) or lex.country_by_surface.get(_strip_possessive(m.text))
            if iso is None:
                m.kind = "org"
                return self._resolve_mention(s, m)
            self._country(m, iso, m.text)
        elif m.kind == "capital":
            iso = lex.capital_by_surface[m.text]
            if self._capital_is_actor(tok, s):
                self._country(m, iso, m.text)
            else:
                name = m.text
                m.key = "location/" + slug(name)
                self._new_entity(m.key, "Location", name)
                m.kind = "location"
                if tok.dep_ in ("amod", "compound") \
                        and tok.head.lemma_.lower() not in self.trig["event_heads"]:
                    self.entities[m.key].keep = getattr(self.entities[m.key], "keep", False) and True
        elif m.kind == "demonym":
            iso = lex.demonym_by_surface[m.text]
            m.key = "country/" + iso
            m.extra["demonym"] = True  # an entity only if a relation needs it
        elif m.kind == "org":
            text = _strip_possessive(m.text)
            key = lex.org_by_surface.get(text)
            if key is None and text in self.acronyms:
                m.key = self.acronyms[text]
                self.entities[m.key].add_alias(text)
                return
            if key is not None:
                org = lex.orgs[key]
                m.key = "org/" + key
                ent = self._new_entity(m.key, "Organization", org.name)
                if text != org.name:
                    ent.add_alias(text)
            else:
                if _looks_like_person_name(text) and tok.ent_type_ == "PERSON" and not m.extra.get("renamed"):
                    m.kind = "person"
                    return self._resolve_mention(s, m)
                owner = self._institution_owner(s, m, text)
                if owner:
                    # "Iran's Foreign Ministry": one per country, named with the demonym
                    country = lex.countries[owner]
                    label = f"{country.demonyms[0]} {text}" if country.demonyms else f"{country.name} {text}"
                    m.key = "org/" + slug(label)
                    ent = self._new_entity(m.key, "Organization", label)
                    ent.add_alias(f"{country.name}'s {text}")
                    ent.add_alias(text)
                else:
                    m.key = "org/" + slug(text)
                    self._new_entity(m.key, "Organization", text)
            for a in m.extra.get("acronyms", []):
                self.acronyms[a] = m.key
                self.entities[m.key].add_alias(a)
        elif m.kind in ("region", "city", "location"):
            text = _strip_possessive(m.text)
            if text in lex.capital_by_surface and m.kind == "location":
                m.kind = "capital"
                m.text = text
                return self._resolve_mention(s, m)
            if text in self.acronyms:
                m.key = self.acronyms[text]
                return
            name = lex.regions.get(text) or (lex.cities.get(text) or (text, ""))[0]
            if m.kind == "region" and text != name and len(text) < len(name):
                name = text  # labelled as written ("Pacific"), the gazetteer name kept as an alias
            m.key = "location/" + slug(lex.regions.get(text) or name)
            ent = self._new_entity(m.key, "Location", name)
            ent.add_alias(text)
            ent.add_alias(lex.regions.get(text) or name)
            if not hasattr(ent, "_seen"):
                ent.keep = False
                ent._seen = True  # type: ignore[attr-defined]
            root = s.span.doc[m.start:m.end].root
            if root.dep_ not in ("amod", "compound", "nmod") or m.kind == "location" and m.extra.get("named"):
                ent.keep = True
        elif m.kind == "issue":
            root = s.span.doc[m.start:m.end].root
            standalone = root.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj", "attr", "appos") \
                and root.head.pos_ != "NOUN" \
                or root.dep_ == "pobj" and root.head.lower_ in ("on", "over", "about")
            self.issue_entity(m.key, m.text, standalone)
        elif m.kind == "agreement" and m.key in lex.agreements:
            entry = lex.agreements[m.key]
            m.key = "agreement/" + entry.key
            m.kind = "known"
            last = entry.name.split()[-1].lower()
            heads = AGREEMENT_NAME_HEADS | set(self.trig["agreement_heads"])
            head = last if last in heads else "agreement"
            ent = self._new_entity(m.key, "Agreement", entry.name, head=head,
                                   words=_content_words(entry.name))
            ent.add_alias(_strip_possessive(m.text))
        elif m.kind in ("agreement", "event"):
            self._resolve_phrase(s, m)

    def issue_entity(self, key: str, surface: str, standalone: bool = False) -> str:
        concept = self.lex.issues[key]
        written = surface.lower() if not surface.isupper() else surface
        ent = self._new_entity(key, "Issue", written)
        ent.add_alias(written)
        ent.add_alias(concept.label)
        if key not in self._issue_seen:
            self._issue_seen.add(key)
            ent.keep = False  # kept when a relation uses it or the text treats it as a subject
        ent.keep = ent.keep or standalone
        return key

    def _country(self, m: Mention, iso: str, surface: str) -> None:
        country = self.lex.countries[iso]
        m.key = "country/" + iso
        m.kind = "country"
        ent = self._new_entity(m.key, "Country", country.name, attributes={"isoCode": iso})
        surface = _strip_possessive(surface)
        if surface != country.name:
            ent.add_alias(surface)

    def _institution_owner(self, s: _Sentence, m: Mention, text: str) -> str | None:
        """ISO code of the country a generic institution name belongs to ("Iran's Foreign
        Ministry", "the Japanese Defence Ministry"), or None for a name of its own."""
        generic = self.trig["generic_institution_words"]
        if not all(w.lower() in generic for w in re.findall(r"[A-Za-z]+", text)):
            return None
        doc = s.span.doc
        k = m.start - 1
        if k >= s.span.start and doc[k].text in ("'s", "’s", "'", "’"):
            k -= 1
        if k < s.span.start:
            return None
        key = s.token_key.get(k) or ""
        if key.startswith("country/"):
            return key.split("/", 1)[1]
        before = doc[k].text
        return self.lex.demonym_by_surface.get(before) or self.lex.country_by_surface.get(before)

    def _renamed_as_org(self, s: _Sentence, m: Mention) -> bool:
        """'Barrio Unido, the gang led by …': an apposition says what kind of thing a name is."""
        heads = ORG_HEADS | {"gang", "firm", "bloc", "group", "consortium", "collective"}
        doc = s.span.doc
        tok = doc[m.end - 1]
        for c in tok.children:
            if c.dep_ == "appos" and c.lemma_.lower() in heads:
                return True
        # read off the words too, as the parser often splits such an apposition off:
        # "X, the gang led by …", "designated X a terrorist organisation"
        k = m.end + (m.end < s.span.end and doc[m.end].text == ",")
        if k < s.span.end and doc[k].lower_ in ("the", "a", "an"):
            for j in range(k + 1, min(k + 4, s.span.end)):
                w = doc[j]
                if w.lemma_.lower() in heads and w.pos_ == "NOUN":
                    nxt = doc[j + 1] if j + 1 < s.span.end else None
                    return nxt is None or nxt.text not in ("'s", "’s") and nxt.lower_ != "of"
                if w.pos_ not in ("ADJ", "NOUN") and w.dep_ not in ("amod", "compound"):
                    break
        return False

    def _capital_is_actor(self, tok: Token, s: _Sentence) -> bool:
        """'Beijing said', 'pressure from Washington' → the country; 'talks in Tokyo' → a place."""
        head = tok
        while head.dep_ in ("compound", "flat") and head.head.pos_ == "PROPN" and head.head.i != head.i:
            head = head.head
        dep = head.dep_
        if dep == "conj":
            first = head
            while first.dep_ == "conj" and first.head.i != first.i:
                first = first.head
            dep = first.dep_
            head = first
        if dep in ("nsubj", "nsubjpass", "poss", "dobj", "appos", "agent", "dative"):
            return True
        if dep == "compound":
            people = self.trig["people_nouns"]
            return head.head.lower_ in people or head.head.lemma_ in people
        if dep == "pobj":
            prep = head.head.lower_
            return prep in ("between", "with", "from", "by", "against", "on", "toward", "towards", "for")
        return False

    def _resolve_phrase(self, s: _Sentence, m: Mention) -> None:
        cls = "Agreement" if m.kind == "agreement" else "Event"
        if m.extra.get("anaphoric"):
            key = self._antecedent(cls, m.extra.get("head", ""), s, m)
            if key:
                m.key = key
                m.kind = "known"
            return
        label = m.label or _clean_label(m.text)
        if not label:
            return
        # "the Black Sea Grain Initiative, the wartime deal that …": an apposition renames it
        head_tok = s.span.doc[m.extra.get("head_i", m.end - 1)]
        if head_tok.dep_ == "appos":
            named = next((x for x in s.mentions if x is not m and x.key and x.kind in (m.kind, "known")
                          and x.start <= head_tok.head.i < x.end), None)
            if named is not None and self.entities[named.key].cls == cls:
                m.key = named.key
                self.entities[named.key].add_alias(label)
                return
        words = _content_words(label)
        head = m.extra.get("head") or next(
            (w for w in reversed(label.lower().split()) if w in AGREEMENT_NAME_HEADS | EVENT_NAME_HEADS
             | set(self.trig["agreement_heads"]) | set(self.trig["event_heads"])), label.split()[-1].lower())
        # the same thing named again ("the compensation plan" after "a stricter compensation plan")
        doc = s.span.doc
        core = frozenset(w for i in m.extra.get("content", []) for w in _content_words(doc[i].text)) | {head}
        for ent in self.entities.values():
            same_kind = ent.head == head or cls == "Event" and self._family(ent.head) == self._family(head)
            if ent.cls == cls and same_kind and words and (words <= ent.words or any(
                    _content_words(a) == words for a in [ent.label, *ent.aliases]) or (
                    len(core) > 1 and core <= ent.words) or (
                    cls == "Event" and (core - {head}) and (core - {head}) <= ent.words) or (
                    cls == "Event" and core == {head} and ent.head == head)):
                m.key = ent.key
                for a in m.aliases:
                    ent.add_alias(a)
                break
        else:
            named = m.extra.get("named") and label[:1].isupper()
            if named and cls == "Agreement":
                key = "agreement/" + slug(label)
            else:
                key = f"article/{self.article_key}/{cls.lower()}/{slug(label)}"
            ent = self._new_entity(key, cls, label, head=head, words=words)
            for a in m.aliases:
                ent.add_alias(a)
            m.key = key
        for a in m.extra.get("acronyms", []):
            self.acronyms[a] = m.key
            self.entities[m.key].add_alias(a)

    def _family(self, head: str) -> str:
        for fam, heads in self.trig["event_families"].items():
            if head in heads:
                return fam
        return head

    def _antecedent(self, cls: str, head: str, s: _Sentence, m: Mention) -> str | None:
        """The thing 'the memorandum' or 'the talks' refers to.

        An agreement: the nearest earlier one with the same head, else (and always for a
        generic head: "the agreement", "the deal") the nearest earlier agreement of any kind
        ("a strategic partnership … The memorandum covers …").
        An event: the article's main event of that family (see below)."""
        at = m.extra.get("at", (len(self.sentences), 0))

        def last_seen(e: Ent) -> tuple[int, int] | None:
            before = [p for p in e.seen_at if p < at]
            return max(before) if before else None

        everything = [e for e in self.entities.values() if e.cls == cls]
        if cls == "Event":
            same = [e for e in everything if e.head == head]
            family = [e for e in everything if self._family(e.head) == self._family(head)]
            pool = same or family
            if not pool:
                return self._later_heads.get((cls, head))
            # the article's main event is the one its headline names, even when the body
            # names it only late ("Their talks …" … "the Modi–Xi summit")
            title = _content_words(self.doc.title or "")
            in_title = [e for e in pool if e.words and e.words <= title]
            if in_title:
                return min(in_title, key=lambda e: e.order).key
            earlier = [e for e in pool if last_seen(e) is not None]
            if earlier:
                return max(earlier, key=last_seen).key
            return min(pool, key=lambda e: e.order).key  # named later in the text
        cands = [e for e in everything if last_seen(e) is not None]
        # a thing named only in passing ("Somalia, which accused Ethiopia over a port deal, …")
        # is a weaker antecedent than one the story itself is about
        main = [e for e in cands if any(p < at and p not in e.aside_at for p in e.seen_at)]
        cands = main or cands
        same = [e for e in cands if e.head == head]
        # "the memorandum" may name a partnership signed as one; "the plan" names only a plan
        pool = cands if head in self.trig["generic_agreement_heads"] else same or (
            cands if head in self.trig["document_agreement_heads"] else [])
        if not pool:
            return self._later_heads.get((cls, head))  # cataphora: "the deal" before it is named
        return max(pool, key=last_seen).key

    # ------------------------------------------------------------------ pass 2: relations
    def relate(self) -> None:
        from .relations import RelationFinder

        finder = RelationFinder(self)
        for s in self.sentences:
            if not s.heading:
                finder.sentence(s)
        finder.finish()

    def add_relation(self, s: _Sentence, subj: str, pred: str, obj: str, rule: str, conf: float,
                     fine: str | None = None) -> None:
        if not subj or not obj or subj == obj:
            return
        se, oe = self.entities.get(subj), self.entities.get(obj)
        if se is None or oe is None or not _domain_ok(se.cls, pred, oe.cls):
            return
        ev = Evidence(s.text, s.start_char, s.end_char, rule, round(conf, 2))
        self.relations.append(Relation(subj, pred, obj, ev, fine))

    def ensure_country(self, key: str, surface: str | None = None) -> str:
        """Materialise a country met only as a demonym, when a relation needs it."""
        if key.startswith("country/") and key not in self.entities:
            iso = key.split("/", 1)[1]
            self._new_entity(key, "Country", self.lex.countries[iso].name, attributes={"isoCode": iso})
        return key

    # ------------------------------------------------------------------ output
    def result(self) -> Extraction:
        used = {r.subject for r in self.relations} | {r.object for r in self.relations}
        ents = []
        for ent in sorted(self.entities.values(), key=lambda e: e.order):
            if ent.cls in ("Issue", "Location") and not ent.keep and ent.key not in used:
                continue
            attrs = tuple(sorted((k, v) for k, v in ent.attributes.items() if k != "mentions"))
            ents.append(Entity(ent.key, ent.cls, ent.label, tuple(ent.aliases), attrs))
        keep = {e.key for e in ents}
        rels = tuple(r for r in _dedupe(self.relations) if r.subject in keep and r.object in keep)
        return Extraction(self.doc, tuple(ents), rels,
                          stats={"sentences": len(self.sentences), "entities": len(ents),
                                 "relations": len(rels)})


DOMAINS = {
    "leaderOf": ({"Person"}, {"Country", "Organization"}),
    "memberOf": (ACTORS, {"Organization"}),
    "partyTo": (ACTORS, {"Agreement"}),
    "participantIn": (ACTORS, {"Event"}),
    "concerns": ({"Agreement", "Event"}, {"Issue"}),
    "locatedIn": ({"Event", "Location"}, {"Location", "Country"}),
    "meetsWith": (ACTORS, ACTORS),
    "supports": (ACTORS, ACTORS | {"Agreement", "Issue"}),
    "opposes": (ACTORS, ACTORS | {"Agreement", "Issue"}),
}


def _domain_ok(subj_cls: str, pred: str, obj_cls: str) -> bool:
    dom, rng = DOMAINS[pred]
    return subj_cls in dom and obj_cls in rng


def _dedupe(relations: list[Relation]) -> list[Relation]:
    """One relation per (s, p, o, sentence); meetsWith kept in one direction per pair and sentence."""
    seen: set = set()
    out = []
    for r in relations:
        s, o = (sorted((r.subject, r.object)) if r.predicate == "meetsWith" else (r.subject, r.object))
        k = (s, r.predicate, o, r.evidence.start)
        if k in seen:
            continue
        seen.add(k)
        out.append(r)
    return out


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return bool(t) and (t[0].isupper() or t[0].isdigit() and tok.pos_ == "PROPN") and tok.pos_ != "PUNCT" \
        and t not in ("I",) and not (tok.is_sent_start and tok.pos_ in (
            "DET", "ADP", "PRON", "ADV", "CCONJ", "VERB", "AUX", "SCONJ"))


def _is_name_token(tok: Token) -> bool:
    t = tok.text
    if not t[:1].isupper() or tok.pos_ in ("PUNCT", "DET", "ADP", "VERB", "AUX", "PRON"):
        return False
    return bool(re.fullmatch(r"[A-ZÀ-Þ][\w’'.-]*", t))


def _name_end(toks: list, k: int, after_title: bool = False) -> int:
    """End of a personal name starting at ``toks[k]``, across hyphens and particles (al-, bin, de).

    ``after_title``: right after a title, a capitalised word the tagger calls a preposition
    or verb still starts the name when a name word follows ("General Secretary To Lam").
    """
    start = k
    if after_title and k + 1 < len(toks) and toks[k].text[:1].isupper() and toks[k].is_alpha \
            and not _is_name_token(toks[k]) and _is_name_token(toks[k + 1]):
        k += 1
    while k < len(toks):
        t = toks[k]
        if _is_name_token(t):
            k += 1
        elif t.text in ("-", "‐") and k > start and not toks[k - 1].whitespace_ and not t.whitespace_ \
                and k + 1 < len(toks) and toks[k + 1].text[:1].isupper():
            k += 1
        elif t.lower_ in NAME_PARTICLES and k > start:
            # "Ursula von der Leyen", "Luiz Inácio Lula da Silva", "Mohammed bin Salman"
            j = k
            while j < len(toks) and toks[j].lower_ in NAME_PARTICLES:
                j += 1
            if j < len(toks) and toks[j].text in ("-",):
                j += 1
            if j - k > 3 or j >= len(toks) or not _is_name_token(toks[j]):
                break
            k = j
        else:
            break
    while k > start and not _is_name_token(toks[k - 1]):
        k -= 1
    return k


def _looks_like_person_name(text: str) -> bool:
    parts = text.split()
    return 2 <= len(parts) <= 4 and all(p[:1].isupper() for p in parts)


def _strip_possessive(text: str) -> str:
    return re.sub(r"\s*(’s|'s|’|')$", "", text.strip())


def _surface_tables(lex: Lexicon, nlp: Any) -> tuple[dict, dict]:
    """Token-tuple tables: exact case for names, lower case for titles and issues."""
    cache = getattr(lex, "_tables", None)
    if cache is not None:
        return cache
    tok = nlp.tokenizer
    exact: dict[tuple[str, ...], tuple[str, str]] = {}
    lower: dict[tuple[str, ...], tuple[str, str]] = {}

    def add(table: dict, surface: str, value: tuple[str, str], lowercase: bool = False) -> None:
        toks = tuple(t.text.lower() if lowercase else t.text for t in tok(surface))
        if toks:
            table.setdefault(toks, value)

    for surface, key in lex.agreement_by_surface.items():
        add(exact, surface, ("agreement", key))
    for surface, key in lex.org_by_surface.items():
        add(exact, surface, ("org", key))
    for surface, iso in lex.country_by_surface.items():
        add(exact, surface, ("country", iso))
    for surface, iso in lex.capital_by_surface.items():
        add(exact, surface, ("capital", iso))
    for surface, iso in lex.demonym_by_surface.items():
        add(exact, surface, ("demonym", iso))
    for surface, name in lex.regions.items():
        add(exact, surface, ("region", name))
    for surface, (name, _iso) in lex.cities.items():
        add(exact, surface, ("city", name))
    not_issues = set(lex.triggers["non_issue_surfaces"])
    for label, key in lex.issue_by_label.items():
        forms = [label]
        if not label.endswith("s"):
            forms.append(label + "s")
        elif not label.endswith("ss"):
            forms.append(label[:-1])
        # "search-and-rescue", "port-access agreement": compounds hyphenated as modifiers
        forms += [f.replace(" ", "-") for f in forms if 1 < len(f.split()) <= 3]
        for form in forms:
            if form not in not_issues:
                add(lower, form, ("issue", key), lowercase=True)
    lex._tables = (exact, lower)  # type: ignore[attr-defined]
    return exact, lower


def extract(document: Document, nlp: Any = None, lexicon: Lexicon | None = None, *,
            known_people: Mapping[str, tuple[str, str]] | None = None,
            parsed: Iterable[Any] | None = None) -> Extraction:
    """Extract entities and relations from one document.

    Args:
        document: the article, as returned by :func:`kg.reader.read_text` or ``read_document``.
        nlp: a spaCy pipeline; defaults to :func:`kg.nlp.load_nlp`.
        lexicon: gazetteers and triggers; defaults to :func:`kg.lexicon.load_lexicon`.
        known_people: surname -> (person key, full name) from articles read before (see
            :func:`people_index`), so "Chancellor Merz" alone joins "Friedrich Merz".
        parsed: spaCy docs of ``Extractor.parser_input()``, parsed by the caller.

    Example:
        >>> ex = extract(read_text("Chile and Peru signed a fisheries accord."))  # doctest: +SKIP
        >>> sorted(e.label for e in ex.entities)  # doctest: +SKIP
        ['Chile', 'Peru', 'fisheries', 'fisheries accord']
    """
    if nlp is None:
        from .nlp import load_nlp

        nlp = load_nlp()
    return Extractor(document, lexicon or load_lexicon(), nlp, known_people).run(parsed)


class PeopleIndex(dict):
    """surname -> (person key, full name), grown one person at a time (see :func:`people_index`).

    A surname shared by two known people is left out, for good: it cannot say which one
    is meant.
    """

    def __init__(self) -> None:
        super().__init__()
        self.clashes: set[str] = set()

    def add(self, key: str, full: str) -> None:
        parts = full.split()
        if len(parts) < 2 or parts[-1] in self.clashes:
            return
        surname = parts[-1]
        if surname in self and self[surname][0] != key:
            self.clashes.add(surname)
            del self[surname]
        else:
            self[surname] = (key, full)


def people_index(names: Iterable[tuple[str, str]]) -> PeopleIndex:
    """surname -> (person key, full name) for :func:`extract`'s ``known_people``.

    ``names``: (person key, full name) pairs, e.g. the persons already in a store.

    >>> people_index([("person/friedrich-merz", "Friedrich Merz"), ("person/ana-merz", "Ana Merz")])
    {}
    >>> people_index([("person/olaf-scholz", "Olaf Scholz")])
    {'Scholz': ('person/olaf-scholz', 'Olaf Scholz')}
    """
    index = PeopleIndex()
    for key, full in names:
        index.add(key, full)
    return index
