"""What the real BBB 3 GraphQL stack answers, as data the lab's socket (``graphql.py``) serves.

Each rule here was read in BBB's own code; the source is named next to it.  What could not be
confirmed there is marked ``[unverified]`` rather than guessed.

Sources (facts taken, no code copied):

* ``MW_CONNHANDLER`` — bigbluebutton/bigbluebutton: ``bbb-graphql-middleware/internal/websrv/connhandler.go``,
  the develop-branch version that imports ``bbb-graphql-middleware/config`` (the index serving it
  gives no commit id; read December 2026): ``connectionInitHandler`` and ``disconnectWithError``.
* ``MW_GLOBALSTATE`` — same repository, ``bbb-graphql-middleware/internal/common/GlobalState.go``
  (same branch): ``HasReachedMaxUserConnections``, ``AddUserConnection`` after a successful init.
* ``MW_CONFIG`` — same repository, ``bbb-graphql-middleware/config/config.yml`` at
  017f7bc6e0d94d18577ced0c603aac0799a7192e: ``max_connections_per_session_token: 3``.
* ``MW_GQL_ACTIONS`` — same repository, ``bbb-graphql-middleware/internal/gql_actions/client.go`` at
  02636c9ddb8179116e14b9f1e80c2e654efe7879: mutations go to bbb-graphql-actions over HTTP, not to
  Hasura; a failure is ``error`` ``[{"message": …}]`` then ``complete``.
* ``ACTION_ALIVE`` — same repository, ``bbb-graphql-actions/src/actions/userSetConnectionAlive.ts`` at
  133b34186aa066fae0845dc42b49beacfff0d85c, and ``bbb-graphql-actions/src/imports/validation.ts`` at
  b93c5b5e153a6a0e26e9173009fc22f14fdc45cb (``Missing required parameter: '<name>'``).
* ``MW_REDIS`` — same repository, ``bbb-graphql-middleware/internal/websrv/rediscli.go`` (develop):
  ``ForceUserGraphqlReconnectionSysMsg`` → ``InvalidateSessionTokenHasuraConnections``: the browser
  socket stays open, the middleware refreshes the session variables and opens a new Hasura
  connection (new role) for the same browser connection.
* ``HASURA_VALIDATION`` — Hasura's ``validation-failed`` errors (``field '<f>' not found in type:
  '<root>'``), as BBB clients receive them for a role without the field.
"""

from __future__ import annotations

import hashlib
from typing import Any

# -- connection_init refusals (MW_CONNHANDLER) ------------------------------------------------------
# disconnectWithError writes {"id": "-1", "type": "error", "payload": [{"messageId": <reason>,
# "message": <text>}]} and then closes with 4403 and <text> as the close reason.
CLOSE_FORBIDDEN = 4403
REFUSAL_OPERATION_ID = "-1"

REASON_PARAM_MISSING = "param_missing"
REASON_TOO_MANY_CONNECTIONS = "too_many_connections"
REASON_MEETING_NOT_FOUND = "meeting_not_found"
REASON_USER_NOT_FOUND = "user_not_found"
REASON_CHECK_AUTHORIZATION_ERROR = "check_authorization_error"

# the texts connectionInitHandler returns with each reason (MW_CONNHANDLER)
TEXT_TOO_MANY_CONNECTIONS = "too many connections"
TEXT_AUTHORIZATION = "error on trying to check authorization"

# the four headers connectionInitHandler requires, in the order it checks them; the session
# token first, then the connection limit, then the three others (MW_CONNHANDLER)
HEADER_SESSION_TOKEN = "X-Session-Token"
HEADERS_AFTER_LIMIT = ("X-ClientSessionUUID", "X-ClientType", "X-ClientIsMobile")

DEFAULT_MAX_CONNECTIONS_PER_SESSION_TOKEN = 3  # MW_CONFIG


def header_missing_text(header: str) -> str:
    """connectionInitHandler's text for a missing header (MW_CONNHANDLER)."""
    return f"{header} header missing on init connection"


def refusal_frame(reason: str, text: str) -> dict[str, Any]:
    """The ``error`` frame the middleware sends before closing with 4403 (MW_CONNHANDLER)."""
    return {"id": REFUSAL_OPERATION_ID, "type": "error",
            "payload": [{"messageId": reason, "message": text}]}


