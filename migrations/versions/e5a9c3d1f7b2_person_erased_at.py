"""person.erased_at: when an administrator erased the person's personal data

The row stays, anonymised (no name, address or password), so that participation
reports keep counting what the person took part in.

Revision ID: e5a9c3d1f7b2
Revises: e5a9c3d7f1b2
Create Date: 2026-12-06 09:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e5a9c3d1f7b2'
down_revision = 'e5a9c3d7f1b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
