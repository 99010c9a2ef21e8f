"""Parliaments and topics named in Spanish, Portuguese and Arabic too.

The columns are nullable: a missing name reads as the English one. `flask setup` fills those of
the reference parliaments and topics after the upgrade.

Revision ID: 3c7e9a1d5b20
Revises: 8a608b67ceef
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c7e9a1d5b20'
down_revision = '8a608b67ceef'
branch_labels = None
depends_on = None

LENGTHS = {'parliament': 200, 'topic': 120}
LANGUAGES = ('es', 'pt', 'ar')


def upgrade():
    for table, length in LENGTHS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for language in LANGUAGES:
                batch_op.add_column(sa.Column(f'name_{language}', sa.String(length=length), nullable=True))


def downgrade():
    for table in LENGTHS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for language in reversed(LANGUAGES):
                batch_op.drop_column(f'name_{language}')
