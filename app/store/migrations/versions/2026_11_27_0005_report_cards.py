"""report cards

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:00:00.000000

A report card is a conversation's score card from the LLM judge (REHEARSE_SCORING_METHOD=
judge), stored with the key it was scored from (last turn, rubric, method) so that any app
server shows it without asking the judge again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('report_cards',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('model', sa.String(length=120), nullable=True),
    sa.Column('card', sa.JSON(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_report_cards_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('conversation_id', name=op.f('pk_report_cards'))
    )


def downgrade() -> None:
    op.drop_table('report_cards')
