"""The lab: a faithful loopback world (BBB 3 API + GraphQL chat, SIPMediaGW legacy and v1.8,
an HLS origin with real video, a simulated audience) for the demo and the integration tests.

The app reaches the lab only through its public endpoints — no lab-specific code path exists in
the core — and code outside this package reaches it only through its entry points
(``pupitre lab``, :class:`desktop.lab.runner.Lab`).
"""
