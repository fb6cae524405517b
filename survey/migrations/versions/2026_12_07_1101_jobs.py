"""background jobs: workbooks and recounts, their scope, progress and outcome

Revision ID: 1101
Revises: 0961
Create Date: 2026-12-07 23:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1101'
down_revision = '0961'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'jobs',
        sa.Column('id', sa.String(length=43), nullable=False),
        sa.Column('kind', sa.Enum('workbook', 'shareable', 'recount', name='kind',
                                  native_enum=False, length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('form_id', sa.String(length=64), nullable=True),
        sa.Column('filters', sa.JSON(), nullable=False),
        sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', 'expired', name='status',
                                    native_enum=False, length=20), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_jobs_organisation_id_organisations')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_jobs_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    )
    op.create_index(op.f('ix_jobs_user_id'), 'jobs', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_jobs_user_id'), table_name='jobs')
    op.drop_table('jobs')
