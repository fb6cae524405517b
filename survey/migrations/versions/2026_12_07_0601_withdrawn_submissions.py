"""withdrawn_submissions: the UUIDs of submissions a withdrawal deleted, so no copy is stored again

Revision ID: 0601
Revises: 0501
Create Date: 2026-12-07 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0601'
down_revision = '0501'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'withdrawn_submissions',
        sa.Column('uuid', sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint('uuid', name=op.f('pk_withdrawn_submissions')),
    )


def downgrade() -> None:
    op.drop_table('withdrawn_submissions')
