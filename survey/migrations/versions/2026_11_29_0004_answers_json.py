"""each submission's answers as given, one JSON document, filled for the submissions already stored; the index the Responses sheet read goes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from survey.collect.documents import fill_documents


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('submissions', sa.Column('answers_json', sa.Text(), nullable=True))
    fill_documents(op.get_bind())
    # The Responses sheet read the answers through this index; it reads the documents now.
    op.drop_index('ix_answers_submission', table_name='answers')


def downgrade():
    op.create_index('ix_answers_submission', 'answers', ['form_id', 'organisation_id', 'submission_id', 'question', 'position', 'value', 'number'], unique=False)
    # Not batch mode: copying the table on SQLite would drop the old one, and with foreign
    # keys on that deletes every answer row. SQLite 3.35+ drops a column in place.
    op.execute('ALTER TABLE submissions DROP COLUMN answers_json')
