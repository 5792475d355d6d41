"""turn persona state and reply checks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00.000000

Practitioner turns keep the persona step (trust and emotion before and after, engine
signals, facts released and why); person turns keep how the reply was made and what the
checks caught. Both nullable: turns saved before this revision have neither.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('turns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('persona', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('checks', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('turns', schema=None) as batch_op:
        batch_op.drop_column('checks')
        batch_op.drop_column('persona')