# -- Hasura roles (MW_CONNHANDLER refreshUserSessionVariables; MW_REDIS) -----------------------------
ROLE_IN_MEETING = "bbb_client"
ROLE_NOT_IN_MEETING = "bbb_client_not_in_meeting"
# chat_message_public is granted to bbb_client only (bigbluebutton/bigbluebutton:
# bbb-graphql-server/metadata/databases/BigBlueButton/tables/public_v_chat_message_public.yaml,
# select_permissions); user_current is readable before the join: the HTML5 client and iMDT's
# stress client subscribe to it before userJoinMeeting and wait for ``joined``
# (iMDT/bbb-stress-test-utils@d0b5ab8f0780d7aebbd1939fb540166e0dc2f58a:
# client-stress-test/hasura/client.go).
FIELDS_NEEDING_JOIN = frozenset({"chat_message_public"})


def field_not_found(field: str, root: str) -> dict[str, Any]:
    """Hasura's validation error for a root field the role cannot see (HASURA_VALIDATION).

    The message text is Hasura's; the ``path`` value is [unverified] (``$.selectionSet.<field>``
    is what Hasura v2 reports for selection errors as far as could be read, not confirmed against
    a BBB server).
    """
    return {"message": f"field '{field[:60]}' not found in type: '{root}'",
            "extensions": {"path": f"$.selectionSet.{field[:60]}", "code": "validation-failed"}}


# -- mutations through bbb-graphql-actions (MW_GQL_ACTIONS, ACTION_ALIVE) ----------------------------
# (name, kind, required) of userSetConnectionAlive's input as the action validates it.  Newer HTML5
# clients also send serverRequestId and clientIsHidden; whether the schema of the newest servers
# requires serverRequestId is [unverified] (the action read above does not look at it).
CONNECTION_ALIVE_INPUT: tuple[tuple[str, str, bool], ...] = (
    ("clientSessionUUID", "string", True),
    ("networkRttInMs", "number", True),
    ("applicationRttInMs", "number", False),
    ("traceLog", "string", False),
)


def _has_kind(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    return isinstance(value, int | float) and not isinstance(value, bool)


def validate_action_input(args: dict[str, Any], spec: tuple[tuple[str, str, bool], ...]) -> str | None:
    """throwErrorIfInvalidInput's message for ``args``, or None when they pass (ACTION_ALIVE).

    An argument bound to a variable the client did not send is absent here, as in the
    middleware's own parse of the mutation (MW_GQL_ACTIONS: a missing variable is skipped).
    """
    for name, kind, required in spec:
        if required and name not in args:
            return f"Missing required parameter: '{name}'"
        if name in args:
            value = args[name]
            if not required and value is None:
                continue
            if not _has_kind(value, kind):
                return f"Parameter '{name}' should be of type {kind}"
    return None


def action_failure_text(action_message: str) -> str:
    """How the middleware words a refused action in the ``error`` frame (MW_GQL_ACTIONS).

    That bbb-graphql-actions answers a validation failure with a non-200 JSON body carrying
    ``message`` is [unverified] (its HTTP handler was not read); the wrapping is the middleware's.
    """
    return ("It was not able to send the request to Graphql Actions: "
            f"graphql actions request failed: {action_message}")


# -- chat_message_public ordering -------------------------------------------------------------------
def order_keys(order_by: Any) -> list[tuple[str, bool]]:
    """Hasura ``order_by`` (one object or a list of objects) as [(column, descending)], in order."""
    items = order_by if isinstance(order_by, list) else [order_by]
    keys: list[tuple[str, bool]] = []
    for item in items:
        if isinstance(item, dict):
            for column, direction in item.items():
                keys.append((str(column), str(direction).lower().startswith("desc")))
    return keys


def unspecified_tie_rank(message_id: str, limit: Any, offset: Any) -> str:
    """A stand-in for PostgreSQL's unspecified order among rows whose sort keys are equal.

    ``ORDER BY "createdAt" LIMIT n OFFSET m`` promises nothing about rows with the same
    ``createdAt``, and two pages are two executions: a row can come on both pages or on neither.
    The lab makes that visible by ranking ties differently for each (limit, offset) — a
    deterministic choice of its own, not BBB's.  Asking for a total order (``messageSequence``
    after ``createdAt``) makes it irrelevant.
    """
    return hashlib.sha256(f"{limit}:{offset}:{message_id}".encode()).hexdigest()
