"""Relation rules over a parsed sentence whose mentions are already resolved.

Each rule reads the dependency parse (subjects, objects, prepositions,
appositions, conjunctions), never word distance, and records the rule name and
a confidence with every relation. Statements that are negated ("did not
sign"), hedged ("could", "might"), conditional, or sourced only to unnamed
people ("analysts said") are dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

    from .extract import Extractor, _Sentence

LEADER_KINDS = {"head_of_state", "head_of_government", "monarch", "org_head", "minister", "deputy_head",
                "party_leader", "royal", "military"}
OF_HEADS = {"part", "much", "most", "some", "rest", "outcome", "result", "core", "centre", "center",
            "heart", "bulk", "half", "all", "many", "one", "two", "each", "none", "future", "side",
            # "the members of Mercosur agreed", "Leaders of the Group of Seven agreed": the body acts
            "member", "leader", "delegation", "government"}
ACTOR_CLASSES = ("Person", "Country", "Organization")
LOC_PREPS = {"in", "at", "near", "outside", "inside"}
EVENT_PREPS = {"at", "during", "in", "to", "on", "after", "before", "ahead", "for"}
QUOTES = {'"', "“", "”", "«", "»"}
ISSUE_PREPS = {"on", "over", "about", "regarding", "concerning", "for", "covering"}


class RelationFinder:
    def __init__(self, ex: Extractor) -> None:
        self.ex = ex
        self.lex = ex.lex
        self.trig = ex.trig
        self.verbs = self.trig["verbs"]
        self.nouns = self.trig["nouns"]
        self.adjs = self.trig["adjectives"]
        self.recent: list[str] = []  # entity keys in reading order
        self.last_group: list[str] = []
        self.subject_of_last: list[str] = []
        self.s: _Sentence | None = None
        self.first_event_done = False
        self.counts: dict[str, int] = {}
        self.deceased: set[str] = set()
        self.speaker: list[str] = []  # who utters the quotation of the current sentence
        self.gender: dict[str, str] = {}  # person key -> "m" / "f", from the text's own cues

    # ------------------------------------------------------------------ entry points
    def sentence(self, s: _Sentence) -> None:
        self.s = s
        self.speaker = self._quote_speaker(s)
        self._learn_gender(s)
        if self._unattributed(s):
            self._remember(s)
            return
        for tok in s.span:
            lemma = tok.lemma_.lower()
            if tok.pos_ in ("VERB", "AUX") and lemma in self.verbs:
                self._verb_rule(tok, lemma)
            if tok.pos_ in ("VERB", "AUX"):
                self._under_agreement(tok)
                self._event_venue(tok)
                self._topic_clause(tok)
                if lemma in self.trig["travel_verbs"] and not self.blocked(tok):
                    # "flew to Beijing for talks", "arrived in Delhi for the summit"
                    self._event_prep_participation(tok, self.subjects(tok))
            key = s.token_key.get(tok.i)
            if tok.pos_ in ("PROPN", "NOUN") and key and self._cls(key) == "Location":
                self._location_in(tok)
            if tok.pos_ in ("NOUN", "PROPN", "NUM") and (lemma in self.nouns or tok.lower_ in self.nouns):
                self._noun_rule(tok, self.nouns.get(lemma) or self.nouns[tok.lower_])
            if tok.pos_ in ("ADJ", "VERB", "NOUN") and tok.lower_ in self.adjs:
                self._adjective_rule(tok, self.adjs[tok.lower_])
        for m in s.mentions:
            if m.kind == "person" and m.key:
                self._leader_rule(m)
            if m.key and self._cls(m.key) in ("Event", "Agreement"):
                self._phrase_rules(m)
        self._membership_rules()
        self._led_by_rule()
        self._whose_title_rule()
        self._grouping_rule()
        self._evaluation_rule()
        self._event_agreement_topics()
        self._remember(s)

    def finish(self) -> None:
        self._dateline_rules()

    # ------------------------------------------------------------------ discourse
    def _remember(self, s: _Sentence) -> None:
        doc = s.span.doc
        for m in s.mentions:
            if m.key and not m.extra.get("demonym"):
                root = doc[m.end - 1]
                late = m.start > 0 and doc[m.start - 1].lower_ == "late"
                if late:
                    self.deceased.add(m.key)
                # actors count when they act or are acted on, not when they qualify something
                if root.dep_ in ("nsubj", "nsubjpass", "dobj", "conj", "appos", "ROOT", "attr", "dative") or (
                        root.dep_ == "pobj" and root.head.lower_ != "of"):
                    self.counts[m.key] = self.counts.get(m.key, 0) + 1
                if m.key in self.recent:
                    self.recent.remove(m.key)
                self.recent.append(m.key)
        subj_keys: list[str] = []
        for tok in s.span:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT":
                subj_keys = [k for k, _ in self.ents_of(tok, resolve_pronouns=True)]
                break
        if len(subj_keys) >= 2:
            self.last_group = subj_keys
        if subj_keys:
            self.subject_of_last = subj_keys

    def _quote_speaker(self, s: _Sentence) -> list[str]:
        """'"We back the deal," Novak said.' — the named subject of a reporting verb outside
        the quotation marks speaks the quotation's "I" and "we"."""
        marks = [t.i for t in s.span if t.text in QUOTES]
        if len(marks) < 2:
            return []
        inside = set()
        for a, b in zip(marks[::2], marks[1::2], strict=False):
            inside.update(range(a, b + 1))
        for v in s.span:
            if v.i in inside or v.lemma_.lower() not in self.trig["reporting_verbs"]:
                continue
            for c in v.children:
                if c.dep_ == "nsubj" and c.i not in inside and c.pos_ != "PRON":
                    found = [k for k, _ in self.ents_of(c, resolve_pronouns=False)
                             if self._cls(k) in ("Person", "Country", "Organization")]
                    if found:
                        return found[:1]
        return []

    def _learn_gender(self, s: _Sentence) -> None:
        """Gender cues news gives: an honorific or gendered title before the name ("Mr.",
        "Queen"), or "X said he/she …" where the pronoun can only be X."""
        doc = s.span.doc
        cues = self.trig["gender_cues"]
        for m in s.mentions:
            if m.kind == "person" and m.key and m.key not in self.gender:
                before = doc[max(s.span.start, m.start - 3):m.start]
                for t in before:
                    g = cues.get(t.lower_.rstrip("."))
                    if g:
                        self.gender[m.key] = g
        for v in s.span:
            if v.lemma_.lower() not in self.trig["reporting_verbs"]:
                continue
            subj = [c for c in v.children if c.dep_ == "nsubj" and s.token_key.get(c.i)]
            comp = [c for c in v.children if c.dep_ == "ccomp"]
            if len(subj) != 1 or not comp:
                continue
            key = s.token_key[subj[0].i]
            if self._cls(key) != "Person" or key in self.gender:
                continue
            inner = [c for c in comp[0].children if c.dep_ in ("nsubj", "nsubjpass")]
            if inner and inner[0].lower_ in ("he", "she"):
                self.gender[key] = "m" if inner[0].lower_ == "he" else "f"

    def _salient(self, cls: set[str], n: int) -> list[str]:
        window = self.recent[-12:]
        cands = [k for k in window if self._cls(k) in cls and k not in self.deceased]
        ranked = sorted(cands, key=lambda k: (-self.counts.get(k, 0), -window.index(k)))[:n]
        return sorted(ranked, key=lambda k: self.ex.entities[k].order)

    def _last(self, cls: set[str], n: int = 1, before: int | None = None) -> list[str]:
        out = []
        for key in reversed(self.recent):
            ent = self.ex.entities.get(key)
            if ent and ent.cls in cls and key not in out:
                out.append(key)
                if len(out) == n:
                    break
        return list(reversed(out))

    def _unattributed(self, s: _Sentence) -> bool:
        """'according to two diplomats' with no named source: nothing in the sentence is asserted."""
        for tok in s.span:
            if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
                pobj = [c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"]
                if pobj and not self.ents_of(pobj[0]) \
                        and pobj[0].lemma_.lower() in self.trig["unnamed_sources"]:
                    return True
        return False

    # ------------------------------------------------------------------ noun phrase → entities
    def ents_of(self, tok: Token, *, resolve_pronouns: bool = True,
                depth: int = 0) -> list[tuple[str, float]]:
        """The entities a noun phrase headed by ``tok`` refers to, with a confidence factor."""
        if depth > 4:
            return []
        s = self.s
        out: list[tuple[str, float]] = []
        key = s.token_key.get(tok.i) if s else None
        low = tok.lower_
        if key:
            out.append((self._materialise(key), 1.0))
        elif tok.pos_ == "PRON" or low in ("he", "she", "they", "it", "its", "their", "his", "her", "them",
                                            "we", "our", "us"):
            if resolve_pronouns:
                out.extend((k, 0.8) for k in self._pronoun(tok))
        elif tok.pos_ in ("NOUN", "PROPN", "ADJ", "NUM"):
            out.extend(self._nominal(tok, depth))
        for c in tok.children:
            if c.dep_ in ("conj", "appos") and c.pos_ in ("NOUN", "PROPN", "PRON", "ADJ", "NUM"):
                for k, f in self.ents_of(c, resolve_pronouns=resolve_pronouns, depth=depth + 1):
                    # an apposition renames the head; only a further item of the same kind
                    # ("Lavrov, Iran's minister, Abbas Araghchi, and …") is a list member
                    if c.dep_ == "appos" and out and (self._cls(k) != self._cls(out[0][0]) or (
                            c.pos_ == "PROPN" and s and s.token_key.get(c.i) and self._cls(k) == "Person"
                            and tok.pos_ == "PROPN" and not self._listy(tok))):
                        continue
                    out.append((k, f))
        seen: set[str] = set()
        uniq = []
        for k, f in out:
            if k not in seen:
                seen.add(k)
                uniq.append((k, f))
        return uniq

    def _listy(self, tok: Token) -> bool:
        """Is ``tok`` one item of a comma list ("Chile, Peru and …")?"""
        return any(c.dep_ in ("conj", "cc") for c in tok.subtree if c.head.i in (tok.i,) or c.dep_ == "cc")

    def _materialise(self, key: str) -> str:
        if key.startswith("country/"):
            self.ex.ensure_country(key)
        return key

    def _pronoun(self, tok: Token) -> list[str]:
        low = tok.lower_
        reporter = self._reporter_of(tok)
        if reporter:
            return reporter
        bound = self._bound_possessive(tok)
        if bound:
            return bound
        if low in ("i", "we", "me", "us", "my", "our") and self.speaker:
            return list(self.speaker)
        if low in ("he", "she", "him", "her", "his", "hers"):
            wrong = "f" if low in ("he", "him", "his") else "m"
            people = [k for k in self.subject_of_last if self.ex.entities[k].cls == "Person"
                      and self.gender.get(k) != wrong]
            if people:
                return people[:1]
            for key in reversed(self.recent):
                if self._cls(key) == "Person" and self.gender.get(key) != wrong:
                    return [key]
            return []
        if low in ("they", "them", "their", "theirs"):
            if self.last_group:
                return list(self.last_group)
            return self._salient({"Person"}, 2)
        if low in ("it", "its"):
            things = [k for k in self.subject_of_last if self.ex.entities[k].cls in (
                "Country", "Organization", "Agreement")]
            return things[:1] or self._last({"Country", "Organization"})
        return []

    def _bound_possessive(self, tok: Token) -> list[str]:
        """'Chile and Peru held their first joint naval drill': a possessive in the object
        of a clause is that clause's subject, when number and kind agree."""
        low = tok.lower_
        if tok.dep_ != "poss" or low not in ("their", "its", "his", "her"):
            return []
        node = tok.head
        while node.dep_ in ("pobj", "prep", "compound", "amod", "conj", "appos") and node.head.i != node.i:
            node = node.head
        if node.dep_ not in ("dobj", "attr", "oprd") and node.pos_ not in ("VERB", "AUX"):
            return []
        verb = node if node.pos_ in ("VERB", "AUX") else node.head
        if verb.pos_ not in ("VERB", "AUX") or any(c.i == tok.head.i for c in verb.children
                                                     if c.dep_ == "nsubj"):
            return []
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subj or subj[0].pos_ == "PRON":
            return []
        found = [k for k, _ in self.ents_of(subj[0], resolve_pronouns=False)]
        kinds = {"their": None, "its": {"Country", "Organization"}, "his": {"Person"}, "her": {"Person"}}[low]
        if low == "their":
            return found if len(found) >= 2 else []
        found = [k for k in found if self._cls(k) in kinds]
        if len(found) != 1:
            return []
        if low in ("his", "her") and self.gender.get(found[0]) == ("f" if low == "his" else "m"):
            return []
        return found

    def _reporter_of(self, tok: Token) -> list[str]:
        """'France said it backs ECOWAS', 'Milei said his government …': in a clause reported by
        a named speaker, a matching third-person pronoun is that speaker."""
        low = tok.lower_
        clause = tok.head
        if tok.dep_ == "poss":
            clause = tok.head.head if tok.head.dep_ in ("nsubj", "nsubjpass") else None
        elif tok.dep_ not in ("nsubj", "nsubjpass"):
            return []
        if clause is None or clause.dep_ != "ccomp" \
                or clause.head.lemma_.lower() not in self.trig["reporting_verbs"]:
            return []
        wanted = {"he": {"Person"}, "she": {"Person"}, "his": {"Person"}, "her": {"Person"},
                  "it": {"Country", "Organization"}, "its": {"Country", "Organization"}}.get(low)
        if wanted is None:
            return []
        for c in clause.head.children:
            if c.dep_ == "nsubj" and c.pos_ != "PRON":
                found = [k for k, _ in self.ents_of(c, resolve_pronouns=False) if self._cls(k) in wanted]
                if len(found) == 1:
                    if low in ("he", "his", "she", "her"):
                        wrong = "f" if low in ("he", "his") else "m"
                        if self.gender.get(found[0]) == wrong:
                            return []
                    return found
        return []

    def _nominal(self, tok: Token, depth: int) -> list[tuple[str, float]]:
        s = self.s
        lemma = tok.lemma_.lower()
        low = tok.lower_
        kids = list(tok.children)
        # "both leaders", "the two countries", "the three nations"
        group = self.trig["group_nouns"].get(low) or self.trig["group_nouns"].get(lemma)
        count = next((c for c in kids if c.lower_ in ("both", "two", "three", "four") and c.dep_ in (
            "det", "nummod", "predet", "amod", "preconj")), None)
        if group and count is not None:
            n = {"both": 2, "two": 2, "three": 3, "four": 4}[count.lower_]
            cls = {"Actor": {"Person", "Country", "Organization"}}.get(group, {group})
            keys = self._salient(cls, n)
            if len(keys) == n:
                self.last_group = keys
                return [(k, 0.7) for k in keys]
        # "the prime minister", "the chancellor": the person last named with that title
        det = next((c for c in kids if c.dep_ == "det"), None)
        title_phrase = " ".join(t.lower_ for t in tok.subtree if t.dep_ in ("compound",) or t.i == tok.i)
        if det is not None and det.lower_ == "the" and self.lex.title_kind(title_phrase):
            for key in reversed(self.recent):
                ent = self.ex.entities.get(key)
                if ent and ent.cls == "Person" and any(title_phrase in t for t in ent.titles):
                    return [(key, 0.7)]
        # "the Teamsters union", "the Wagner group": the name says which one
        if lemma in self.trig["org_anaphors"] or lemma in self.trig["company_anaphors"]:
            for c in kids:
                key = s.token_key.get(c.i)
                if c.dep_ == "compound" and key and self._cls(key) == "Organization":
                    return [(key, 1.0)]
        if det is not None and det.lower_ in ("the", "this", "that") and (
                lemma in self.trig["org_anaphors"] or lemma in self.trig["company_anaphors"]):
            for key in reversed(self.recent):
                ent = self.ex.entities.get(key)
                if not ent or ent.cls != "Organization":
                    continue
                words = ent.label.lower().split()
                if lemma in words or lemma in self.trig["company_anaphors"] or any(
                        lemma in a.lower().split() for a in ent.aliases):
                    return [(key, 0.7)]
            if lemma in self.trig["generic_org_anaphors"]:
                # "the bloc", "the alliance" after "ECOWAS": the latest organisation named,
                # in this sentence ("Barrio Unido, the gang led by …") or before it
                here = [s.token_key[i] for i in range(s.span.start, tok.i)
                        if s.token_key.get(i) and self._cls(s.token_key[i]) == "Organization"]
                latest = here[-1:] or self._last({"Organization"})
                if latest:
                    return [(latest[0], 0.6)]
        # "U.S. officials", "the Chinese delegation", "negotiators from Russia and Ukraine":
        # a country's people speak for it
        named = any(c.dep_ == "appos" and s.token_key.get(c.i) for c in kids)  # "its leader, Ana Ruiz"
        if (lemma in self.trig["people_nouns"] or low in self.trig["people_nouns"]) and not named:
            for c in kids:
                if c.dep_ in ("compound", "amod", "poss", "nmod") and s.token_key.get(c.i):
                    return [(self._materialise(s.token_key[c.i]), 0.7)]
            for c in kids:
                if c.dep_ == "prep" and c.lower_ == "from":
                    found = [(k, f * 0.7) for p in c.children if p.dep_ == "pobj"
                             for k, f in self.ents_of(p, depth=depth + 1)
                             if self._cls(k) in ("Country", "Organization")]
                    if found:
                        return found
        # "much of the meeting", "the outcome of the summit"
        if lemma in OF_HEADS or low in OF_HEADS:
            for c in kids:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            return self.ents_of(p, depth=depth + 1)
        return []

    def _through_prep(self, tok: Token) -> list[tuple[str, float]]:
        """'cooperation with Riyadh', 'a clause on arms exports': the entity behind a plain noun."""
        out = []
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "on", "over", "about", "for", "between"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        out.extend((k, f * 0.7) for k, f in self.ents_of(p))
        return out

    def owner_of(self, tok: Token, *, demonyms: bool = False) -> list[tuple[str, float]]:
        """Actors that own or qualify a non-entity noun: "Japan's decision", "U.S. interest"
        (and with ``demonyms``, "Brazilian infrastructure")."""
        out = []
        deps = ("poss", "compound", "nmod", "amod") if demonyms else ("poss", "compound", "nmod")
        for c in tok.children:
            if c.dep_ in deps:
                for k, f in self.ents_of(c):
                    if self.ex.entities[k].cls in ("Person", "Country", "Organization"):
                        out.append((k, f * 0.8))
        return out

    # ------------------------------------------------------------------ clause structure
    def subjects(self, v: Token, depth: int = 0) -> list[tuple[str, float]]:
        if depth > 5:
            return []
        for c in v.children:
            if c.dep_ in ("nsubj", "csubj"):
                if v.dep_ == "relcl" and c.lower_ in ("who", "which", "that", "whom"):
                    return self.ents_of(v.head)  # "Trump, who has pressed OPEC"
                return self.ents_of(c)
        for c in v.children:
            if c.dep_ == "agent":
                for p in c.children:
                    if p.dep_ == "pobj":
                        return self.ents_of(p)
        if any(c.dep_ == "nsubjpass" for c in v.children):
            return []
        if v.dep_ in ("xcomp", "pcomp") and v.head.i != v.i:
            # object control: "orders it to help", "accused Chile of shelling": the object acts
            up = v.head.head if v.head.pos_ == "ADP" and v.head.head.i != v.head.i else v.head
            if up.lemma_.lower() in self.trig["object_control_verbs"]:
                for c in up.children:
                    if c.dep_ == "dobj":
                        return [(k, f * 0.9) for k, f in self.ents_of(c)]
        if v.dep_ in ("xcomp", "conj", "advcl", "pcomp") and v.head.i != v.i:
            up = v.head.head if v.head.pos_ == "ADP" and v.head.head.i != v.head.i else v.head
            return [(k, f * 0.9) for k, f in self.subjects(up, depth + 1)]
        if v.dep_ in ("relcl", "acl") and v.head.i != v.i:
            return self.ents_of(v.head)
        return []

    def objects(self, v: Token, specs: list[str]) -> list[tuple[str, float, Token]]:
        out: list[tuple[str, float, Token]] = []
        for c in v.children:
            targets = []
            if c.dep_ in ("dobj", "dative", "attr", "oprd") and "dobj" in specs:
                targets.append(c)
            elif c.dep_ == "nsubjpass":
                targets.append(c)
            elif c.dep_ == "prep" and f"prep:{c.lower_}" in specs:
                targets.extend(p for p in c.children if p.dep_ == "pobj")
            for t in targets:
                owners = [o for o in self.owner_of(t) if any(x.dep_ == "poss" for x in t.children)]
                if owners and self._cls(self.s.token_key.get(t.i, "")) in ("Issue", "Event", ""):
                    out.extend((k, f, t) for k, f in owners)
                    continue
                found = self.ents_of(t)
                if not found:
                    found = self.owner_of(t) or self._through_prep(t)
                if not found and t.lemma_.lower() in self.trig["body_nouns"]:
                    # "sanctioned three Japanese defence firms": a country's firms stand for it
                    found = [(k, f * 0.7) for k, f in self.owner_of(t, demonyms=True)
                             if self._cls(k) == "Country"]
                out.extend((k, f, t) for k, f in found)
        if v.dep_ in ("relcl", "acl") and not any(c.dep_ in ("dobj", "nsubjpass") for c in v.children) and (
                any(c.dep_ in ("nsubj", "agent") for c in v.children)):
            # "the accord the two states signed": the modified noun is the object
            out.extend((k, f, v.head) for k, f in self.ents_of(v.head))
        return out

    def blocked(self, v: Token) -> bool:
        """Negated, hedged, conditional or unattributed: no relation from this clause."""
        node = v
        for _ in range(6):
            for c in node.children:
                if c.dep_ == "neg" or c.lower_ in ("never", "neither", "nor"):
                    return True
                if c.dep_ == "aux" and c.lower_ in ("could", "might", "may"):
                    return True
                if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
                    return True
                if c.dep_ in ("nsubj",) and c.lemma_.lower() in self.trig["unnamed_sources"] and not (
                        self.ents_of(c, resolve_pronouns=False)):
                    return True
            own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children)
            parent = node.head
            if node.dep_ == "xcomp" and parent.i != node.i:
                if parent.lemma_.lower() in self.trig["negating_verbs"]:
                    return True  # "refused to back", "declined to say whether …"
                if parent.lemma_.lower() in self.trig["hedging_verbs"]:
                    return True
                node = parent
                continue
            if node.dep_ in ("conj", "advcl") and not own_subject and parent.i != node.i:
                node = parent
                continue
            if node.dep_ == "ccomp" and parent.i != node.i:
                if parent.lemma_.lower() in self.trig["hedging_verbs"]:
                    return True  # "diplomats suggested Peru might …"
                if any(c.dep_ == "nsubj" and c.lemma_.lower() in self.trig["unnamed_sources"]
                       and not self.ents_of(c, resolve_pronouns=False) for c in parent.children):
                    return True  # "analysts said …"
            break
        return False

    # ------------------------------------------------------------------ rules
    def _emit(self, subj: str, pred: str, obj: str, rule: str, conf: float, fine: str | None = None) -> None:
        self.ex.add_relation(self.s, subj, pred, obj, rule, conf, fine)

    def _cls(self, key: str) -> str:
        ent = self.ex.entities.get(key)
        return ent.cls if ent else ""

    def _verb_rule(self, v: Token, lemma: str) -> None:
        spec = self.verbs[lemma]
        if self.blocked(v):
            return
        if spec.get("without_object") and any(c.dep_ == "dobj" for c in v.children):
            return  # "withdrew from the treaty", not "withdrew troops from the border"
        specs = spec.get("objects") or ["dobj"]
        if "dobj" not in specs and lemma in ("meet",):
            specs = [*specs, "dobj"]
        subjects = self.subjects(v)
        objects = self.objects(v, specs + ["prep:at", "prep:in", "prep:during", "prep:to"]
                               if spec["predicate"] in ("participantIn", "meetsWith", "partyTo") else specs)
        base = 0.8
        for sk, sf in subjects:
            for ok, of, t in objects:
                ocls = self._cls(ok)
                if t.head.dep_ == "prep" and f"prep:{t.head.lower_}" not in specs and ocls != "Event":
                    continue  # "met Ramaphosa at the Union Buildings": a place or time phrase, not a partner
                pred, fine = self._choose(spec["predicate"], spec.get("fine"), lemma, self._cls(sk), ocls)
                if pred:
                    self._emit(sk, pred, ok, f"verb:{lemma}", base * sf * of, fine)
        # "X and Y met", "they held talks": a meeting among the subjects
        if spec["predicate"] == "meetsWith" and len(subjects) >= 2 and not [
                o for o in objects if self._cls(o[0]) in ("Person", "Country", "Organization")]:
            for i, (a, fa) in enumerate(subjects):
                for b, fb in subjects[i + 1:]:
                    self._emit(a, "meetsWith", b, f"verb:{lemma}-plural", 0.75 * fa * fb)
        # "attended in person": the event under discussion
        if spec["predicate"] == "participantIn" and not objects \
                and lemma in ("attend", "participate", "chair"):
            last = self._last({"Event"})
            for sk, sf in subjects:
                for ek in last:
                    self._emit(sk, "participantIn", ek, f"verb:{lemma}-implicit", 0.6 * sf, spec.get("fine"))
        # any verb whose subject acts "at the meeting" takes part in it; a host and the
        # guest ("hosted Abiy in Nairobi for talks") both do
        if spec["predicate"] != "participantIn":
            self._event_prep_participation(v, subjects)
        elif lemma in ("host", "receive", "invite", "welcome"):
            guests = [(k, f) for k, f, _t in objects if self._cls(k) in ACTOR_CLASSES]
            self._event_prep_participation(v, subjects + guests)
        if spec["predicate"] == "partyTo" and any(self._cls(o[0]) == "Agreement" for o in objects):
            people = [k for k, _ in subjects if self._cls(k) in ("Person",)]
            for i, a in enumerate(people):
                for b in people[i + 1:]:
                    self._emit(a, "meetsWith", b, f"verb:{lemma}-together", 0.55)

    def _choose(self, pred: str, fine: str | None, lemma: str, scls: str,
                ocls: str) -> tuple[str | None, Any]:
        actor = {"Person", "Country", "Organization"}
        if lemma in ("chair", "head", "run", "command") and scls == "Person" and ocls == "Organization":
            return "leaderOf", None  # "Tinubu, who chairs the bloc"
        if lemma == "lead" and ocls in ("Country", "Organization"):
            # "Kenya leads the force": a leading member; "Ruto leads Kenya": its leader
            if scls == "Person":
                return "leaderOf", None
            return ("memberOf", None) if ocls == "Organization" and scls in actor else (None, None)
        if ocls == "Event":
            if pred in ("participantIn", "meetsWith", "partyTo") \
                    or lemma in ("join", "lead", "open", "address"):
                return "participantIn", fine if pred == "participantIn" else None
            return None, None
        if pred == "participantIn" and ocls in actor:
            if lemma in ("host", "receive", "visit") and ocls == "Person" \
                    or lemma == "host" and ocls in actor:
                return "meetsWith", "receives" if lemma in ("host", "receive") else None
            return None, None
        if pred == "partyTo" and ocls == "Organization" and lemma == "join":
            return "memberOf", None

        if pred == "partyTo" and ocls != "Agreement":
            return None, None
        if pred == "meetsWith" and ocls not in actor:
            return None, None
        if pred == "concerns" and (scls not in ("Event", "Agreement") or ocls != "Issue"):
            return None, None
        if pred in ("supports", "opposes") and ocls == "Event":
            return None, None
        return pred, fine

    def _event_venue(self, v: Token) -> None:
        """'The summit was held in Tokyo', 'the talks took place in Geneva'; 'died in a fire
        at a refinery in Basra': a place phrase beside an event phrase of the same verb."""
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        events = [k for c in subj for k, _ in self.ents_of(c) if self._cls(k) == "Event"]
        beside = [(c, k) for c in v.children if c.dep_ == "prep" and c.lower_ in ("in", "at", "during", "for")
                  for p in c.children if p.dep_ == "pobj"
                  for k, _ in self.ents_of(p) if self._cls(k) == "Event"]
        if not events and not beside or self.blocked(v):
            return
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "at"):
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    found = self.ents_of(p)
                    if not any(self._cls(k) in ("Location", "Country") for k, _ in found):
                        found = [(k, f * 0.8) for pp in p.children if pp.dep_ == "prep" and pp.lower_ == "in"
                                 for q in pp.children if q.dep_ == "pobj" for k, f in self.ents_of(q)]
                    for ok, of in found:
                        if self._cls(ok) not in ("Location", "Country"):
                            continue
                        for e in events + [k for prep, k in beside if prep.i != c.i]:
                            rule = f"verb:{v.lemma_}-{c.lower_}-venue"
                            self._emit(e, "locatedIn", ok, rule, 0.7 * of)

    def _under_agreement(self, v: Token) -> None:
        """'Under the accord, Chile will cut …': the subject is bound by the agreement,
        and the issues of the clause are what the agreement is about. 'a memorandum under
        which Chile and Peru will … curb smuggling' reads the same way."""
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in ("under", "per"):
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    found = self.ents_of(p)
                    if not found and p.lower_ in ("which", "that") and v.dep_ == "relcl":
                        found = self.ents_of(v.head)
                    for ok, of in found:
                        if self._cls(ok) == "Agreement" and not self.blocked(v):
                            for sk, sf in self.subjects(v):
                                self._emit(sk, "partyTo", ok, "prep:under-agreement", 0.6 * sf * of)
                            for ik in self._clause_issues(v, skip={c.i}, whole=True):
                                self._emit(ok, "concerns", ik, "prep:under-agreement-topic", 0.55 * of)

    def _topic_clause(self, v: Token) -> None:
        """'The memorandum covers nickel', 'a statement that commits states to expand
        piracy', 'The talks also addressed migration': the issues a clause
        says an agreement or event does something about are its topics."""
        if v.lemma_.lower() in self.trig["reporting_verbs"]:
            return
        subjects = [(k, f) for k, f in self.subjects(v) if self._cls(k) in ("Agreement", "Event")]
        if not subjects and v.dep_ == "relcl":
            # "a declaration on fisheries that commits …": the clause hangs off the topic word
            node = v.head
            while node.dep_ in ("pobj", "prep") and node.head.i != node.i:
                node = node.head
                key = self.s.token_key.get(node.i)
                if key and self._cls(key) in ("Agreement", "Event"):
                    subjects = [(key, 0.9)]
                    break
        if not subjects or self.blocked(v):
            return
        for ik in self._clause_issues(v):
            for sk, sf in subjects:
                self._emit(sk, "concerns", ik, f"clause:{v.lemma_.lower()}-topic", 0.6 * sf)

    def _clause_issues(self, v: Token, skip: set[int] = frozenset(), whole: bool = False) -> list[str]:
        """Issues named in the clause of verb ``v`` outside its subject; clauses joined with their
        own subject ("…, while X said …") are another statement unless ``whole``."""
        out: list[str] = []
        for c in v.children:
            if c.i in skip or c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl", "punct", "mark"):
                continue
            if not whole and c.dep_ in ("conj", "advcl", "parataxis") and any(
                    x.dep_ in ("nsubj", "nsubjpass") for x in c.children):
                continue
            stack = [c]
            while stack:
                t = stack.pop()
                key = self.s.token_key.get(t.i)
                cls = self._cls(key) if key else ""
                if cls == "Issue" and key not in out:
                    out.append(key)
                # what qualifies an issue ("lithium, which is vital for batteries") or belongs to a
                # named agreement or event is not the clause's topic; lists go on ("nickel, cobalt")
                stop = cls in ("Issue", "Agreement", "Event")
                stack.extend(x for x in t.children if (not stop or x.dep_ in ("conj", "cc"))
                             and x.dep_ not in ("amod", "relcl", "appos"))
        return out

    def _event_prep_participation(self, v: Token, subjects: list[tuple[str, float]]) -> None:
        if not subjects:
            return
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in EVENT_PREPS:
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    found = self.ents_of(p) or [  # "for two days of talks"
                        (k, f) for x in p.children if x.dep_ == "prep" and x.lower_ == "of"
                        for q in x.children if q.dep_ == "pobj" for k, f in self.ents_of(q)]
                    for ok, of in found:
                        if self._cls(ok) == "Event":
                            for sk, sf in subjects:
                                self._emit(sk, "participantIn", ok, f"prep:{c.lower_}-event", 0.65 * sf * of)

    def _noun_rule(self, n: Token, spec: dict) -> None:
        if n.dep_ == "oprd" or n.head.lemma_.lower() in self.trig["judging_verbs"]:
            return  # "Beijing called the pact a threat to stability": a judgement (_evaluation_rule)
        # the stance holder: subject of the verb the noun is object of, or the noun's owner
        gov = n.head if n.dep_ in ("dobj", "attr", "pobj", "nsubj", "conj") else None
        if gov is not None and gov.pos_ == "ADP":
            gov = gov.head
        # "endorsed a package of sanctions against Russia": the measure noun counts, not the package
        if gov is not None and gov.pos_ == "NOUN" and gov.lemma_.lower() in self.trig["quantity_nouns"] \
                and n.head.lower_ == "of" and gov.dep_ in ("dobj", "nsubj", "pobj", "attr"):
            gov = gov.head.head if gov.head.pos_ == "ADP" else gov.head
        if gov is not None and self.blocked(gov):
            return
        holders = [(k, f) for k, f in self.owner_of(n)]
        if not holders and gov is not None and gov.pos_ in ("VERB", "AUX"):
            holders = self.subjects(gov)
        if not holders and n.dep_ == "appos":  # "Milei, a critic of Lula, …"
            holders = [(k, f) for k, f in self.ents_of(n.head, resolve_pronouns=False)
                       if self._cls(k) in ACTOR_CLASSES]

        if not holders:
            return
        targets = []
        preps = set(spec["preps"])
        for src in (n, gov) if gov is not None else (n,):
            for c in src.children:
                if c.dep_ == "prep" and c.lower_ in preps:
                    for p in c.children:
                        if p.dep_ == "pobj":
                            found = self.ents_of(p) or self.owner_of(p)
                            # "for Russia's defence industry", "for Brazilian infrastructure"
                            possessed = any(x.dep_ == "poss" or x.dep_ == "amod" and self.s.token_key.get(x.i)
                                            for x in p.children)
                            owners = self.owner_of(p, demonyms=True) if possessed else []
                            if owners and found and all(self._cls(k) in ("Issue", "") for k, _ in found):
                                found = owners  # "support for Russia's defence industry" backs Russia
                            targets.extend(found)
        predicate, fine0, rule = spec["predicate"], spec.get("fine"), f"noun:{n.lemma_.lower()}"
        if gov is not None and gov.lemma_.lower() in self.trig["reversing_verbs"]:
            if predicate != "supports":
                return
            # "suspended aid to Niger", "cut funding for the agency": pressure, not help
            predicate, fine0, rule = "opposes", None, f"noun:{gov.lemma_.lower()}-{n.lemma_.lower()}"
        for hk, hf in holders:
            for tk, tf in targets:
                pred, fine = self._choose(predicate, fine0, n.lemma_, self._cls(hk), self._cls(tk))
                if pred:
                    self._emit(hk, pred, tk, rule, 0.7 * hf * tf, fine)

    def _adjective_rule(self, a: Token, spec: dict) -> None:
        gov = a.head if a.dep_ in ("acomp", "attr", "amod", "oprd") else a
        if self.blocked(gov) or self.blocked(a):
            return
        holders = self.subjects(gov) if gov.i != a.i else []
        if not holders and a.dep_ in ("appos", "attr") and a.head.pos_ in ("PROPN", "NOUN"):
            holders = self.ents_of(a.head)
        targets = []
        for c in a.children:
            if c.dep_ == "prep" and c.lower_ in spec["preps"]:
                for p in c.children:
                    if p.dep_ == "pobj":
                        targets.extend(self.ents_of(p))
        for hk, hf in holders:
            for tk, tf in targets:
                pred, fine = self._choose(spec["predicate"], spec.get("fine"), a.lower_,
                                          self._cls(hk), self._cls(tk))
                if pred:
                    self._emit(hk, pred, tk, f"adj:{a.lower_}", 0.7 * hf * tf, fine)

    def _leader_rule(self, m: Any) -> None:
        """'U.S. President Joe Biden', "Japan's Prime Minister, Fumio Kishida", 'Its chair, X'."""
        s = self.s
        doc = s.span.doc
        title_start = m.extra.get("title_start")
        person_tok = doc[m.end - 1]
        nouns: list[Token] = []
        if title_start is not None:
            title_toks = list(doc[title_start:m.extra.get("title_end", m.start)])
            title_text = " ".join(t.lower_ for t in title_toks if t.text != ",")
            title_text = title_text.replace(" - ", " ").replace("-", " ")
        else:
            # "Name, the Title of X" / "Title Name" parsed as appos or compound
            title_toks = []
            title_text = ""
            for c in person_tok.children:
                if c.dep_ == "appos" and self.lex.title_kind(self._title_phrase(c)):
                    title_toks = [c]
                    title_text = self._title_phrase(c)
            if person_tok.dep_ == "appos" and self.lex.title_kind(self._title_phrase(person_tok.head)):
                title_toks = [person_tok.head]
                title_text = self._title_phrase(person_tok.head)
        if not title_toks:
            return
        words = title_text.split()
        kind = None
        for i in range(len(words)):
            kind = self.lex.title_kind(" ".join(words[i:])) or kind
            if kind:
                break
        if kind is None:
            for w in words:
                kind = kind or self.lex.title_kind(w)
        if kind not in LEADER_KINDS:
            return
        # a former or late office-holder no longer leads
        span_start = min(t.i for t in title_toks)
        window = doc[max(0, span_start - 3):m.start]
        if any(t.lower_ in ("former", "late", "ex", "then", "outgoing", "retired") for t in window):
            return
        # collect the nouns that carry the office: the title words and what they attach to
        nouns = [t for t in title_toks if t.pos_ in ("NOUN", "PROPN")]
        heads = set()
        for t in nouns + [person_tok]:
            node = t
            for _ in range(3):
                heads.add(node)
                if node.dep_ in ("compound", "appos", "flat") and node.head.i != node.i:
                    node = node.head
                else:
                    break
        owners: list[tuple[str, float]] = []
        if m.extra.get("title_of") is not None and s.token_key.get(m.extra["title_of"]):
            owners.append((self._materialise(s.token_key[m.extra["title_of"]]), 1.0))
        for h in heads:
            for c in h.children:
                if c.dep_ in ("poss", "compound", "amod", "nmod", "npadvmod") and c.i < m.start:
                    key = s.token_key.get(c.i)
                    if key and self._cls(key) in ("Country", "Organization", ""):
                        owners.append((self._materialise(key), 1.0))
                    elif c.lower_ in ("its", "their") and c.dep_ == "poss":
                        owners.extend((k, 0.8) for k in self._last({"Country", "Organization"}))
                    elif c.dep_ == "amod" and s.token_key.get(c.i) is None:
                        pass
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            owners.extend(self.ents_of(p))
        # tokens right before the title: "U.S. President", "OPEC Secretary General"
        k = span_start - 1
        while k >= s.span.start and doc[k].text in ("’s", "'s", "’", "'"):
            k -= 1
        if k >= s.span.start and s.token_key.get(k):
            key = s.token_key[k]
            if self._cls(key) in ("Country", "Organization") or key.startswith("country/"):
                owners.append((self._materialise(key), 1.0))
        for ok, of in owners:
            if self._cls(ok) in ("Country", "Organization"):
                self._emit(m.key, "leaderOf", ok, f"title:{kind}", 0.9 * of)
                break

    def _inner_key(self, x: Any) -> str:
        ex = self.ex
        if x.kind in ("country", "capital"):
            iso = x.key if x.kind == "country" else self.lex.capital_by_surface.get(x.text, x.key)
            x.kind = "country"
            return ex.ensure_country("country/" + iso)
        if x.kind == "org":
            org = self.lex.orgs[x.key]
            key = "org/" + x.key
            ex._new_entity(key, "Organization", org.name)
            return key
        if x.kind == "issue":
            return "issue/" + x.key.split("/", 1)[-1] if not x.key.startswith("issue/") else x.key
        return ""

    def _title_phrase(self, tok: Token) -> str:
        return " ".join(t.lower_ for t in tok.subtree if (t.dep_ in ("compound", "amod") and t.head == tok)
                        or t.i == tok.i)

    def _phrase_rules(self, m: Any) -> None:
        """Participants, venues and topics read off an agreement or event phrase."""
        s = self.s
        doc = s.span.doc
        key = m.key
        cls = self._cls(key)
        head_i = m.extra.get("head_i", m.end - 1)
        head = doc[head_i]
        inner = m.extra.get("inner", [])
        for x in inner:
            if x.key and "/" not in x.key and x.kind in ("country", "org", "capital", "issue"):
                x.key = self._inner_key(x)
            if x.kind in ("person", "country", "org") and x.key and not (
                    cls == "Agreement" and x.text in self.lex.capital_by_surface):
                # "the Paris Agreement", "the Minsk accords": a city in the name is where it was signed
                if cls == "Event" and x.start < head_i:
                    self._emit(x.key, "participantIn", key, "phrase:compound-participant", 0.75)
                elif cls == "Agreement" and x.start < head_i and not m.extra.get("anaphoric"):
                    self._emit(x.key, "partyTo", key, "phrase:compound-party", 0.7)
            elif x.kind == "issue" and self._phrase_topic(m, x, head_i):
                ik = self.ex.issue_entity(x.key, x.text)
                self._emit(key, "concerns", ik, "phrase:topic", 0.75)
        tokens_to_person = self.ex._person_index[1]
        inner_keys = {x.key for x in inner}
        for t in doc[m.start:head_i]:
            pk = tokens_to_person.get(t.text)
            if t.pos_ == "PROPN" and pk and pk not in inner_keys and cls == "Event":
                self._emit(pk, "participantIn", key, "phrase:compound-participant", 0.7)
                inner_keys.add(pk)
        # "X's visit", "Their meeting"
        for p in m.extra.get("poss", []):
            owners = self.ents_of(p)
            if cls == "Event":
                for ok, of in owners:
                    self._emit(ok, "participantIn", key, "phrase:possessive-participant", 0.7 * of)
                people = [k for k, _ in owners if self._cls(k) in ("Person", "Country")]
                if head.lemma_ in ("meeting", "talk", "summit", "call") and len(people) >= 2:
                    for i, a in enumerate(people):
                        for b in people[i + 1:]:
                            self._emit(a, "meetsWith", b, "phrase:their-meeting", 0.7)
            elif cls == "Agreement":
                for ok, of in owners:
                    if self._cls(ok) in ("Country", "Organization", "Person"):
                        self._emit(ok, "partyTo", key, "phrase:possessive-party", 0.6 * of)
        self._participle_rules(key, cls, head)
        for c in head.children:
            if c.dep_ != "prep":
                continue
            objs = [p for p in c.children if p.dep_ == "pobj"]
            located = head.lemma_.lower() in self.trig["located_events"] \
                or head.lower_ in self.trig["located_events"]
            for p in objs:
                found = self.ents_of(p)
                if not found:
                    found = [(self.s.token_key[x.i], 0.8) for x in p.children
                             if x.dep_ == "compound" and self.s.token_key.get(x.i)]
                if cls == "Event" and not any(self._cls(k) in ("Location", "Country") for k, _ in found):
                    for pp in p.children:  # "at a refinery in Basra", "on the town of Bakhmut"
                        if pp.dep_ == "prep" and pp.lower_ in ("in", "of", "near"):
                            for q in pp.children:
                                if q.dep_ == "pobj":
                                    found.extend((k, f * 0.8) for k, f in self.ents_of(q)
                                                 if self._cls(k) in ("Location", "Country"))
                if located and c.lower_ in ("of", "on", "in", "against") and cls == "Event":
                    for ok, of in found:
                        if self._cls(ok) in ("Location", "Country"):
                            self._emit(key, "locatedIn", ok, f"phrase:{c.lower_}-target-place", 0.65 * of)
                for ok, of in found:
                    ocls = self._cls(ok)
                    venue_preps = LOC_PREPS | ({"to"} if head.lemma_ in ("visit", "trip", "tour", "mission")
                                               else set())
                    if cls == "Event" and c.lower_ in venue_preps and ocls in ("Location", "Country"):
                        self._emit(key, "locatedIn", ok, f"phrase:{c.lower_}-venue", 0.75 * of)
                    elif cls == "Event" and c.lower_ == "by" and ocls in ACTOR_CLASSES:
                        self._emit(ok, "participantIn", key, "phrase:by-agent", 0.7 * of)
                    elif c.lower_ in ("between", "with") and ocls in ("Person", "Country", "Organization"):
                        # "talks between X and Y", "a defence treaty with Manila", "a meeting with Putin"
                        pred = "participantIn" if cls == "Event" else "partyTo"
                        weight = 0.7 if c.lower_ == "between" else 0.6
                        self._emit(ok, pred, key, f"phrase:{c.lower_}", weight * of)
                    elif ocls == "Issue" and (c.lower_ in ISSUE_PREPS
                                              or c.lower_ == "against" and cls == "Event"):
                        self._emit(key, "concerns", ok, f"phrase:{c.lower_}-topic", 0.7 * of)
            if c.lower_ == "between":
                pairs = [k for p in objs for k, _ in self.ents_of(p) if self._cls(k) in (
                    "Person", "Country", "Organization")]
                if cls == "Event" and head.lemma_ in ("meeting", "talk", "call", "summit"):
                    for i, a in enumerate(pairs):
                        for b in pairs[i + 1:]:
                            self._emit(a, "meetsWith", b, "phrase:meeting-between", 0.75)
        if cls == "Event" and not self.first_event_done and not m.extra.get("anaphoric"):
            self.first_event_done = True
            self.first_event = key
            body = [x for x in self.ex.sentences if not x.heading]
            self.first_event_in_lead = s in body[:2]

    def _participle_rules(self, key: str, cls: str, head: Token) -> None:
        """'a protest organised by WALHI against deforestation', 'a treaty signed by 120 states':
        the agent of the participle takes part (or is a party); its topic preposition names issues."""
        for acl in head.children:
            if acl.dep_ != "acl" or acl.tag_ != "VBN" or self.blocked(acl):
                continue
            for c in acl.children:
                objs = [p for p in c.children if p.dep_ == "pobj"]
                for p in objs:
                    for ok, of in self.ents_of(p):
                        ocls = self._cls(ok)
                        if c.dep_ == "agent" and ocls in ("Person", "Country", "Organization"):
                            pred = "participantIn" if cls == "Event" else "partyTo"
                            self._emit(ok, pred, key, f"participle:{acl.lemma_.lower()}-by", 0.7 * of)
                        elif c.dep_ == "prep" and ocls == "Issue" and c.lower_ in ISSUE_PREPS | {"against"}:
                            self._emit(key, "concerns", ok, f"participle:{c.lower_}-topic", 0.65 * of)

    def _phrase_topic(self, m: Any, x: Any, head_i: int) -> bool:
        """Is issue mention ``x`` inside phrase ``m`` what the agreement or event is about?

        A modifier ("trade agreement") or a topic preposition ("statement on shipping
        safety") says so; a place phrase ("explosion at a smelter") does not, nor does a
        capitalised word of a proper name ("Security Treaty"), nor a shorthand for a
        topic already recorded ("the shipping statement" after "… on shipping safety").
        """
        doc = self.s.span.doc
        if m.extra.get("named") and doc[x.start].text[:1].isupper():
            return False
        if x.start > head_i:
            preps = [t for t in doc[head_i + 1:x.start] if t.dep_ == "prep"]
            if not preps or preps[0].lower_ not in ISSUE_PREPS | {"against"}:
                return False
        words = set(x.text.lower().replace("-", " ").split())
        for r in self.ex.relations:
            if r.subject == m.key and r.predicate == "concerns" and r.object != x.key:
                known = self.ex.entities.get(r.object)
                if known and words < set(known.label.lower().replace("-", " ").split()):
                    return False
        return True

    def _location_in(self, tok: Token) -> None:
        """'Goma, in North Kivu province' → Goma is located in North Kivu."""
        here = self.s.token_key[tok.i]
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "near", "off", "on", "along"):
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    found = self.ents_of(p) or [(self.s.token_key[x.i], 0.8) for x in p.children
                                                if x.dep_ == "compound" and self.s.token_key.get(x.i)]
                    if not found and p.lemma_.lower() in self.trig["place_nouns"] + ["shore", "coastline"]:
                        found = self.owner_of(p)  # "Mombasa, on Kenya's coast"
                    elif c.lower_ in ("on", "along"):
                        continue  # "on Friday", "on the agenda"
                    for ok, of in found:
                        if ok != here and self._cls(ok) in ("Location", "Country"):
                            self._emit(here, "locatedIn", ok, f"prep:{c.lower_}-place", 0.7 * of)

    def _event_agreement_topics(self) -> None:
        """An agreement reached at (or as the outcome of) an event: the event is about its topics."""
        clause_of: dict[str, set[int]] = {}
        for i, k in self.s.token_key.items():
            if self._cls(k) in ("Event", "Agreement"):
                clause_of.setdefault(k, set()).add(self._clause_verb(self.s.span.doc[i]))
        events = [k for k in clause_of if self._cls(k) == "Event"]
        agreements = [k for k in clause_of if self._cls(k) == "Agreement"]
        for a in agreements:
            # the event is about the agreement's main topic (the first one its name gives),
            # not every item the agreement lists
            topics = [r.object for r in self.ex.relations if r.subject == a and r.predicate == "concerns"
                      and r.evidence.rule == "phrase:topic"][:1]
            for e in events:
                if not clause_of[a] & clause_of[e]:
                    continue  # in one sentence but different clauses: no link between them
                for t in topics:
                    self._emit(e, "concerns", t, "cooccur:event-agreement-topic", 0.5)

    @staticmethod
    def _clause_verb(tok: Token) -> int:
        """Index of the verb heading the clause ``tok`` is in (the root if there is none)."""
        node = tok
        while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
            node = node.head
        return node.i

    def _membership_rules(self) -> None:
        """'X, Y and Z are OPEC members'; 'X, Y and six other members of the Arab League'."""
        s = self.s
        for tok in s.span:
            if tok.lemma_.lower() not in ("member", "signatory", "party"):
                continue
            org_keys: list[str] = []
            for c in tok.children:
                if c.dep_ in ("compound", "poss", "nmod") and s.token_key.get(c.i):
                    org_keys.append(s.token_key[c.i])
                if c.dep_ == "prep" and c.lower_ in ("of", "to"):
                    for p in c.children:
                        if p.dep_ == "pobj":
                            org_keys.extend(k for k, _ in self.ents_of(p))
            # "members of OPEC" → memberOf; "the parties to the 2015 deal" → partyTo
            org_keys = [k for k in org_keys if self._cls(k) == "Organization"
                        or self._cls(k) == "Agreement" and tok.lemma_.lower() in ("party", "signatory")]
            if not org_keys:
                continue
            members: list[tuple[str, float]] = []
            if tok.dep_ == "attr" and tok.head.lemma_ in ("be", "remain", "become"):
                if self.blocked(tok.head):
                    continue
                members = self.subjects(tok.head)
            elif (tok.dep_ == "conj" or any(c.dep_ == "conj" for c in tok.children)) and any(
                    c.lower_ == "other" for c in tok.children):
                # "X, Y and six other members of Z"; not "the EU and the members of ASEAN"
                root = tok
                while root.dep_ in ("conj", "appos") and root.head.i != root.i:
                    root = root.head
                members = [(k, f) for k, f in self.ents_of(root) if k not in org_keys]
            elif tok.dep_ == "appos":
                members = self.ents_of(tok.head)
            for mk, mf in members:
                for ok in org_keys:
                    if mk != ok:
                        pred = "partyTo" if self._cls(ok) == "Agreement" else "memberOf"
                        self._emit(mk, pred, ok, f"copula:{tok.lemma_.lower()}", 0.8 * mf)

    def _evaluation_rule(self) -> None:
        """'Macron said the text was "unacceptable"', 'Lula called the export ban "a mistake"':
        a named speaker judging something with an evaluative word takes a stance on it."""
        s = self.s
        ev = self.trig["evaluative_words"]
        for tok in s.span:
            word = tok.lemma_.lower()
            polarity = "supports" if word in ev["positive"] else "opposes" if word in ev["negative"] else None
            if polarity is None or tok.dep_ not in ("acomp", "attr", "oprd") or any(
                    c.dep_ == "neg" for c in tok.head.children):
                continue
            clause = tok.head
            if tok.dep_ == "oprd":  # "called the tariffs a mistake": the caller judges the object
                judged = [c for c in clause.children if c.dep_ == "dobj"]
                naming = clause.lemma_.lower() in self.trig["judging_verbs"]
                holders = self.subjects(clause) if naming else []
            else:  # "the text was unacceptable", in a clause a named speaker reports
                judged = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
                holders = []
                if clause.dep_ == "ccomp" and clause.head.lemma_.lower() in self.trig["reporting_verbs"]:
                    holders = self.subjects(clause.head)
                elif self.speaker and clause.dep_ == "ROOT":
                    # '"This embargo is illegal," the minister said'
                    holders = [(k, 0.9) for k in self.speaker]
            if not judged or not holders or self.blocked(clause):
                continue
            targets = self.ents_of(judged[0]) or self.owner_of(judged[0])
            for hk, hf in holders:
                for tk, tf in targets:
                    pred, _ = self._choose(polarity, None, word, self._cls(hk), self._cls(tk))
                    if pred and hk != tk:
                        self._emit(hk, pred, tk, f"judges:{word}", 0.6 * hf * tf)

    def _grouping_rule(self) -> None:
        """'the Lima Group, the diplomatic grouping of Canada, Peru, Brazil and Colombia':
        a body described as a grouping of countries has them as members."""
        s = self.s
        for tok in s.span:
            if tok.dep_ != "appos" or tok.lemma_.lower() not in self.trig["grouping_nouns"]:
                continue
            bodies = [k for k, _ in self.ents_of(tok.head) if self._cls(k) == "Organization"]
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ != "pobj":
                            continue
                        for mk, mf in self.ents_of(p):
                            if self._cls(mk) in ("Country", "Organization"):
                                for ok in bodies:
                                    if ok != mk:
                                        self._emit(mk, "memberOf", ok, "appos:grouping-of", 0.75 * mf)

    def _whose_title_rule(self) -> None:
        """'the Dairy Farmers Association, whose president is Anne Roy' → she leads it."""
        for v in self.s.span:
            if v.dep_ != "relcl" or v.lemma_ != "be" or self.blocked(v):
                continue
            title = next((c for c in v.children if c.dep_ == "nsubj"
                          and any(p.lower_ == "whose" for p in c.children)), None)
            if title is None or self.lex.title_kind(self._title_phrase(title)) not in LEADER_KINDS:
                continue
            people = [k for c in v.children if c.dep_ == "attr" for k, _ in self.ents_of(c)
                      if self._cls(k) == "Person"]
            for ok, of in self.ents_of(v.head):
                if self._cls(ok) in ("Organization", "Country"):
                    for pk in people:
                        self._emit(pk, "leaderOf", ok, "relcl:whose-title", 0.8 * of)

    def _led_by_rule(self) -> None:
        """'the alliance led by X', 'a force commanded by X' → X leads it."""
        s = self.s
        for v in s.span:
            if v.lemma_.lower() not in ("lead", "command", "head", "chair", "run") \
                    or v.dep_ not in ("acl", "relcl"):
                continue
            if self.blocked(v):
                continue
            agents = [p for c in v.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
            if not agents:
                continue
            def bodies(tok: Token) -> list[tuple[str, float]]:
                return [(k, f) for k, f in self.ents_of(tok) if self._cls(k) in ("Organization", "Country")]

            led = bodies(v.head)
            if not led and v.head.dep_ == "appos":
                led = bodies(v.head.head)
            if not led and v.head.head.dep_ in ("appos",):
                led = bodies(v.head.head.head)
            if not led:
                for anc in v.head.ancestors:
                    led = bodies(anc)
                    if led:
                        break
            for a in agents:
                for pk, pf in self.ents_of(a):
                    for ok, of in led:
                        if self._cls(pk) == "Person" and self._cls(ok) == "Organization":
                            self._emit(pk, "leaderOf", ok, f"acl:{v.lemma_}-by", 0.75 * pf * of)
                        elif self._cls(ok) == "Organization" and self._cls(pk) in ("Organization", "Country"):
                            self._emit(pk, "memberOf", ok, f"acl:{v.lemma_}-by", 0.5 * pf * of)

    def _dateline_rules(self) -> None:
        """The dateline city is where the article's first event happens, unless it says otherwise."""
        ex = self.ex
        place = ex.doc.dateline_place
        first = getattr(self, "first_event", None)
        if not place or not first:
            return
        city = place.split(",")[0].strip()
        name = city.title() if city.isupper() else city
        name = next((c for c in (ex.lex.cities.get(name, (None,))[0],) if c), name)
        parts = [p.strip() for p in place.split(",")]
        sent = next((s for s in ex.sentences if not s.heading), None)
        if len(parts) >= 2 and sent is not None:
            iso = ex.lex.country_by_surface.get(parts[1])
            ckey = "location/" + _slug(next((c for c in (ex.lex.cities.get(name, (None,))[0],) if c), name))
            if iso and ckey in ex.entities:
                country = ex.ensure_country("country/" + iso)
                ex.add_relation(sent, ckey, "locatedIn", country, "dateline:city-country", 0.8)
        if any(r.subject == first and r.predicate == "locatedIn" for r in ex.relations):
            return
        if not getattr(self, "first_event_in_lead", False):
            return  # an event first met deep in the story need not have happened in the dateline city
        key = "location/" + _slug(name)
        if key not in ex.entities:
            ex._new_entity(key, "Location", name)
        sent = next((s for s in ex.sentences if not s.heading), None)
        if sent is not None:
            ex.add_relation(sent, first, "locatedIn", key, "dateline:venue", 0.6)


def _slug(text: str) -> str:
    from .vocab import slug

    return slug(text)
