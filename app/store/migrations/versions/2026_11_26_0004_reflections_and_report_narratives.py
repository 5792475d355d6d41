"""reflections and report narratives

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 10:00:00.000000

A reflection is what the practitioner noticed after a conversation and their goal for the
next one (shown at the start of their next attempt). A report narrative is the optional
model-written summary of a report, stored so any app server can show it once written.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reflections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('noticed', sa.Text(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_reflections_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reflections_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reflections'))
    )
    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reflections_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reflections_user_id'), ['user_id'], unique=False)

    op.create_table('report_narratives',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('model', sa.String(length=120), nullable=True),
    sa.Column('reply', sa.JSON(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_report_narratives_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('conversation_id', name=op.f('pk_report_narratives'))
    )


def downgrade() -> None:
    op.drop_table('report_narratives')
    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reflections_user_id'))
        batch_op.drop_index(batch_op.f('ix_reflections_conversation_id'))
    op.drop_table('reflections')
