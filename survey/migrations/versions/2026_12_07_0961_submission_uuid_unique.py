"""a submission's UUID is unique across the whole server, not per form

Revision ID: 0961
Revises: 0801
Create Date: 2026-12-07 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0961'
down_revision = '0801'
branch_labels = None
depends_on = None


def upgrade() -> None:
    shared = op.get_bind().execute(sa.text(
        "SELECT uuid FROM submissions GROUP BY uuid HAVING count(*) > 1")).first()
    if shared is not None:
        raise RuntimeError(f"submission UUID {shared[0]} is stored under two forms; "
                           "keep one of them before upgrading")
    op.create_index(op.f('ix_submissions_uuid'), 'submissions', ['uuid'], unique=True)


def downgrade() -> None:
    op.drop_index(op.f('ix_submissions_uuid'), table_name='submissions')
