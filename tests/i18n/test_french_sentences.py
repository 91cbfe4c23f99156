"""The core's sentences in French when the language is French, from each package; English
otherwise (the autouse fixture of tests/conftest.py, which the rest of the suite relies on).

The French expected here is written out in full on purpose: a translation that loses its
placeholders, or a sentence built from fragments, shows as a mismatch.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from desktop.bbb import parsing
from desktop.bbb.errors import BBBError
from desktop.chat.graphql_source import ChatConnection, ChatStatus
from desktop.chat.pipeline import health_of
from desktop.config.settings import BBBProfile, Settings
from desktop.errors import ConfigError, PupitreError, UnreachableError
from desktop.gateways.errors import GatewayAuthError, GatewayBusy, NoGatewayAvailable
from desktop.net.http import make_client, send
from desktop.preflight import run_preflight
from desktop.schedule.errors import ValidationError
from desktop.schedule.models import TITLE_MIN, Webinar
from desktop.secrets.store import BackendInfo
from desktop.stream.health import StreamHealth, StreamState
from desktop.webinar.session import _chat_request_notice
from desktop.webinar.state import ChatPanel, Health, HealthView
from tests.integration.conftest import World, lab_world, open_in_browser  # noqa: F401
from tests.support.catalogues import core_po_files

NBSP = "\u00a0"


def _refusing(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


async def test_a_network_error_in_french(french: None) -> None:
    async with make_client(transport=httpx.MockTransport(_refusing)) as client:
        with pytest.raises(UnreachableError) as caught:
            await send(client, client.build_request("GET", "https://bbb.example.org/api"))
    assert caught.value.sentence == "Impossible de joindre bbb.example.org."
    assert caught.value.hint == "Vérifiez l’adresse et votre connexion réseau."


async def test_the_same_error_in_english_by_default() -> None:
    async with make_client(transport=httpx.MockTransport(_refusing)) as client:
        with pytest.raises(UnreachableError) as caught:
            await send(client, client.build_request("GET", "https://bbb.example.org/api"))
    assert caught.value.sentence == "Could not reach bbb.example.org."


def test_a_bbb_checksum_error_in_french(french: None) -> None:
    answer = (b"<response><returncode>FAILED</returncode><messageKey>checksumError</messageKey>"
              b"<message>Checksums do not match</message></response>")
    with pytest.raises(BBBError) as caught:
        parsing.check_returncode(parsing.parse_document(answer, call="getMeetings"), call="getMeetings")
    error = caught.value
    assert error.message_key == "checksumError"  # the machine value stays as BBB sent it
    assert error.sentence == (f"Le serveur BBB a refusé la signature de la requête{NBSP}: le secret partagé "
                              "ou l’algorithme de signature est erroné.")
    assert error.hint.startswith("Vérifiez le secret (bbb-conf --secret sur le serveur)")
    # the server's own words are quoted, inside our French sentence
    assert BBBError("someNewKey", "Something odd").sentence == \
        f"Le serveur BBB a refusé la requête{NBSP}: Something odd."


def test_a_malformed_bbb_answer_in_french(french: None) -> None:
    with pytest.raises(PupitreError) as caught:
        parsing.parse_document(b"", call="create")
    assert caught.value.sentence == f"La réponse du serveur BBB à «{NBSP}create{NBSP}» est vide."


def test_a_busy_gateway_and_the_pool_in_french(french: None) -> None:
    busy = GatewayBusy("gw1")
    assert busy.sentence == f"La passerelle «{NBSP}gw1{NBSP}» n’a plus de place de diffusion libre."
    pool = NoGatewayAvailable({"gw1": busy, "gw2": UnreachableError("x"), "gw3": GatewayAuthError("gw3")})
    assert pool.sentence == (f"Aucune passerelle n’a pu démarrer le flux{NBSP}: gw1 est occupée{NBSP}; "
                             f"gw2 est injoignable{NBSP}; gw3 a refusé le jeton.")


def test_a_stalled_stream_in_french(french: None) -> None:
    stalled = StreamHealth(StreamState.STALLED, "https://hls.example.org/live.m3u8", reachable=True,
                           stall_reason="not_advancing", since_last_advance=7.25, new_segments=4, updated_at=1.0)
    assert stalled.describe() == "Le flux n’avance plus depuis 7,2 s."
    gone = StreamHealth(StreamState.STALLED, "u", stall_reason="gone", http_status=404,
                        since_last_advance=12.0, new_segments=4, updated_at=1.0)
    assert gone.describe() == (f"Le flux du public a disparu{NBSP}: son adresse répond désormais 404 "
                               "(dernier nouveau segment il y a 12 s).")
    live = StreamHealth(StreamState.LIVE, "u", advancing=True, newest_segment_age=1.5, updated_at=1.0)
    assert live.to_dict()["summary"] == "Le flux du public est en direct et avance (dernier segment vieux de 1,5 s)."


def test_schedule_validation_in_french(french: None) -> None:
    webinar = Webinar(title="A", start=datetime.now(UTC) + timedelta(days=1), duration=timedelta(0),
                      timezone="Europe/Paris")
    problems = {error.field: error.sentence for error in webinar.problems()}
    assert problems["title"] == f"Le titre doit comporter au moins {TITLE_MIN} caractères."
    assert problems["duration"] == "Un webinaire doit durer au moins une minute."
    with pytest.raises(ValidationError) as caught:
        Webinar(title="Amphi", start=datetime.now(UTC), duration=timedelta(hours=1), timezone="Mars/Olympus").validate()
    assert caught.value.field == "timezone"
    assert caught.value.sentence.startswith(f"«{NBSP}Mars/Olympus{NBSP}» n’est pas un nom de fuseau horaire")


def test_settings_secrets_chat_and_health_rows_in_french(french: None) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings().profile()
    assert caught.value.explain() == (f"Aucun serveur BBB n’est configuré. Ajoutez-en un avec "
                                      f"«{NBSP}pupitre profile add{NBSP}».")
    assert BackendInfo("SecretService Keyring", True, True).describe() == \
        "Les secrets sont enregistrés dans le trousseau de votre système (SecretService Keyring)."
    assert health_of(ChatStatus(ChatConnection.RECONNECTING, retry_in=2.2)) == \
        (Health.WARNING, f"La connexion à la discussion a été perdue{NBSP}; reconnexion dans 3 s.")
    view = HealthView()  # default rows are made in the current language
    assert (view.meeting.text, view.chat.text) == ("Pas encore vérifié.", "Non connecté.")


async def test_a_preflight_result_in_french(french: None) -> None:
    profile = BBBProfile(name="campus", url="https://127.0.0.1:9/bigbluebutton/api/")
    results = await run_preflight(profile, None, [], include_hls=False, timeout=10)
    sentences = {result.name: result.sentence for result in results}
    assert sentences["bbb.secret"] == f"Aucun secret partagé n’est enregistré pour le serveur BBB «{NBSP}campus{NBSP}»."
    assert sentences["bbb.reachable"].startswith(f"Le serveur BBB «{NBSP}campus{NBSP}» est injoignable{NBSP}: ")
    assert sentences["gateway.reachable"].startswith("Aucune passerelle de diffusion n’est configurée")


@pytest.mark.lab
async def test_a_lab_go_live_with_a_refused_token_fails_in_french(french: None, lab_world: World) -> None:  # noqa: F811
    from desktop.webinar.state import LiveState

    for gateway in lab_world.lab.gateways:
        await lab_world.lab.set_fault(gateway.name, "wrong_token")
    webinar = lab_world.schedule()
    session = lab_world.manager.session(lab_world.manager.plan_for(webinar.id))
    session.on_presenter_join_url(lambda url: asyncio.get_running_loop().create_task(open_in_browser(url)))
    await session.go_live()
    snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
    assert snap.state == LiveState.FAILED
    failure = snap.failure
    assert failure is not None and failure.step == "checking"  # a machine value: not translated
    assert failure.sentence.startswith(f"Aucune passerelle n’est utilisable{NBSP}: "), failure.sentence
    assert f"La passerelle «{NBSP}lab-gw1{NBSP}» a refusé le jeton." in failure.sentence
    assert failure.hint == "Vérifiez les adresses et les jetons des passerelles dans les paramètres."
    assert lab_world.lab.publishing() == []


def test_catalogue_sources_are_found() -> None:
    assert core_po_files()["fr"].name == "pupitre_core_fr.po"


def test_a_chat_panel_toggle_is_a_request_in_french(french: None) -> None:
    hide = ChatPanel.after_start().toggled()
    assert _chat_request_notice(hide) == (
        f"Le masquage de la discussion dans le flux a été demandé{NBSP}; la passerelle ne peut pas le "
        f"confirmer{NBSP}: vérifiez l’aperçu.")
    assert _chat_request_notice(hide.toggled()) == (
        f"L’affichage de la discussion dans le flux a été demandé{NBSP}; la passerelle ne peut pas le "
        f"confirmer{NBSP}: vérifiez l’aperçu.")
