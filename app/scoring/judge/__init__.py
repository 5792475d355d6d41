"""The optional LLM judge: codes and criterion levels from a capable model, with quotes.

Never the default (``REHEARSE_SCORING_METHOD=rules``); chosen with ``--method judge`` or
``REHEARSE_SCORING_METHOD=judge`` when an OpenAI-compatible endpoint is configured. Every
structured reply is validated against its schema and the transcript and retried a bounded
number of times; if the judge still fails, the rules score instead and the card says so.
"""
