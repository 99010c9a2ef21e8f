"""Mentoring: a focal point's request waits without a mentor until the cooperation unit finds one.

Revision ID: 4d8e2f6a1c3b
Revises: 15c03c180c76
Create Date: 2026-12-06 20:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '4d8e2f6a1c3b'
down_revision = '15c03c180c76'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mentoring_pair', schema=None) as batch_op:
        batch_op.alter_column('mentor_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    # A request still waiting for its mentor cannot stay without one: it goes.
    op.execute("DELETE FROM mentoring_pair WHERE mentor_id IS NULL")
    with op.batch_alter_table('mentoring_pair', schema=None) as batch_op:
        batch_op.alter_column('mentor_id', existing_type=sa.Integer(), nullable=False)
