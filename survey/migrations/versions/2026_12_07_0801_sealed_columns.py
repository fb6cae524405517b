"""seal on PostgreSQL the free text, notes, Zawgyi originals and answers_json stored before the vault

Revision ID: 0801
Revises: 0751
Create Date: 2026-12-07 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from survey.vault.fields import PREFIX, seal_text


# revision identifiers, used by Alembic.
revision = '0801'
down_revision = '0751'
branch_labels = None
depends_on = None

SEALED = [('answers', 'text'), ('answers', 'original_text'), ('notes', 'body'),
          ('notes', 'original_body'), ('submissions', 'answers_json')]


def upgrade():
    """SQLite is encrypted whole by SQLCipher; on PostgreSQL each clear value is sealed (the
    server is unlocked while `flask setup` or `flask db upgrade` runs)."""
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    for table, column in SEALED:
        rows = bind.execute(sa.text(f'SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL '
                                    f"AND {column} NOT LIKE '{PREFIX}%'")).all()
        for row_id, value in rows:
            bind.execute(sa.text(f'UPDATE {table} SET {column} = :value WHERE id = :id'),
                         {'value': seal_text(value, f'{table}.{column}'), 'id': row_id})


def downgrade():
    """Sealed values stay sealed: the models read both."""
