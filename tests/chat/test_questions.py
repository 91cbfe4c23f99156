"""The question detector's specification, as a table of French and English examples."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.chat.classify import question_in
from desktop.chat.questions import is_question

QUESTIONS = [
    # question marks, in all their forms
    "Is the recording available?",
    "Le replay sera disponible ?",
    "vraiment?!",
    "ok ?   ",
    "Et ensuite？",  # full-width
    "¿Dónde está la sala",
    "Tu viens ? 🙂",
    "question?🤔",
    "See https://example.org/page?id=3 — is that the right link?",
    # English openers
    "How do I get the slides",
    "how many people are connected",
    "What time does it start",
    "When is the break",
    "where can I find the replay",
    "Why is the sound choppy",
    "Who is the next speaker",
    "Which room should we join",
    "Can you repeat the last point",
    "could you share the link please",
    "Would it be possible to slow down",
    "Should we mute ourselves",
    "Is there a quiz at the end",
    "Are the slides in English",
    "Do you have a reference for that",
    "Does it work on Linux",
    "Did anyone else lose the sound",
    "Will the slides be shared",
    "May I ask something",
    "Hi! How do we vote",
    "Hello everyone, what is the password",
    # French openers
    "Qui est l'intervenant suivant",
    "quoi de neuf pour la version 4",
    "Quand est la pause",
    "Où trouver le support",
    "ou est le lien",  # sans accent, suivi de "est"
    "Pourquoi le son coupe",
    "Comment on récupère les diapositives",
    "COMBIEN DE TEMPS DURE LA SESSION",
    "Quel est le lien du replay",
    "Quelle heure est-il",
    "Quels sont les prérequis",
    "Quelles seront les dates",
    "Est-ce que la session est enregistrée",
    "est ce que c'est enregistré",
    "Peut-on poser des questions à l'oral",
    "Pouvez-vous répéter",
    "Y a-t-il une pause",
    "y a t'il un replay",
    "Faut-il s'inscrire avant",
    "Que pensez-vous de l'IA générative",
    "Qu'est-ce que SIPMediaGW",
    "Bonjour, comment accéder au replay",
    "Bonjour Madame, où sont les slides",
    "c'est quoi le lien",
    "C est quoi BBB",
    "on fait quoi",
]

NOT_QUESTIONS = [
    "How nice!",
    "how cool is that!",
    "How nice to see you all",
    "What a great talk",
    "What an answer!",
    "Quelle belle présentation",
    "Quel dommage",
    "Quelle horreur !",
    "Merci beaucoup",
    "Bonjour à tous",
    "Hello!",
    "Great talk, thanks",
    "Le son coupe de temps en temps",
    "Do share the slides with us",
    "Don't forget to mute",
    "May 5th is the deadline",
    "Have a nice day",
    "Will Smith is here",
    "Quand on aura fini, on fera une pause",
    "When you are ready, start the poll",
    "Rendez-vous à 14 h",
    "Ou alors on fait une pause",
    "Peut-être plus tard",
    "Dites-moi tout",
    "See https://example.org/page?id=3",
    "Le lien: https://x.fr/?a=1&b=2",
    "",
    "   ",
    "🎉🎉🎉",
    "Comment ! Incroyable !",
    "Qui vivra verra !",
    "+1",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions(text: str) -> None:
    assert is_question(text), text


@pytest.mark.parametrize("text", NOT_QUESTIONS)
def test_not_questions(text: str) -> None:
    assert not is_question(text), text


def test_table_is_large_enough() -> None:
    assert len(QUESTIONS) + len(NOT_QUESTIONS) >= 40


def test_a_reply_quote_does_not_hide_the_question() -> None:
    assert question_in("@Jane Doe: pourquoi donc")
    assert not question_in("@Jane Doe: merci")


def test_accents_and_case_do_not_matter() -> None:
    assert is_question("POURQUOI LE SON COUPE") and is_question("pourquoi le son coupe") and is_question("Pourquöi le son coupe")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    assert is_question(text) in (True, False)
