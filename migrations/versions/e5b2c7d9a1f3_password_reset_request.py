"""password_reset_request: addresses typed in the forgot-password form, waiting for the mail sender

The form stores the address whatever it is, so it does the same work for known and unknown
addresses; `flask mail send` turns each into a reset mail (or nothing) and deletes it.

Revision ID: e5b2c7d9a1f3
Revises: d7e3a1b9c2f4
Create Date: 2026-12-06 09:20:00

"""
import sqlalchemy as sa
from alembic import op

import elearn.database

# revision identifiers, used by Alembic.
revision = 'e5b2c7d9a1f3'
down_revision = 'd7e3a1b9c2f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'password_reset_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('requested_at', elearn.database.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_request')),
    )


def downgrade():
    op.drop_table('password_reset_request')
