"""Is this chat message a question?  French and English heuristics.

A presenter with hundreds of messages wants the questions first.  Audience members often skip the
question mark ("comment on récupère les slides"), so a question mark is not the only signal:

1. A question mark anywhere (ASCII, full-width ？, inverted ¿), unless it is part of a URL
   ("page?id=3") — the mark must not be followed by a letter, digit or URL punctuation.
2. Otherwise the first sentence (after a greeting such as "Bonjour," or "Hi!") is looked at:
   * a sentence that ends with "!" is an exclamation ("How nice!", "Quelle belle vue !");
   * EN openers: who whom whose what when where why which, an auxiliary (can could would should
     is are was were will do does did may might have has shall am), "how" only before an auxiliary
     or a quantifier ("how do", "how many", not "how nice"), "what" not before "a"/"an";
   * FR openers: qui quoi quand où pourquoi comment combien, "est-ce (que)", "quel(le)(s)" before
     a form of "être" or with an inversion, "que/qu'" with an inversion ("que pensez-vous");
   * FR inversion anywhere in the sentence: "faut-il", "peut-on", "pouvez-vous", "y a-t-il",
     "est-ce", "a t'il";  "c'est quoi", or "quoi" as the last word.
   A subordinate "when/quand/where ..., ..." followed by a comma is a statement ("Quand on aura
   fini, on fera une pause").

Matching is case- and accent-insensitive (:func:`desktop.chat.text.fold`), except that "où" keeps
its accent (without it, "ou" means "or"); unaccented "ou" counts only before est/sont/se/trouver.
The table of examples in ``tests/chat/test_questions.py`` is the specification.
"""

from __future__ import annotations

import re

from desktop.chat.text import fold


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A question mark that ends a question, not one inside a URL's query string.
_QUESTION_MARK = re.compile(r"¿|[?⁇⁈⁉](?![\w=&/%#])")
_SENTENCE = re.compile(r"([^.!;\n…]*)([.!;\n…]+|$)")
_WORD = re.compile(r"[\w’'-]+")

_GREETINGS = _words(
    "hi hello hey dear bonjour bonsoir salut coucou merci thanks thank re ok okay madame monsieur "
    "please svp stp alors so well euh hmm"
)
_EN_WH = _words("who whom whose what when where why which")
_EN_AUX = _words("can could would should is are was were will do does did may might have has shall am")
# auxiliaries that start statements too often ("Do share", "May 5th", "Have a nice day", "Will
# Smith"): they only count when a subject follows
_EN_AUX_NEEDS_SUBJECT = _words("do does did may might will have has shall am")
_EN_SUBJECTS = _words(
    "i we you he she it they there this that these those someone somebody anyone anybody everyone "
    "everybody people the my your our his her their its all any"
)
_HOW_FOLLOWERS = _EN_AUX | _words("to many much long often far old come about soon big")
_FR_WH = _words("qui quoi quand pourquoi comment combien")
_FR_QUEL = _words("quel quelle quels quelles")
_FR_ETRE = _words("est sont sera seront etait etaient serait seraient etaient")
_OU_FOLLOWERS = _words("est sont se trouver trouve puis peut peux peuvent en")
_SUBORDINATING = _words("when where quand")

_INVERSION = re.compile(
    r"(?<![\w-])(?!rendez-vous\b)[a-z]+(?:-t)?-(?:vous|il|elle|on|ils|elles|je|tu|ce)(?![\w-])"
    r"|(?<!\w)(?:a|va|y a) t[' -]?(?:il|elle|on)(?!\w)"
    r"|(?<!\w)est ce qu"
    r"|(?<!\w)c[' ]?est quoi(?!\w)"
)


def is_question(text: str) -> bool:
    """True when ``text`` reads as a question in French or English (see the module docstring)."""
    folded = fold(text).replace("’", "'")
    if _QUESTION_MARK.search(folded):
        return True
    sentence, terminator = _first_sentence(folded)
    if not sentence:
        return False
    if "!" in terminator:
        return False
    words = [w.strip("-'") for w in _WORD.findall(sentence)]
    words = [w for w in words if w]
    if not words:
        return False
    if _INVERSION.search(sentence):
        return True
    if words[-1] == "quoi":
        return True
    first = words[0]
    following = words[1] if len(words) > 1 else ""
    if first in _SUBORDINATING and "," in sentence and following not in _EN_AUX | _FR_ETRE:
        return False
    if first == "how":
        return following in _HOW_FOLLOWERS
    if first == "what":
        return following not in ("a", "an")
    if first in _EN_WH:
        return True
    if first in _EN_AUX:
        return first not in _EN_AUX_NEEDS_SUBJECT or following in _EN_SUBJECTS
    if first in _FR_WH:
        return True
    if first == "ou":
        # "où" keeps its accent in the unfolded text; bare "ou" means "or"
        return _starts_with_accented_ou(text) or following in _OU_FOLLOWERS
    if first in _FR_QUEL:
        return following in _FR_ETRE
    return False


def _first_sentence(folded: str) -> tuple[str, str]:
    """The first sentence that is not just a greeting, and the punctuation that ends it."""
    for match in _SENTENCE.finditer(folded):
        body, terminator = match.group(1).strip(), match.group(2)
        if not body:
            if not terminator:
                break
            continue
        body = _drop_greeting(body)
        if body:
            return body, terminator
        if not terminator:
            break
    return "", ""


def _drop_greeting(sentence: str) -> str:
    """"bonjour madame, comment ..." -> "comment ..."; a sentence that is only a greeting -> ""."""
    head, comma, rest = sentence.partition(",")
    head_words = _WORD.findall(head)
    if head_words and head_words[0] in _GREETINGS and len(head_words) <= 4:
        return _drop_greeting(rest.strip()) if comma else ""
    return sentence


def _starts_with_accented_ou(text: str) -> bool:
    words = _WORD.findall(text.casefold())
    return any(w == "où" for w in words[:3])
