"""participant codes numbered per organisation: code_sequences keyed by organisation and stem, codes unique within an organisation

Revision ID: 0501
Revises: 0401
Create Date: 2026-12-07 02:30:00.000000

"""
from collections.abc import Iterator
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0501'
down_revision = '0401'
branch_labels = None
depends_on = None


@contextmanager
def _foreign_keys_off() -> Iterator[None]:
    """SQLite rebuilds a table to change its constraints, and dropping the old copy with
    foreign keys on would delete (or refuse) every row that refers to it. The pragma only
    takes effect outside a transaction, so the work so far is committed first; the
    migration's own commit ends the rest."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        yield
        return
    raw = bind.connection.dbapi_connection
    raw.commit()
    raw.execute('PRAGMA foreign_keys=OFF')
    try:
        yield
        raw.commit()
        broken = raw.execute('PRAGMA foreign_key_check').fetchall()
        if broken:
            raise RuntimeError(f'foreign keys broken by the rebuild: {broken[:5]}')
    finally:
        raw.execute('PRAGMA foreign_keys=ON')


def _sequences(keyed_by_organisation: bool) -> None:
    columns = [sa.Column('stem', sa.String(length=60), nullable=False),
               sa.Column('last', sa.Integer(), nullable=False)]
    key = ['stem']
    if keyed_by_organisation:
        columns.insert(0, sa.Column('organisation_id', sa.Integer(), nullable=False))
        columns.append(sa.ForeignKeyConstraint(
            ['organisation_id'], ['organisations.id'],
            name=op.f('fk_code_sequences_organisation_id_organisations')))
        key = ['organisation_id', 'stem']
    op.create_table('code_sequences', *columns,
                    sa.PrimaryKeyConstraint(*key, name=op.f('pk_code_sequences')))


def upgrade():
    bind = op.get_bind()
    shared = bind.execute(sa.text('SELECT stem, last FROM code_sequences')).all()
    organisations = bind.execute(sa.text('SELECT id FROM organisations')).scalars().all()
    op.drop_table('code_sequences')
    _sequences(keyed_by_organisation=True)
    # Each organisation goes on from where the shared counter stood: no new code repeats an old one.
    rows = [{'organisation_id': org, 'stem': stem, 'last': last}
            for org in organisations for stem, last in shared]
    if rows:
        bind.execute(sa.text('INSERT INTO code_sequences (organisation_id, stem, last) '
                             'VALUES (:organisation_id, :stem, :last)'), rows)
    with _foreign_keys_off(), op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint('uq_participants_code', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_participants_organisation_id_code'),
                                          ['organisation_id', 'code'])


def downgrade():
    with _foreign_keys_off(), op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_participants_organisation_id_code'), type_='unique')
        batch_op.create_unique_constraint('uq_participants_code', ['code'])
    bind = op.get_bind()
    shared = bind.execute(sa.text('SELECT stem, MAX(last) FROM code_sequences GROUP BY stem')).all()
    op.drop_table('code_sequences')
    _sequences(keyed_by_organisation=False)
    if shared:
        bind.execute(sa.text('INSERT INTO code_sequences (stem, last) VALUES (:stem, :last)'),
                     [{'stem': stem, 'last': last} for stem, last in shared])
