"""conversation branches (re-rehearsal)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 10:00:00.000000

A branch is a conversation of its own that starts with copies of its parent's turns up to
the fork: ``fork_index`` is the index of the first turn that differs from the parent (the
practitioner turn tried again). ``root_id`` is the first conversation of the family, so all
branches of a conversation are one indexed lookup.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('branches',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=False),
    sa.Column('root_id', sa.Integer(), nullable=False),
    sa.Column('fork_index', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_branches_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['parent_id'], ['conversations.id'], name=op.f('fk_branches_parent_id_conversations')),
    sa.ForeignKeyConstraint(['root_id'], ['conversations.id'], name=op.f('fk_branches_root_id_conversations')),
    sa.PrimaryKeyConstraint('conversation_id', name=op.f('pk_branches'))
    )
    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_branches_root_id'), ['root_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_branches_root_id'))
    op.drop_table('branches')
