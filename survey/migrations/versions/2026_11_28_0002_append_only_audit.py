"""the audit log is append-only

Revision ID: 0002
Revises: 0001
"""
from alembic import op

from survey.audit import append_only

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    append_only.install(op.get_bind())


def downgrade():
    append_only.remove(op.get_bind())
