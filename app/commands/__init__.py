"""Groups of ``rehearse`` commands that live beside their own engines.

Each module has ``register(cli)``, called once by ``app.cli``; this keeps ``cli.py`` thin
and lets the scoring commands grow without touching the chat and validate commands.
"""
