"""wrong PINs counted on the server: pin_attempts per user and login session

Revision ID: 0701
Revises: 0601
Create Date: 2026-12-07 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0701'
down_revision = '0601'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'pin_attempts',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('login', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pin_attempts_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'login', name=op.f('pk_pin_attempts')),
    )


def downgrade() -> None:
    op.drop_table('pin_attempts')
