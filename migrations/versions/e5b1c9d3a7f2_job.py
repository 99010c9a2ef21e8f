"""job: background work queued by a request and done by `flask jobs run` / `flask mail send`

Revision ID: e5b1c9d3a7f2
Revises: e5b2c8d1f4a7
Create Date: 2026-12-06 09:30:00

"""
import sqlalchemy as sa
from alembic import op

import elearn.database


# revision identifiers, used by Alembic.
revision = 'e5b1c9d3a7f2'
down_revision = 'e5b2c8d1f4a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=64), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('state', sa.Enum('pending', 'running', 'done', 'failed', name='job_state', native_enum=False,
                                   create_constraint=False, length=32), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('steps', sa.Integer(), nullable=False),
        sa.Column('run_after', elearn.database.UTCDateTime(), nullable=False),
        sa.Column('locked_by', sa.String(length=100), nullable=True),
        sa.Column('locked_at', elearn.database.UTCDateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', elearn.database.UTCDateTime(), nullable=False),
        sa.Column('finished_at', elearn.database.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job')),
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index('ix_job_due', ['state', 'run_after'], unique=False)


def downgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index('ix_job_due')
    op.drop_table('job')
