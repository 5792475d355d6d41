"""consent and authored scenarios

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 10:00:00.000000

Consent at first use: when a user agreed to transcripts being stored, and whether they
agreed to share them with their cohort's trainers and the assessors they submit to.
Scenario authoring in the app: a scenario version says where it came from (a file in
scenarios/ or the app), who wrote it and why; ``published_at`` marks the version the app
offers now (the newest published one of a slug wins over the file).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consented_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('shares_with_reviewers', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('scenario_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=20), server_default='file', nullable=False))
        batch_op.add_column(sa.Column('author_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('note', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_scenario_versions_author_id_users'), 'users', ['author_id'], ['id']
        )


def downgrade() -> None:
    with op.batch_alter_table('scenario_versions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_scenario_versions_author_id_users'), type_='foreignkey')
        batch_op.drop_column('published_at')
        batch_op.drop_column('note')
        batch_op.drop_column('author_id')
        batch_op.drop_column('origin')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('shares_with_reviewers')
        batch_op.drop_column('consented_at')
