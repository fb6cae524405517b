"""each organisation has a time zone: the days its results count by

Revision ID: 1501
Revises: 1401
Create Date: 2026-12-07 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from survey.results.counts import recount


# revision identifiers, used by Alembic.
revision = '1501'
down_revision = '1401'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('organisations', sa.Column('time_zone', sa.String(length=64), nullable=True))
    # Counted again by the day each interview took place in its organisation's zone.
    recount(op.get_bind())


def downgrade() -> None:
    op.drop_column('organisations', 'time_zone')
