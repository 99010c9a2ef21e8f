"""feed_version (change counters that answer a feed's freshness check), feed_cache.used_at and size

The cache rows are renderings: they are dropped and made again on demand.

Revision ID: e5b2c8d1f4a7
Revises: e5a9c3d1f7b2
Create Date: 2026-12-06 09:20:00

"""
import sqlalchemy as sa
from alembic import op

import elearn.database

# revision identifiers, used by Alembic.
revision = 'e5b2c8d1f4a7'
down_revision = 'e5a9c3d1f7b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feed_version',
                    sa.Column('scope', sa.String(length=40), nullable=False),
                    sa.Column('version', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('scope', name=op.f('pk_feed_version')))
    op.execute("DELETE FROM feed_cache")
    with op.batch_alter_table('feed_cache', schema=None) as batch_op:
        batch_op.add_column(sa.Column('used_at', elearn.database.UTCDateTime(timezone=True), nullable=False))
        batch_op.add_column(sa.Column('size', sa.Integer(), nullable=False))
        batch_op.create_index(batch_op.f('ix_feed_cache_used_at'), ['used_at'], unique=False)


def downgrade():
    with op.batch_alter_table('feed_cache', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_cache_used_at'))
        batch_op.drop_column('size')
        batch_op.drop_column('used_at')
    op.drop_table('feed_version')
