"""cost lines: planned and actual costs of an activity, by category, payer and currency

Revision ID: b1cfe2a1d897
Revises: d3180fbb8015
Create Date: 2026-12-06 12:36:47.100136

"""
from alembic import op
import sqlalchemy as sa

import elearn.database


# revision identifiers, used by Alembic.
revision = 'b1cfe2a1d897'
down_revision = 'd3180fbb8015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cost_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('travel', 'stay', 'per_diem', 'interpretation', 'venue', 'other', name='cost_category', native_enum=False, length=32), nullable=False),
    sa.Column('payer', sa.Enum('host_parliament', 'ministry', 'programme', 'partner_parliament', 'self', name='payer', native_enum=False, length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('planned_amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('actual_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', elearn.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', elearn.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('actual_amount IS NULL OR actual_amount >= 0', name=op.f('ck_cost_line_actual_not_negative')),
    sa.CheckConstraint('planned_amount >= 0', name=op.f('ck_cost_line_planned_not_negative')),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_cost_line_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_cost_line_created_by_id_person')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['person.id'], name=op.f('fk_cost_line_updated_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cost_line'))
    )
    with op.batch_alter_table('cost_line', schema=None) as batch_op:
        batch_op.create_index('ix_cost_line_activity_category', ['activity_id', 'category', 'payer', 'currency'], unique=False)



def downgrade():
    with op.batch_alter_table('cost_line', schema=None) as batch_op:
        batch_op.drop_index('ix_cost_line_activity_category')

    op.drop_table('cost_line')
