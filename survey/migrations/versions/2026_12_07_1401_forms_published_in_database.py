"""forms are published in the database: a catalog stamp, drafts, published versions

Revision ID: 1401
Revises: 1101
Create Date: 2026-12-07 23:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1401'
down_revision = '1101'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('form_versions', sa.Column('published_at', sa.DateTime(), nullable=True))
    op.add_column('form_versions', sa.Column('source', sa.Text(), nullable=True))
    op.execute("UPDATE form_versions SET published_at = loaded_at")
    op.create_table(
        'form_catalog_stamp',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('stamp', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_form_catalog_stamp')),
    )
    op.create_table(
        'form_drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('form_id', sa.String(length=64), nullable=False),
        sa.Column('version', sa.String(length=32), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('uploaded_by', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_form_drafts_uploaded_by_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_form_drafts')),
    )
    op.create_index(op.f('ix_form_drafts_form_id'), 'form_drafts', ['form_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_form_drafts_form_id'), table_name='form_drafts')
    op.drop_table('form_drafts')
    op.drop_table('form_catalog_stamp')
    op.drop_column('form_versions', 'source')  # SQLite 3.35+ drops a column in place
    op.drop_column('form_versions', 'published_at')
