"""translator notes and review marks per organisation: organisation_id on text_notes and text_reviews, filled from their author's organisation

Revision ID: 0751
Revises: 0701
Create Date: 2026-12-07 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0751'
down_revision = '0701'
branch_labels = None
depends_on = None

UNOWNED = sa.text('organisation_id IS NULL')


def upgrade():
    with op.batch_alter_table('text_notes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_text_notes_organisation_id_organisations'),
                                    'organisations', ['organisation_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index('ix_text_notes_organisation_id_form_id',
                              ['organisation_id', 'form_id'], unique=False)
    with op.batch_alter_table('text_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_text_reviews_organisation_id_organisations'),
                                    'organisations', ['organisation_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint('uq_text_reviews_form_id_key_language', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_text_reviews_organisation_id_form_id_key_language'),
            ['organisation_id', 'form_id', 'key', 'language'])
        batch_op.create_index('uq_text_reviews_unowned', ['form_id', 'key', 'language'], unique=True,
                              sqlite_where=UNOWNED, postgresql_where=UNOWNED)
    # Each note and mark becomes its author's organisation's; one whose author is gone
    # or belongs to no organisation stays with no organisation (seen only by admins of none).
    op.execute('UPDATE text_notes SET organisation_id = '
               '(SELECT organisation_id FROM users WHERE users.id = text_notes.author_id)')
    op.execute('UPDATE text_reviews SET organisation_id = '
               '(SELECT organisation_id FROM users WHERE users.id = text_reviews.reviewed_by)')


def downgrade():
    # One mark per text again: the oldest mark on each text is kept.
    op.execute('DELETE FROM text_reviews WHERE id NOT IN ('
               'SELECT MIN(id) FROM text_reviews GROUP BY form_id, key, language)')
    with op.batch_alter_table('text_reviews', schema=None) as batch_op:
        batch_op.drop_index('uq_text_reviews_unowned', sqlite_where=UNOWNED, postgresql_where=UNOWNED)
        batch_op.drop_constraint(batch_op.f('uq_text_reviews_organisation_id_form_id_key_language'),
                                 type_='unique')
        batch_op.create_unique_constraint('uq_text_reviews_form_id_key_language',
                                          ['form_id', 'key', 'language'])
        batch_op.drop_constraint(batch_op.f('fk_text_reviews_organisation_id_organisations'),
                                 type_='foreignkey')
        batch_op.drop_column('organisation_id')
    with op.batch_alter_table('text_notes', schema=None) as batch_op:
        batch_op.drop_index('ix_text_notes_organisation_id_form_id')
        batch_op.drop_constraint(batch_op.f('fk_text_notes_organisation_id_organisations'),
                                 type_='foreignkey')
        batch_op.drop_column('organisation_id')
