"""course.induction: the course offered to newly elected members

Set by `induction = true` in a course's course.toml. Existing courses are not
induction courses until they are imported again with the key.

Revision ID: d7e3a1b9c2f4
Revises: c4d8e2f1a7b3
Create Date: 2026-12-06 06:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd7e3a1b9c2f4'
down_revision = 'c4d8e2f1a7b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.add_column(sa.Column('induction', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_column('induction')
