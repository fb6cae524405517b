"""record keys for consistent perturbation: a random key per submission (derived from the secret key for those already stored), key sums beside every answer count, recounted

Revision ID: 0301
Revises: 0004
Create Date: 2026-12-07 02:30:00.000000

"""
from alembic import op
import sqlalchemy as sa
from flask import current_app

from survey.results.perturbation import derived_record_key, new_record_key


# revision identifiers, used by Alembic.
revision = '0301'
down_revision = '0004'
branch_labels = None
depends_on = None

COUNT_TABLES = ('answer_counts', 'answer_pair_counts')


def upgrade():
    op.add_column('submissions', sa.Column('record_key', sa.Integer(), server_default='0', nullable=False))
    for table in COUNT_TABLES:
        op.add_column(table, sa.Column('key_sum', sa.BigInteger(), server_default='0', nullable=False))
        op.add_column(table, sa.Column('text_key_sum', sa.BigInteger(), server_default='0', nullable=False))
    _fill_record_keys(op.get_bind())
    # The counts and their key sums are rebuilt at 1501, by each organisation's days.


def _fill_record_keys(connection):
    secret = current_app.config.get('SECRET_KEY')
    submissions = sa.table('submissions', sa.column('id'), sa.column('public_id'), sa.column('record_key'))
    keys = [{'b_id': id_, 'key': derived_record_key(secret, public_id) if secret else new_record_key()}
            for id_, public_id in connection.execute(sa.select(submissions.c.id, submissions.c.public_id))]
    if keys:
        connection.execute(submissions.update().where(submissions.c.id == sa.bindparam('b_id'))
                           .values(record_key=sa.bindparam('key')), keys)


def downgrade():
    # SQLite 3.35+ drops a column in place (batch mode would copy the tables).
    for table in COUNT_TABLES:
        op.execute(f'ALTER TABLE {table} DROP COLUMN text_key_sum')
        op.execute(f'ALTER TABLE {table} DROP COLUMN key_sum')
    op.execute('ALTER TABLE submissions DROP COLUMN record_key')
