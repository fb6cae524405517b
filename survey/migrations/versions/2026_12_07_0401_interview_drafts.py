"""interviews in progress kept on the server, sealed, instead of in a hidden field of each page

Revision ID: 0401
Revises: 0301
Create Date: 2026-12-07 02:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0401'
down_revision = '0301'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'interview_drafts',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('form_id', sa.String(length=64), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_interview_drafts_user_id'), 'interview_drafts', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_interview_drafts_user_id'), table_name='interview_drafts')
    op.drop_table('interview_drafts')
